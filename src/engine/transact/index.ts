/**
 * Transactions (TransactWriteItems, TransactGetItems): the shared core the operations of ops/ and
 * PartiQL's ExecuteTransaction call with a request in DynamoDB's JSON.
 */
export { transactGet } from './get.js';
export { TOKEN_TREE, TOKEN_TTL_MS } from './tokens.js';
export { MAX_ACTIONS, transactWrite } from './write.js';
