/**
 * UpdateTimeToLive: turn a table's TTL on (naming the attribute of epoch seconds items expire at) or
 * off. The answer echoes the specification; the setting is ENABLING / DISABLING for the table
 * phase's time, then ENABLED / DISABLED (ttl/settings.ts); ttl/sweep.ts deletes what expires.
 */
import type { Operation } from '../context.js';
import { Constraints, checkShape } from '../shape.js';
import { changedTtl } from '../ttl/settings.js';
import { checkTableName } from './_keySchema.js';
import { existingTable, putMeta } from './_tables.js';

export const updateTimeToLive: Operation = (ctx, input) => {
  checkShape(input, {
    struct: {
      TableName: 'string',
      TimeToLiveSpecification: { struct: { Enabled: 'boolean', AttributeName: 'string' } },
    },
  });
  const spec = input.TimeToLiveSpecification as { Enabled?: boolean; AttributeName?: string } | undefined;
  // NOTE: the table name first and alone, as for the other table operations (DynamoDB Local's words).
  checkTableName(input.TableName);
  const c = new Constraints();
  c.notNull(spec, 'timeToLiveSpecification');
  if (spec) {
    c.notNull(spec.AttributeName, 'timeToLiveSpecification.attributeName');
    c.length(spec.AttributeName, 'timeToLiveSpecification.attributeName', 1, 255);
    c.notNull(spec.Enabled, 'timeToLiveSpecification.enabled');
  }
  c.throwIfAny();
  const meta = existingTable(ctx, input.TableName);
  const enabled = spec!.Enabled as boolean;
  const attribute = spec!.AttributeName as string;
  const ttl = changedTtl(meta, enabled, attribute, ctx.clock.now(), ctx.transitionMs);
  ctx.store.commit([putMeta({ ...meta, ttl })]);
  return { TimeToLiveSpecification: { AttributeName: attribute, Enabled: enabled } };
};
