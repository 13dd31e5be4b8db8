import { gsiUpdateCases } from './cases/gsiUpdate.js';
import { differential } from './suite.js';

differential('GSI create and delete (UpdateTable)', gsiUpdateCases);
