/** TransactGetItems: up to 100 items read together, in the order asked (transact/). */
import type { Operation } from '../context.js';
import { transactGet } from '../transact/index.js';

export const transactGetItems: Operation = (ctx, input) => transactGet(ctx, input);
