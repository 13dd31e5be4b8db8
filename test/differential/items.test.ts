import { itemCases } from './cases/items.js';
import { differential } from './suite.js';

differential('items', itemCases);
