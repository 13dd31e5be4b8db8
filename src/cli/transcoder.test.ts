// The export's worker thread (transcoder.ts) against readWireBody on this thread: the same text,
// counts and last key for any page, the same error for a bad one, and every page answered when the
// worker is still starting, cannot start, fails or is stopped. Runs the built worker (dist/cli/transcodeWorker.cjs:
// `npm test` builds first).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from '../../test/e2e/binary.js';
import { item } from '../../test/support/arbitraries.js';
import { type Item, parseItem, toDdbJson } from '../core/data/codec.js';
import { readWireBody } from '../core/wire/wireText.js';
import { startTranscoder, type Transcoder } from './transcoder.js';

const file = join(root, 'dist/cli/transcodeWorker.cjs');
const started: Transcoder[] = [];
afterAll(async () => {
  for (const t of started) await t.close();
});

/** A transcoder whose worker has answered a page. */
async function ready(): Promise<Transcoder> {
  const t = startTranscoder(file);
  if (!t) throw new Error(`no worker from ${file}`);
  started.push(t);
  const probe = Buffer.from('{"Items":[],"Count":0,"ScannedCount":0}');
  for (let i = 0; i < 200 && t.sent === 0; i++) {
    await t.transcode(probe, '', '\n');
    if (t.sent === 0) await sleep(10);
  }
  expect(t.sent).toBeGreaterThan(0);
  return t;
}

/** DynamoDB JSON as the wire carries it: binary as base64 text. */
const wire = (i: Item): unknown =>
  JSON.parse(
    JSON.stringify(toDdbJson(i), (_k, v) => {
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      return v?.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('base64') : v;
    }),
  );

const page = (items: Item[], last?: Item) =>
  Buffer.from(
    JSON.stringify({
      Items: items.map(wire),
      Count: items.length,
      ScannedCount: items.length + 1,
      ...(last ? { LastEvaluatedKey: wire(last) } : {}),
    }),
  );

describe('the export transcoder (worker thread)', () => {
  it('gives what readWireBody gives here, page after page, many at once', async () => {
    const t = await ready();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(item, { maxLength: 20 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(['', '\n'], [',\n', '']),
        async (pages, [between, after]) => {
          const bodies = pages.map((p, i) => page(p, i % 2 ? { pk: `k${i}` } : undefined));
          const sentBefore = t.sent;
          const got = await Promise.all(bodies.map((b) => t.transcode(b, between!, after!)));
          expect(t.sent - sentBefore).toBe(bodies.length);
          for (let i = 0; i < bodies.length; i++) {
            const want = readWireBody(bodies[i]!, between, after);
            expect({ ...got[i]!, text: got[i]!.text.toString() }).toEqual({
              ...want,
              text: want.text.toString(),
            });
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('answers a page that is not DynamoDB JSON with the error readWireBody throws', async () => {
    const t = await ready();
    const bad = Buffer.from('{"Items":[{"a":{"X":"1"}}]}');
    const here = (() => {
      try {
        readWireBody(bad);
      } catch (e) {
        return e as Error & { code?: string };
      }
    })();
    expect(here?.code).toBe('input.json');
    await expect(t.transcode(bad, '', '\n')).rejects.toMatchObject({
      code: here!.code,
      message: here!.message,
    });
  });

  it('sends the pages of a worker still starting to it, and turns them into text here after it is stopped', async () => {
    const t = startTranscoder(file)!;
    started.push(t);
    const body = page([parseItem('{"pk":"a","n":1}')]);
    // At once: the worker is still starting, and the page waits for it.
    const first = await t.transcode(body, '', '\n');
    expect(first.text.toString()).toBe('{"pk":"a","n":1}\n');
    expect(t.sent).toBe(1);
    await t.close();
    const after = await t.transcode(body, '', '\n');
    expect(after.text.toString()).toBe('{"pk":"a","n":1}\n');
    expect(t.sent).toBe(1);
  });

  it('answers the pages sent to a worker that cannot start, on this thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-transcoder-'));
    const broken = join(dir, 'transcodeWorker.cjs');
    writeFileSync(broken, "throw new Error('this worker does not start');\n");
    try {
      const t = startTranscoder(broken)!;
      started.push(t);
      const bodies = [page([parseItem('{"pk":"a"}')]), page([parseItem('{"pk":"b","s":"x"}')])];
      const got = await Promise.all(bodies.map((b) => t.transcode(b, '', '\n')));
      expect(got.map((g) => g.text.toString())).toEqual(['{"pk":"a"}\n', '{"pk":"b","s":"x"}\n']);
      expect(t.sent).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers the pages a worker held when it died, on this thread', async () => {
    const t = await ready();
    const bodies = Array.from({ length: 8 }, (_, i) =>
      page(Array.from({ length: 500 }, (_, j) => ({ pk: `${i}-${j}` }))),
    );
    const pending = bodies.map((b) => t.transcode(b, '', '\n'));
    // The worker stopped under the pages it holds (as if it had crashed).
    void t.close();
    const got = await Promise.all(pending);
    expect(got.map((g) => g.items)).toEqual(bodies.map(() => 500));
    expect(got[7]!.text.toString().split('\n')[0]).toBe('{"pk":"7-0"}');
  });

  it('is not started without a worker script', () => {
    expect(startTranscoder(undefined)).toBeUndefined();
  });
});
