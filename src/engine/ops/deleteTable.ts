/**
 * DeleteTable: the table goes DELETING for `transitionMs`, then it and every tree of it (items,
 * indexes, meta record) are dropped in one commit (engine.ts, when its status is next read).
 */
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { checkShape } from '../shape.js';
import { checkName } from './_keySchema.js';
import { dropTableChanges, existingTable, inUse, putMeta, tableDescription } from './_tables.js';

export const deleteTable: Operation = (ctx, input) => {
  checkShape(input, { struct: { TableName: 'string' } });
  checkName(input.TableName);
  const meta = existingTable(ctx, input.TableName);
  const busy = inUse(meta);
  if (busy) throw busy;
  if (meta.extra.deletionProtection === true) {
    throw validation(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
  }
  const now = ctx.clock.now();
  const deleting = { ...meta, status: 'DELETING' as const, until: now + ctx.transitionMs };
  // The description is taken before the drop: it tells the counts the table had.
  const description = tableDescription(ctx, deleting);
  ctx.store.commit(ctx.transitionMs > 0 ? [putMeta(deleting)] : dropTableChanges(ctx.store, meta.name));
  return { TableDescription: description };
};
