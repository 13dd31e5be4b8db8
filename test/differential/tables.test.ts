import { tableCases } from './cases/tables.js';
import { differential } from './suite.js';

differential('tables', tableCases);
