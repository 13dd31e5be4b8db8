import { transactCases } from './cases/transact.js';
import { differential } from './suite.js';

differential('transactions', transactCases);
