import { batchCases } from './cases/batch.js';
import { differential } from './suite.js';

differential('batches and the wire', batchCases);
