/**
 * A table's key schema from what DescribeTable returns (or a CreateTable input: the same fields),
 * and the comparison that says whether items of one table fit another.
 */
import type { AttributeDefinition, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import type { KeyAttr, KeySchema } from './keySchema.js';

/** The fields of a TableDescription or a CreateTableCommandInput that define the keys. */
export interface KeyFields {
  TableName?: string | undefined;
  KeySchema?: KeySchemaElement[] | undefined;
  AttributeDefinitions?: AttributeDefinition[] | undefined;
}

/** The key schema of a described (or to-be-created) table. */
export function keySchemaOf(t: KeyFields): KeySchema {
  const type = (n: string) =>
    (t.AttributeDefinitions?.find((a) => a.AttributeName === n)?.AttributeType ?? 'S') as KeyAttr['type'];
  const hash = t.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  const range = t.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return {
    table: t.TableName ?? '',
    partitionKey: { name: hash, type: type(hash) },
    ...(range ? { sortKey: { name: range, type: type(range) } } : {}),
  };
}

/** Same key names and types (the table names may differ). */
export function sameKeySchema(a: KeySchema, b: KeySchema): boolean {
  const k = (x: KeySchema) =>
    `${x.partitionKey.name}:${x.partitionKey.type}/${x.sortKey?.name}:${x.sortKey?.type}`;
  return k(a) === k(b);
}

/** `id:S` or `pk:S, sk:N`: the spec's notation, which create-table's --pk/--sk take too. */
export function formatKeySchema(s: KeySchema): string {
  return [s.partitionKey, s.sortKey]
    .filter((k): k is KeyAttr => k !== undefined)
    .map((k) => `${k.name}:${k.type}`)
    .join(', ');
}
