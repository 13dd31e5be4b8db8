/**
 * Index maintenance under a random stream of writes: after every kind of write (PutItem,
 * UpdateItem setting and removing index keys, DeleteItem, BatchWriteItem), each index holds
 * exactly the entries its table's items call for (sparse, projected), and the counts agree.
 */
import { describe, expect, it } from 'vitest';
import { DdbEngine } from '../engine.js';
import { indexKey, indexKeyNames } from './_keys.js';

describe('indexes under random writes', () => {
  it('hold exactly the projected entries of the items that have their keys', async () => {
    const e = new DdbEngine({ transitionMs: 0 });
    const call = async (op: string, body: unknown) => {
      const a = await e.handle(`DynamoDB_20120810.${op}`, JSON.stringify(body));
      expect(a.status, a.body).toBe(200);
      return JSON.parse(a.body);
    };
    await call('CreateTable', {
      TableName: 'fzz',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
        { AttributeName: 'l', AttributeType: 'B' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      LocalSecondaryIndexes: [
        {
          IndexName: 'lsi',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'l', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
        },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi',
          KeySchema: [
            { AttributeName: 'g', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'gall',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
    const key = () => ({ pk: { S: `p${Math.floor(rnd() * 4)}` }, sk: { N: String(Math.floor(rnd() * 6)) } });
    const item = () => {
      const o: Record<string, unknown> = key();
      if (rnd() < 0.6) o.g = { S: `g${Math.floor(rnd() * 3)}` };
      if (rnd() < 0.6) o.l = { B: pick(['AAE=', 'AQI=', 'Ag==']) };
      if (rnd() < 0.5) o.x = { N: String(Math.floor(rnd() * 9)) };
      if (rnd() < 0.5) o.y = { S: 'y' };
      return o;
    };
    for (let i = 0; i < 2000; i++) {
      const r = rnd();
      if (r < 0.3) await call('PutItem', { TableName: 'fzz', Item: item() });
      else if (r < 0.55) {
        const [UpdateExpression, values] = pick<[string, Record<string, unknown> | undefined]>([
          ['SET g = :g', { ':g': { S: `g${Math.floor(rnd() * 3)}` } }],
          ['REMOVE g', undefined],
          ['SET l = :l', { ':l': { B: 'AQI=' } }],
          ['REMOVE l, x', undefined],
          ['SET x = :x', { ':x': { N: '5' } }],
          ['REMOVE y', undefined],
        ]);
        await call('UpdateItem', {
          TableName: 'fzz',
          Key: key(),
          UpdateExpression,
          ExpressionAttributeValues: values,
        });
      } else if (r < 0.7) await call('DeleteItem', { TableName: 'fzz', Key: key() });
      else {
        const seen = new Set<string>();
        const reqs: unknown[] = [];
        for (let j = 0; j < 10; j++) {
          const it = item();
          const k = JSON.stringify([it.pk, it.sk]);
          if (seen.has(k)) continue;
          seen.add(k);
          reqs.push(
            rnd() < 0.7 ? { PutRequest: { Item: it } } : { DeleteRequest: { Key: { pk: it.pk, sk: it.sk } } },
          );
        }
        await call('BatchWriteItem', { RequestItems: { fzz: reqs } });
      }
    }
    const meta = e.table('fzz');
    const items = [...e.store.tree('t:fzz').entries()].map(([, s]) => JSON.parse(s.j));
    for (const ix of meta.indexes) {
      const want = new Map<string, Record<string, unknown>>();
      for (const it of items) {
        const k = indexKey(it, ix, meta);
        if (k === undefined) continue;
        const keep =
          ix.projection.ProjectionType === 'ALL'
            ? Object.keys(it)
            : [...indexKeyNames(ix, meta), ...(ix.projection.NonKeyAttributes ?? [])];
        want.set(k, Object.fromEntries(keep.filter((n) => n in it).map((n) => [n, it[n]])));
      }
      const got = new Map(
        [...e.store.tree(`i:fzz:${ix.name}`).entries()].map(([k, s]) => [k, JSON.parse(s.j)]),
      );
      expect(got, ix.name).toEqual(want);
    }
    const d = await call('DescribeTable', { TableName: 'fzz' });
    expect(d.Table.ItemCount).toBe(items.length);
  });
});
