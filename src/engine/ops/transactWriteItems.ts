/** TransactWriteItems: Put, Update, Delete and ConditionCheck over tables, all or nothing (transact/). */
import type { Operation } from '../context.js';
import { transactWrite } from '../transact/index.js';

export const transactWriteItems: Operation = (ctx, input) => transactWrite(ctx, input);
