// Building blocks of the cases: tables of the usual shapes, and one-line request steps.
import type { DivergenceId } from '../divergences.js';
import type { Step } from '../harness.js';

type Json = Record<string, unknown>;

export const PPR = { BillingMode: 'PAY_PER_REQUEST' };
export const PROV = { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } };

/** CreateTable of $T (or `name`) keyed by pk (and sk), as a setup step. */
export function table(pk: 'S' | 'N' | 'B' = 'S', sk?: 'S' | 'N' | 'B', extra: Json = {}, name = '$T'): Step {
  const attrs = [{ AttributeName: 'pk', AttributeType: pk }];
  const keys = [{ AttributeName: 'pk', KeyType: 'HASH' }];
  if (sk) {
    attrs.push({ AttributeName: 'sk', AttributeType: sk });
    keys.push({ AttributeName: 'sk', KeyType: 'RANGE' });
  }
  const more = (extra.AttributeDefinitions as typeof attrs | undefined) ?? [];
  return {
    op: 'CreateTable',
    body: {
      TableName: name,
      ...PPR,
      ...extra,
      AttributeDefinitions: [...attrs, ...more],
      KeySchema: keys,
    },
    setup: true,
  };
}

export const step = (op: string, body: Json, more: Partial<Step> = {}): Step => ({ op, body, ...more });
export const put = (Item: Json, more: Json = {}): Step => step('PutItem', { TableName: '$T', Item, ...more });
export const get = (Key: Json, more: Json = {}, s: Partial<Step> = {}): Step =>
  step('GetItem', { TableName: '$T', Key, ...more }, s);
export const del = (Key: Json, more: Json = {}): Step =>
  step('DeleteItem', { TableName: '$T', Key, ...more });
export const update = (Key: Json, more: Json, s: Partial<Step> = {}): Step =>
  step('UpdateItem', { TableName: '$T', Key, ...more }, s);
export const query = (more: Json, s: Partial<Step> = {}): Step =>
  step('Query', { TableName: '$T', ...more }, s);
export const scan = (more: Json = {}, s: Partial<Step> = {}): Step =>
  step('Scan', { TableName: '$T', ...more }, s);
/** Put as setup: its answer is compared elsewhere. */
export const seed = (...items: Json[]): Step[] => items.map((Item) => ({ ...put(Item), setup: true }));

/** A step whose answers knowingly differ: `id` names the entry in divergences.ts. */
export const diverges = (divergence: DivergenceId | DivergenceId[], s: Step): Step => ({ ...s, divergence });

export const S = (s: string) => ({ S: s });
export const N = (n: string) => ({ N: n });
export const B = (b: string) => ({ B: b });
