import { streamCases } from './cases/streams.js';
import { differential } from './suite.js';

differential('streams', streamCases);
