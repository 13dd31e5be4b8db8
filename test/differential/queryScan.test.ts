import { queryScanCases } from './cases/queryScan.js';
import { differential } from './suite.js';

differential('query and scan', queryScanCases);
