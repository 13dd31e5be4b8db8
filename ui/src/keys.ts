/** Keys of a table and its indexes, from DescribeTable's answer. */
import type { TableDescription } from './api.js';
import type { DdbItem } from './ddb.js';

export interface KeyInfo {
  pk: string;
  pkType: string;
  sk?: string;
  skType?: string;
}

export function keyInfo(table: TableDescription, index?: string): KeyInfo {
  const schema =
    index === undefined || index === ''
      ? table.KeySchema
      : [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].find(
          (i) => i.IndexName === index,
        )?.KeySchema;
  const typeOf = (name: string) =>
    table.AttributeDefinitions.find((a) => a.AttributeName === name)?.AttributeType ?? 'S';
  const pk = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  const sk = schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return { pk, pkType: typeOf(pk), ...(sk ? { sk, skType: typeOf(sk) } : {}) };
}

/** An item's primary key (the table's, not an index's). */
export function keyOf(table: TableDescription, item: DdbItem): DdbItem {
  const out: DdbItem = {};
  for (const k of table.KeySchema) {
    const v = item[k.AttributeName];
    if (v !== undefined) out[k.AttributeName] = v;
  }
  return out;
}

export function indexNames(table: TableDescription): { gsi: string[]; lsi: string[] } {
  return {
    gsi: (table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName),
    lsi: (table.LocalSecondaryIndexes ?? []).map((i) => i.IndexName),
  };
}
