import { partiqlCases } from './cases/partiql.js';
import { differential } from './suite.js';

differential('PartiQL', partiqlCases);
