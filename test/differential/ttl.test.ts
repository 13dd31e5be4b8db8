import { ttlCases } from './cases/ttl.js';
import { differential } from './suite.js';

differential('ttl', ttlCases);
