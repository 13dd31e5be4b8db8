/**
 * CreateTable: validates the definition in DynamoDB's order, then writes the table's meta record
 * (status CREATING until `transitionMs` has passed) in one commit.
 */
import { randomUUID } from 'node:crypto';
import type { TableMeta } from '../catalog.js';
import type { Operation } from '../context.js';
import { EngineError } from '../errors.js';
import type { AttributeDefinition, KeyElement, ScalarType } from '../types.js';
import { putMeta, tableDescription } from './_tables.js';

export const createTable: Operation = (ctx, input) => {
  const name = input.TableName as string;
  const keySchema = input.KeySchema as KeyElement[];
  const defs = input.AttributeDefinitions as AttributeDefinition[];
  if (ctx.findTable(name)) throw new EngineError('ResourceInUseException', `Table already exists: ${name}`);
  const type = (a: string): ScalarType => defs.find((d) => d.AttributeName === a)!.AttributeType;
  const hash = keySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const range = keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const now = ctx.clock.now();
  const billingMode = input.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
  const pt = input.ProvisionedThroughput as
    | { ReadCapacityUnits: number; WriteCapacityUnits: number }
    | undefined;
  const meta: TableMeta = {
    name,
    key: {
      hash: { name: hash, type: type(hash) },
      ...(range ? { range: { name: range, type: type(range) } } : {}),
    },
    keySchema,
    attributeDefinitions: defs,
    indexes: [],
    status: ctx.transitionMs > 0 ? 'CREATING' : 'ACTIVE',
    createdAt: now,
    ...(ctx.transitionMs > 0 ? { until: now + ctx.transitionMs } : {}),
    billingMode,
    throughput: { read: pt?.ReadCapacityUnits ?? 0, write: pt?.WriteCapacityUnits ?? 0, decreasesToday: 0 },
    tableId: randomUUID(),
    arn: `arn:aws:dynamodb:${ctx.region}:${ctx.account}:table/${name}`,
    extra: {},
  };
  ctx.store.commit([putMeta(meta)]);
  return { TableDescription: tableDescription(ctx, meta) };
};
