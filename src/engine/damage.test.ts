// The engine on a data dir whose snapshot has a damaged record: what needs the record fails with
// the store's own error (in-process: thrown, not a 500 to retry), what does not goes on, and a GSI
// backfill that meets it stops saying so once, without failing the engine's close.

import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, root, tempDir } from '../../test/e2e/binary.js';
import { DdbError } from '../core/errors.js';
import { startEngine } from './index.js';
import { CREATE_BY_G, damageMiddleRecord, handlerClient, PK_TABLE } from './testClient.js';

afterAll(removeTempDirs);

/** A data dir of 3,000 items in table tbl whose snapshot has a damaged record in its middle. */
async function damagedDir(): Promise<{ dir: string; bad: number }> {
  const dir = tempDir('ddbctl-damage-');
  const first = await startEngine({ dataDir: dir, transitionMs: 0 });
  const ddb = handlerClient(first.requestHandler);
  await ddb.send(new CreateTableCommand(PK_TABLE));
  await putAll(ddb, 'x'.repeat(500));
  await first.close();
  // The snapshot written at close: damage a record in its middle.
  const { bad } = damageMiddleRecord(dir);
  return { dir, bad };
}

/** Items k00000 to k02999 with attribute g, 25 a call. */
async function putAll(ddb: ReturnType<typeof handlerClient>, g: string): Promise<void> {
  for (let b = 0; b < 120; b++) {
    const items = Array.from({ length: 25 }, (_, i) => ({
      PutRequest: { Item: { pk: { S: `k${String(b * 25 + i).padStart(5, '0')}` }, g: { S: g } } },
    }));
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { tbl: items } }));
  }
}

describe('the engine on a damaged snapshot record', () => {
  // On its own thread (thread.ts) as on this one: the failure and the warning cross threads as they are.
  it.each([
    ['this thread', undefined],
    ['a thread of its own', join(root, 'dist/cli/engineThread.cjs')],
  ])(
    'fails what needs the record with its error, serves the rest, and a backfill that meets it says so once (the engine on %s)',
    async (_on, thread) => {
      const { dir, bad } = await damagedDir();

      const warnings: string[] = [];
      const e = await startEngine({
        dataDir: dir,
        transitionMs: 0,
        onWarning: (m) => warnings.push(m),
        ...(thread ? { thread } : {}),
      });
      const c = handlerClient(e.requestHandler);
      const get = (k: number) =>
        c.send(
          new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: `k${String(k).padStart(5, '0')}` } } }),
        );
      const outcomes = await Promise.allSettled(Array.from({ length: 3000 }, (_, k) => get(k)));
      const failed = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.length).toBeLessThan(1000);
      expect(failed[0]!.reason).toBeInstanceOf(DdbError);
      expect(failed[0]!.reason).toMatchObject({
        code: 'engine.start',
        message: expect.stringContaining(`bad block at byte ${bad}`),
      });
      // A GSI added: its backfill reads every item, meets the record, and stops, said once.
      await c.send(new UpdateTableCommand(CREATE_BY_G));
      await expect(e.close()).resolves.toBeUndefined();
      const stopped = warnings.filter((w) =>
        w.startsWith('the backfill of index byG of table tbl stopped: '),
      );
      expect(stopped).toHaveLength(1);
      expect(stopped[0]).toContain(`bad block at byte ${bad}`);
      // The next engine goes on with the backfill in the background, meets the record again, says it
      // once (the background task and the close's last steps alike), and closes.
      const again: string[] = [];
      const next = await startEngine({ dataDir: dir, transitionMs: 20, onWarning: (m) => again.push(m) });
      await new Promise((r) => setTimeout(r, 300));
      await expect(next.close()).resolves.toBeUndefined();
      expect(
        again.filter((w) => w.startsWith('the backfill of index byG of table tbl stopped: ')),
      ).toHaveLength(1);
    },
  );

  it('every item written anew: DescribeTable still answers (ItemCount by the snapshot filter), here and after a restart', async () => {
    const { dir } = await damagedDir();
    for (let round = 0; round < 2; round++) {
      const e = await startEngine({ dataDir: dir, transitionMs: 0 });
      const c = handlerClient(e.requestHandler);
      if (round === 0) await putAll(c, 'y');
      const d = await c.send(new DescribeTableCommand({ TableName: 'tbl' }));
      expect(d.Table?.ItemCount).toBe(3000);
      const got = await c.send(new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'k01500' } } }));
      expect(got.Item?.g).toEqual({ S: 'y' });
      await e.close();
    }
  });
});
