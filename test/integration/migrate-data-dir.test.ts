// `ddbctl migrate-data-dir`: a data dir written by the previous embedded engine (dynalite 4, its
// LevelDB files in <data-dir>/db) is refused with the way to carry it over, then carried over
// exactly: every table's description and every item (exact types, 38-digit numbers, sets, binary,
// nested maps) compared between dynalite and this engine. A table the new engine cannot take
// stops the run and leaves the old folder as it was.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../src/engine/index.js';
import { tempDir as newTempDir, removeTempDirs } from '../e2e/binary.js';
import { cli, ctrlC, engineName } from '../helpers.js';
import { rawCall as call, type Json, startDynalite } from '../support/dynalite.js';

const tempDir = () => newTempDir('ddbctl-migrate-');
afterAll(removeTempDirs);
/** dynalite on `<dir>/db`, as the previous ddbctl ran it. */
const oldEngine = (dir: string) => startDynalite(join(dir, 'db'));

async function scanAll(endpoint: string, table: string): Promise<Json[]> {
  const items: Json[] = [];
  let start: unknown;
  do {
    const page = await call(endpoint, 'Scan', {
      TableName: table,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    items.push(...(page.Items as Json[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** What CreateTable carries, of a description: the rest (ARNs, times, sizes, counts) is the engine's own. */
function carried(d: Json): Json {
  const t = (x: Json | undefined) =>
    x && { ReadCapacityUnits: x.ReadCapacityUnits, WriteCapacityUnits: x.WriteCapacityUnits };
  const index = (i: Json) => ({
    IndexName: i.IndexName,
    KeySchema: i.KeySchema,
    Projection: i.Projection,
    ...(i.ProvisionedThroughput ? { ProvisionedThroughput: t(i.ProvisionedThroughput as Json) } : {}),
  });
  const byName = (a: Json, b: Json) => String(a.IndexName).localeCompare(String(b.IndexName));
  return {
    TableName: d.TableName,
    TableStatus: d.TableStatus,
    KeySchema: d.KeySchema,
    AttributeDefinitions: [...(d.AttributeDefinitions as Json[])].sort((a, b) =>
      String(a.AttributeName).localeCompare(String(b.AttributeName)),
    ),
    BillingMode: (d.BillingModeSummary as Json | undefined)?.BillingMode ?? 'PROVISIONED',
    ProvisionedThroughput: t(d.ProvisionedThroughput as Json),
    LocalSecondaryIndexes: ((d.LocalSecondaryIndexes as Json[]) ?? []).map(index).sort(byName),
    GlobalSecondaryIndexes: ((d.GlobalSecondaryIndexes as Json[]) ?? []).map(index).sort(byName),
  };
}

const BIG = '12345678901234567890123456789012345678';
const TINY = '-0.00000000000000000000000000000000000000000000123456789012345678901234567890123456';

/** Every kind of value DynamoDB holds, with the numbers that lose digits on the way if anything rounds. */
function richItem(i: number): Json {
  return {
    pk: { S: `user#${i}` },
    sk: { N: i % 2 ? BIG : `${i}.50` },
    g: { S: `group-${i % 3}` },
    n: { N: TINY },
    a: { S: 'projected' },
    ns: { NS: [BIG, '-1E+125', '1E-130'] },
    ss: { SS: ['a', 'b', 'ü'] },
    bs: { BS: ['AAEC', '/w=='] },
    b: { B: 'AP8BAgM=' },
    t: { BOOL: true },
    z: { NULL: true },
    m: { M: { deep: { M: { l: { L: [{ N: BIG }, { S: '' }, { M: {} }, { L: [] }] } } }, e: { SS: ['x'] } } },
  };
}

const CREATE_PLAIN = {
  TableName: 'Plain',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }],
  BillingMode: 'PAY_PER_REQUEST',
};

const CREATE_INDEXED = {
  TableName: 'Indexed',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'g', AttributeType: 'S' },
    { AttributeName: 'n', AttributeType: 'N' },
  ],
  ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
  LocalSecondaryIndexes: [
    {
      IndexName: 'byN',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'n', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'm'] },
    },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byGroup',
      KeySchema: [
        { AttributeName: 'g', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 5 },
    },
    {
      IndexName: 'byNumber',
      KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    },
  ],
};

async function putAll(endpoint: string, table: string, items: Json[]): Promise<void> {
  // NOTE: dynalite makes a table ACTIVE on a timer, also with createTableMs 0.
  while (
    ((await call(endpoint, 'DescribeTable', { TableName: table })).Table as Json).TableStatus !== 'ACTIVE'
  ) {
    await new Promise((r) => setTimeout(r, 10));
  }
  for (let i = 0; i < items.length; i += 25) {
    await call(endpoint, 'BatchWriteItem', {
      RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
    });
  }
}

function refusal(dir: string): string {
  return (
    `ddbctl: error: data dir ${dir} holds tables of ddbctl's previous embedded engine (dynalite's LevelDB files in ${dir}/db). ` +
    `This version's engine keeps its data in ${dir}/engine in a format of its own and cannot read those files, ` +
    'and never mixes the two, so it does not start there: it would show none of those tables and leave them unseen beside new ones. ' +
    `To carry every table over (keys, indexes, billing, tags and every item, counts verified; ${dir}/db is then moved aside, not deleted): ` +
    `ddbctl migrate-data-dir --data-dir ${dir}. ` +
    `To start afresh instead, move ${dir}/db aside or delete it, or pass --data-dir to another folder or --memory.\n`
  );
}

// NOTE: the data dir is the embedded engine's own whatever engine the suite runs against: run once.
describe.runIf(engineName() === 'embedded')(
  "migrate-data-dir (run once, on the embedded pass: a data dir is always the embedded engine's)",
  () => {
    it('is pointed to by the refusal, then carries every table and item over exactly and moves db/ aside', async () => {
      const dir = tempDir();
      const old = await oldEngine(dir);
      const before: Record<string, { description: Json; items: Json[]; tags: unknown }> = {};
      try {
        await call(old.endpoint, 'CreateTable', CREATE_PLAIN);
        await call(old.endpoint, 'CreateTable', CREATE_INDEXED);
        await call(old.endpoint, 'CreateTable', { ...CREATE_PLAIN, TableName: 'Empty' });
        // 1,200 items of ~1 KB: more than a 1 MB scan page, so the copy pages through them.
        const plain = Array.from({ length: 1200 }, (_, i) => ({
          id: { B: Buffer.from(`id-${i}`).toString('base64') },
          pad: { S: 'x'.repeat(1000) },
          i: { N: String(i) },
        }));
        await putAll(old.endpoint, 'Plain', plain);
        await putAll(
          old.endpoint,
          'Indexed',
          Array.from({ length: 40 }, (_, i) => richItem(i)),
        );
        const arn = ((await call(old.endpoint, 'DescribeTable', { TableName: 'Indexed' })).Table as Json)
          .TableArn;
        await call(old.endpoint, 'TagResource', {
          ResourceArn: arn,
          Tags: [
            { Key: 'team', Value: 'core' },
            { Key: 'env', Value: '' },
          ],
        });
        for (const t of ['Empty', 'Indexed', 'Plain']) {
          const description = (await call(old.endpoint, 'DescribeTable', { TableName: t })).Table as Json;
          const tags = (await call(old.endpoint, 'ListTagsOfResource', { ResourceArn: description.TableArn }))
            .Tags;
          before[t] = { description, items: await scanAll(old.endpoint, t), tags };
        }
      } finally {
        await old.close();
      }
      expect(before.Plain?.items).toHaveLength(1200);
      // dynalite normalises numbers as DynamoDB does (0.50 → 0.5); the 38 digits are kept.
      expect(before.Indexed?.items[0]).toMatchObject({ sk: { N: '0.5' }, m: richItem(0).m });

      // Refused, and pointed to the command.
      const refused = await cli(['--data-dir', dir, 'list-tables']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(refusal(dir));
      expect(existsSync(join(dir, 'engine'))).toBe(false);

      const run = await cli(['--data-dir', dir, '-o', 'json', 'migrate-data-dir']);
      expect(run.stderr).toContain(`ddbctl: Indexed: 40 items copied, counts verified`);
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as Json;
      expect(out).toMatchObject({
        dataDir: dir,
        tables: ['Empty', 'Indexed', 'Plain'],
        copied: [
          { table: 'Empty', items: 0, tags: 0 },
          { table: 'Indexed', items: 40, tags: 2 },
          { table: 'Plain', items: 1200, tags: 0 },
        ],
        notCopied: [],
      });
      expect(out.movedTo).toMatch(new RegExp(`^${dir}/db\\.dynalite-\\d{8}T\\d{6}Z$`));
      // The old files are kept, aside; the data dir opens on the new engine.
      expect(existsSync(join(dir, 'db'))).toBe(false);
      expect(readdirSync(out.movedTo as string)).toContain('CURRENT');

      const engine = await startEngine({ dataDir: dir, http: true });
      try {
        const ep = engine.endpoint as string;
        expect((await call(ep, 'ListTables', {})).TableNames).toEqual(['Empty', 'Indexed', 'Plain']);
        for (const [t, b] of Object.entries(before)) {
          const d = (await call(ep, 'DescribeTable', { TableName: t })).Table as Json;
          expect(carried(d)).toEqual(carried(b.description));
          expect(d.ItemCount).toBe(b.items.length);
          expect(await scanAll(ep, t)).toEqual(b.items);
          expect((await call(ep, 'ListTagsOfResource', { ResourceArn: d.TableArn })).Tags).toEqual(b.tags);
        }
        // The indexes are there for reads, not just described.
        const byGroup = await call(ep, 'Query', {
          TableName: 'Indexed',
          IndexName: 'byGroup',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'group-1' } },
        });
        expect(byGroup.Count).toBe(13);
        const byN = await call(ep, 'Query', {
          TableName: 'Indexed',
          IndexName: 'byN',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'user#3' } },
        });
        expect(byN.Items).toEqual([
          { pk: { S: 'user#3' }, sk: { N: BIG }, n: { N: TINY }, a: { S: 'projected' }, m: richItem(3).m },
        ]);
      } finally {
        await engine.close();
      }
      // Once carried over, nothing is left to carry.
      const again = await cli(['--data-dir', dir, 'migrate-data-dir']);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(
        `holds no tables of the previous embedded engine (no LevelDB files in ${dir}/db)`,
      );
    });

    it('stops at a table the new engine cannot take, says what arrived, and leaves the old folder as it was', async () => {
      const dir = tempDir();
      const old = await oldEngine(dir);
      try {
        for (const t of ['Aaa', 'Bbb', 'Ccc']) {
          // NOTE: dynalite took any throughput; DynamoDB (and this engine) at most 40,000 units a table.
          await call(old.endpoint, 'CreateTable', {
            ...CREATE_PLAIN,
            TableName: t,
            BillingMode: 'PROVISIONED',
            ProvisionedThroughput: { ReadCapacityUnits: t === 'Bbb' ? 50_000 : 5, WriteCapacityUnits: 5 },
          });
          await putAll(old.endpoint, t, [{ id: { B: 'AQ==' }, v: { N: BIG } }]);
        }
      } finally {
        await old.close();
      }
      const run = await cli(['--data-dir', dir, 'migrate-data-dir']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('ddbctl: error: table Bbb was not copied whole: ');
      expect(run.stderr).toContain('40,000 units per table');
      expect(run.stderr).toContain(
        `Of the 3 tables of the previous engine (${dir}/db), arrived whole: Aaa (1 item); not copied: Bbb, Ccc. ${dir}/db is untouched; the partial copy in ${dir}/engine was removed; once the cause is fixed, the same command again starts afresh: ddbctl --data-dir ${dir} migrate-data-dir`,
      );
      // Nothing of the new store is left; the old tables are as they were, and still refused.
      expect(readdirSync(dir).sort()).toEqual(['db']);
      const refused = await cli(['--data-dir', dir, 'list-tables']);
      expect(refused.stderr).toContain(refusal(dir));
      const again = await oldEngine(dir);
      try {
        expect((await call(again.endpoint, 'ListTables', {})).TableNames).toEqual(['Aaa', 'Bbb', 'Ccc']);
        for (const t of ['Aaa', 'Bbb', 'Ccc']) {
          expect(await scanAll(again.endpoint, t)).toEqual([{ id: { B: 'AQ==' }, v: { N: BIG } }]);
        }
      } finally {
        await again.close();
      }
    });

    it('stops on Ctrl-C between tables (exit 130), saying what arrived, and leaves the old folder as it was', async () => {
      const dir = tempDir();
      const old = await oldEngine(dir);
      try {
        for (const t of ['Aaa', 'Bbb']) {
          await call(old.endpoint, 'CreateTable', { ...CREATE_PLAIN, TableName: t });
          await putAll(old.endpoint, t, [{ id: { B: 'AQ==' } }]);
        }
      } finally {
        await old.close();
      }
      let sent = false;
      const run = await cli(['--data-dir', dir, 'migrate-data-dir'], {
        onStderr: (err) => {
          if (sent || !err.includes('Aaa: 1 item copied')) return;
          sent = true;
          ctrlC();
        },
      });
      expect(sent).toBe(true);
      expect(run.code).toBe(130);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(
        `ddbctl: migrate-data-dir interrupted: ${dir}/db is untouched; the partial copy in ${dir}/engine was removed; tables copied before the stop: Aaa; not copied: Bbb; the same command again starts afresh: ddbctl --data-dir ${dir} migrate-data-dir\n`,
      );
      expect(readdirSync(dir).sort()).toEqual(['db']);
      // The same command again carries both over.
      const again = await cli(['--data-dir', dir, '-q', 'migrate-data-dir']);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(
        new RegExp(
          `^carried 2 tables \\(2 items\\) of data dir ${dir} over to this engine; the previous engine's files were moved aside to ${dir}/db\\.dynalite-\\d{8}T\\d{6}Z\\n$`,
        ),
      );
    });
  },
);
