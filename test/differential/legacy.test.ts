import { legacyCases } from './cases/legacy.js';
import { differential } from './suite.js';

differential('legacy parameters and capacity', legacyCases);
