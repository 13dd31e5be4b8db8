// The durable store against the reference one (memoryStore): same answers for every sequence of
// commits and every range, also once reopened from a snapshot (trees read lazily); then what it
// keeps on disk: snapshot + log replay, torn and corrupt tails, a failed write that applies nothing.
// NOTE: one file over 500 lines: every part holds the store to the same reference with the same
// generators and helpers (dump, same, changeArb), which a split would have to export and share.
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir as newTempDir, removeTempDirs } from '../../../test/e2e/binary.js';
import { snapshotRecordStarts } from '../testClient.js';
import { INDEX_MAGIC, OP, SNAP_MAGIC, TRAILER, Writer } from './codec.js';
import { crc32, crc32Portable } from './crc32.js';
import { type Change, memoryStore, openStore, type Range, type Store, type Stored } from './index.js';
import { writeFix } from './open.js';

const tempDir = () => newTempDir('ddbctl-store-');
afterAll(removeTempDirs);

/** Everything a store holds, in order: trees (sorted by name), their count, bytes and entries. */
function dump(s: Store): unknown {
  return s
    .treeNames()
    .sort()
    .map((n) => {
      const t = s.tree(n);
      return { n, count: t.count, bytes: t.bytes, e: [...t.entries()] };
    });
}

const put = (tree: string, key: string, j = `{"k":${JSON.stringify(key)}}`, z = j.length): Change => ({
  tree,
  key,
  value: { j, z },
});

// Keys from a small alphabet (collisions, prefixes) including chars above 0xFF and 0x00.
const keyArb = fc.string({
  unit: fc.constantFrom('a', 'b', 'ab', '\0', '\xff', 'é', '\u0100', '😀'),
  maxLength: 4,
});
const treeArb = fc.constantFrom('t:a', 'i:a:x', 'meta');
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(treeArb, keyArb, fc.string(), fc.nat(1000)).map(([t, k, j, z]) => put(t, k, j, z)),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(treeArb, keyArb).map(([tree, key]) => ({ tree, key, value: null }) as Change),
  },
  { weight: 1, arbitrary: treeArb.map((tree) => ({ tree, drop: true }) as Change) },
);
const rangeArb: fc.Arbitrary<Range> = fc.record(
  { from: keyArb, afterFrom: fc.boolean(), to: keyArb, beforeTo: fc.boolean(), reverse: fc.boolean() },
  { requiredKeys: [] },
);

/**
 * A copy of data dir `dir` whose snapshot has no index, as an earlier ddbctl wrote it (records up
 * to END alone): opened, it is read whole.
 */
function withoutIndex(dir: string): string {
  const copy = tempDir();
  cpSync(dir, copy, { recursive: true });
  const snap = join(copy, 'snapshot');
  const b = readFileSync(snap);
  expect(b.toString('latin1', b.length - 8)).toBe(INDEX_MAGIC);
  writeFileSync(snap, b.subarray(0, b.readDoubleLE(b.length - TRAILER)));
  return copy;
}

const keys500 = Array.from({ length: 500 }, (_, i) => put('t', String(i).padStart(4, '0')));

/** The keys a walk of tree t from 0100 sees when, at 0200, a commit deletes, adds, then drops the tree. */
function walkWhileCommitting(s: Store): string[] {
  const seen: string[] = [];
  for (const [k] of s.tree('t').entries({ from: '0100' })) {
    seen.push(k);
    if (k === '0200')
      s.commit([{ tree: 't', key: '0300', value: null }, put('t', '0250x'), { tree: 't', drop: true }]);
  }
  return seen;
}

describe('openStore in memory', () => {
  it('answers as the reference store after any commits, for any range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(changeArb, { maxLength: 6 }), { maxLength: 30 }),
        fc.array(rangeArb),
        (commits, ranges) => {
          const ref = memoryStore();
          const s = openStore({ dir: null });
          for (const c of commits) {
            ref.commit(c);
            s.commit(c);
          }
          expect(dump(s)).toEqual(dump(ref));
          for (const name of ['t:a', 'meta', 'nothing'])
            for (const r of ranges)
              expect([...s.tree(name).entries(r)]).toEqual([...ref.tree(name).entries(r)]);
          for (const c of commits.flat())
            if ('key' in c) expect(s.tree(c.tree).get(c.key)).toEqual(ref.tree(c.tree).get(c.key));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps count and bytes per tree, and forgets a dropped tree', () => {
    const s = openStore({ dir: null });
    s.commit([put('a', 'x', 'X', 10), put('a', 'y', 'Y', 5), put('b', 'x', 'X', 1)]);
    s.commit([put('a', 'x', 'X2', 3), { tree: 'a', key: 'zz', value: null }]);
    expect([s.tree('a').count, s.tree('a').bytes]).toEqual([2, 8]);
    s.commit([
      { tree: 'a', key: 'y', value: null },
      { tree: 'b', drop: true },
    ]);
    expect([s.tree('a').count, s.tree('a').bytes]).toEqual([1, 3]);
    expect(s.treeNames()).toEqual(['a']);
    expect([s.tree('b').count, s.tree('b').bytes, [...s.tree('b').entries()]]).toEqual([0, 0, []]);
  });

  it('walks a tree as it was when the walk began, even when a commit comes in between', () => {
    const s = openStore({ dir: null });
    s.commit(keys500);
    expect(walkWhileCommitting(s)).toHaveLength(400);
    expect(s.tree('t').count).toBe(0);
  });
});

/** The same answers from `s` as from `ref`: everything in order, each range both ways, each key's get. */
function same(s: Store, ref: Store, ranges: readonly Range[], keys: readonly [string, string][]): void {
  expect(dump(s)).toEqual(dump(ref));
  for (const name of ['t:a', 'i:a:x', 'meta', 'nothing']) {
    const [t, r] = [s.tree(name), ref.tree(name)];
    expect([t.count, t.bytes]).toEqual([r.count, r.bytes]);
    for (const range of ranges) {
      expect([...t.entries(range)]).toEqual([...r.entries(range)]);
      expect([...t.entries({ ...range, reverse: !range.reverse })]).toEqual([
        ...r.entries({ ...range, reverse: !range.reverse }),
      ]);
    }
  }
  for (const [tree, key] of keys) expect(s.tree(tree).get(key)).toEqual(ref.tree(tree).get(key));
}

describe('openStore reopened from a snapshot (trees read lazily)', () => {
  const keysOf = (commits: Change[][]): [string, string][] => [
    ...commits.flat().flatMap((c): [string, string][] => ('key' in c ? [[c.tree, c.key]] : [])),
    ['t:a', ''],
    ['t:a', '\uffff'],
  ];

  it('answers as the reference store: gets, ranges both ways, counts, bytes; then writes and drops, a reopen from the log, a snapshot written from lazy trees', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(changeArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.array(changeArb, { maxLength: 6 }), { maxLength: 20 }),
        fc.array(rangeArb, { maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 30 }),
        async (before, after, ranges, runEntries, overlayMax) => {
          const dir = tempDir();
          const ref = memoryStore();
          // compactRecords: small, so that snapshots are also written from lazy trees (in the
          // background and on close); runEntries and overlayMax: small, so that gets and walks
          // cross runs and overlays are materialised.
          const opts = { dir, closeCompactBytes: 0, compactRecords: 7, runEntries, overlayMax };
          let s = openStore(opts);
          for (const c of before) {
            ref.commit(c);
            s.commit(c);
          }
          await s.close();
          expect(readdirSync(dir)).toContain('snapshot');
          s = openStore(opts);
          const keys = keysOf([...before, ...after]);
          same(s, ref, ranges, keys);
          for (const c of after) {
            ref.commit(c);
            s.commit(c);
            same(s, ref, ranges.slice(0, 2), keys.slice(0, 10));
          }
          same(s, ref, ranges, keys);
          // Without close: the snapshot and the log replayed onto lazy trees.
          same(openStore(opts), ref, ranges, keys);
          await s.close();
          same(openStore(opts), ref, ranges, keys);
          // The same snapshot without its index (an earlier ddbctl's), read whole.
          const whole = withoutIndex(dir);
          same(openStore({ ...opts, dir: whole }), ref, ranges, keys);
          rmSync(dir, { recursive: true });
          rmSync(whole, { recursive: true });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads a snapshot of many records by its index as it reads it whole: runs across records, trees sharing one, gets and walks both ways', async () => {
    const dir = tempDir();
    const ref = memoryStore();
    const s = openStore({ dir, closeCompactBytes: 0, runEntries: 7 });
    // Three trees of about 2.5 MB (about forty 64 KB records each, a record holding the end of one
    // tree and the start of the next), values of 1 to 1,000 bytes, keys with multi-byte characters.
    for (const t of ['a', 'b\u00e9', 'c']) {
      const c = Array.from({ length: 5000 }, (_, i) =>
        put(t, `k\u{1F600}${String(i * 7).padStart(6, '0')}`, 'v'.repeat(1 + ((i * 37) % 1000))),
      );
      ref.commit(c);
      s.commit(c);
    }
    ref.commit([put('d', 'only')]);
    s.commit([put('d', 'only')]);
    await s.close();
    expect(statSync(join(dir, 'snapshot')).size).toBeGreaterThan(7 << 20);
    const ranges: Range[] = [
      {},
      { reverse: true },
      { from: 'k\u{1F600}010000', to: 'k\u{1F600}020003', reverse: true },
      { from: 'k\u{1F600}013999', afterFrom: true },
    ];
    const keys = [
      '',
      'zz',
      'k\u{1F600}000699x',
      ...Array.from({ length: 300 }, (_, i) => `k\u{1F600}${String(i * 113).padStart(6, '0')}`),
    ];
    const byIndex = openStore({ dir, runEntries: 7 });
    for (const t of ['a', 'b\u00e9', 'c', 'd']) {
      for (const range of ranges) {
        expect([...byIndex.tree(t).entries(range)]).toEqual([...ref.tree(t).entries(range)]);
      }
      for (const k of keys) expect(byIndex.tree(t).get(k)).toEqual(ref.tree(t).get(k));
    }
    expect(dump(byIndex)).toEqual(dump(ref));
    expect(dump(openStore({ dir: withoutIndex(dir), runEntries: 7 }))).toEqual(dump(ref));
    // Another run length than it was written with: read whole (its runs built at open).
    expect(dump(openStore({ dir, runEntries: 5 }))).toEqual(dump(ref));
    // Dropping a tree, then writes until one materialises, then a snapshot from what is left.
    const w = openStore({ dir, closeCompactBytes: 0, runEntries: 7, overlayMax: 50 });
    const c: Change[] = [
      { tree: 'b\u00e9', drop: true },
      ...Array.from({ length: 60 }, (_, i) => put('a', `n${i}`)),
    ];
    ref.commit(c);
    w.commit(c);
    expect(dump(w)).toEqual(dump(ref));
    await w.close();
    expect(dump(openStore({ dir, runEntries: 7 }))).toEqual(dump(ref));
    // A record in the middle damaged: the others are read, that one refused when a walk reaches it.
    const snap = join(dir, 'snapshot');
    const bytes = readFileSync(snap);
    const starts = snapshotRecordStarts(bytes);
    expect(starts.length).toBeGreaterThan(5);
    // (The log replayed at open reads tree a's last record; tree c's are only read by a walk.)
    // starts: the data records, then the index record.
    const bad = starts[starts.length - 3]!;
    bytes[bad + 100]! ^= 1;
    writeFileSync(snap, bytes);
    const damaged = openStore({ dir, runEntries: 7 });
    expect(damaged.tree('d').get('only')).toEqual(ref.tree('d').get('only'));
    expect(() => dump(damaged)).toThrow(`bad block at byte ${bad}`);
    // Keys the tree does not hold are answered from its filter (bloom.ts), that record unread but
    // for about 0.05% of them; keys it holds there are not.
    const fails = (keys: string[]): number =>
      keys.filter((k) => {
        try {
          damaged.tree('c').get(k);
          return false;
        } catch {
          return true;
        }
      }).length;
    const held = Array.from({ length: 5000 }, (_, i) => `k\u{1F600}${String(i * 7).padStart(6, '0')}`);
    expect(fails(held)).toBeGreaterThan(50);
    expect(fails(held.map((k) => `${k}x`))).toBeLessThan(5);
    await damaged.close();
    // Writes of keys elsewhere: a few are taken; the commit that would load tree c whole (and read
    // the damaged record) fails before it is logged or applied, and the data dir still opens.
    const w2 = openStore({ dir, runEntries: 7, overlayMax: 40 });
    const few = Array.from({ length: 30 }, (_, i) => put('c', `new${i}`));
    w2.commit(few);
    const logs = () => readdirSync(dir).filter((f) => f.startsWith('log-'));
    const logBytes = () => logs().reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    const before = logBytes();
    expect(() => w2.commit(Array.from({ length: 20 }, (_, i) => put('c', `more${i}`)))).toThrow(
      `bad block at byte ${bad}`,
    );
    expect(logBytes()).toBe(before);
    expect(w2.tree('c').get('more0')).toBeUndefined();
    expect(w2.tree('c').get('new0')?.j).toBe('{"k":"new0"}');
    w2.commit([put('d', 'after')]);
    await w2.close();
    const reopened = openStore({ dir, runEntries: 7, overlayMax: 40 });
    expect([reopened.tree('c').get('new29')?.j, reopened.tree('c').get('more0')]).toEqual([
      '{"k":"new29"}',
      undefined,
    ]);
    expect(reopened.tree('d').get('after')?.j).toBe('{"k":"after"}');
  });

  it('walks a lazy tree as it was when the walk began, even when a commit comes in between', async () => {
    for (const overlayMax of [1, 1000]) {
      const dir = tempDir();
      const s = openStore({ dir, closeCompactBytes: 0, runEntries: 7, overlayMax });
      s.commit(keys500);
      await s.close();
      const r = openStore({ dir, runEntries: 7, overlayMax });
      r.commit([put('t', '0101x')]);
      expect(walkWhileCommitting(r)).toHaveLength(401);
      expect(r.tree('t').count).toBe(0);
    }
  });

  it('rewrites nothing on close when nothing changed, and keeps a data dir of the released format readable', async () => {
    const dir = tempDir();
    const s = openStore({ dir, closeCompactBytes: 0 });
    s.commit(Array.from({ length: 300 }, (_, i) => put('t', `k${i}`)));
    await s.close();
    const before = statSync(join(dir, 'snapshot'));
    const files = readdirSync(dir).sort();
    const r = openStore({ dir, closeCompactBytes: 0 });
    expect([r.tree('t').count, r.tree('t').get('k7')?.j]).toEqual([300, '{"k":"k7"}']);
    expect([...r.tree('t').entries({ reverse: true, to: 'k2' })].length).toBe(113);
    await r.close();
    expect(readdirSync(dir).sort()).toEqual(files);
    const after = statSync(join(dir, 'snapshot'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(readFileSync(join(dir, 'snapshot'), 'latin1').slice(0, 8)).toBe(SNAP_MAGIC);
  });
});

describe('openStore on disk', () => {
  it('reopens to the same state, through the log, then through a snapshot, then both', async () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(changeArb, { minLength: 1, maxLength: 5 }), { maxLength: 20 }),
        (commits) => {
          const dir = tempDir();
          const ref = memoryStore();
          let s = openStore({ dir });
          const half = commits.length >> 1;
          commits.forEach((c, i) => {
            ref.commit(c);
            s.commit(c);
            if (i === half) {
              // A reopen without close: the log alone (as after kill -9).
              s = openStore({ dir });
            }
          });
          expect(dump(openStore({ dir }))).toEqual(dump(ref));
          rmSync(dir, { recursive: true });
        },
      ),
      { numRuns: 60 },
    );
    const dir = tempDir();
    const ref = memoryStore();
    let s = openStore({ dir, closeCompactBytes: 0 });
    for (let i = 0; i < 100; i++) {
      const c = [
        put('t', `k${i}`),
        put('i', `k${i % 7}`, `v${i}`),
        ...(i % 10 === 9 ? [{ tree: 't', key: `k${i - 3}`, value: null }] : []),
      ];
      ref.commit(c);
      s.commit(c);
      if (i === 50) {
        await s.close(); // writes a snapshot: the log is large next to it
        expect(readdirSync(dir).sort()).toEqual(['log-00000002', 'snapshot']);
        s = openStore({ dir, closeCompactBytes: 0 });
      }
    }
    // Now a snapshot and a log after it.
    expect(dump(openStore({ dir }))).toEqual(dump(ref));
    await s.close();
    expect(dump(openStore({ dir }))).toEqual(dump(ref));
  });

  it('writes no snapshot on close for a log that costs less to replay than the snapshot to rewrite', async () => {
    const dir = tempDir();
    const s = openStore({ dir });
    s.commit([put('t', 'a')]);
    await s.close();
    expect(readdirSync(dir)).toEqual(['log-00000001']);
    const big = openStore({ dir });
    big.commit([put('t', 'b', 'x'.repeat(1 << 20))]);
    await big.close();
    expect(readdirSync(dir).sort()).toEqual(['log-00000002', 'snapshot']);
    expect(openStore({ dir }).tree('t').count).toBe(2);
    // A log under an eighth of the snapshot, but over closeCompactMax: written into it all the same.
    const small = openStore({ dir, closeCompactBytes: 0, closeCompactMax: 1000 });
    small.commit([put('t', 'c', 'x'.repeat(900))]);
    await small.close();
    expect(readdirSync(dir).sort()).toEqual(['log-00000002', 'snapshot']);
    const capped = openStore({ dir, closeCompactBytes: 0, closeCompactMax: 1000 });
    capped.commit([put('t', 'c', 'x'.repeat(200))]);
    await capped.close();
    expect(readdirSync(dir).sort()).toEqual(['log-00000003', 'snapshot']);
    expect(openStore({ dir }).tree('t').count).toBe(3);
  });

  it('writes a snapshot once the commits since the last one pass compactRecords, however small', async () => {
    const dir = tempDir();
    const s = openStore({ dir, compactRecords: 100 });
    for (let i = 0; i < 99; i++) s.commit([put('t', `k${i}`)]);
    await new Promise((r) => setImmediate(r));
    expect(readdirSync(dir)).toEqual(['log-00000001']);
    s.commit([put('t', 'last')]);
    await s.close();
    expect(readdirSync(dir).sort()).toEqual(['log-00000002', 'snapshot']);
    expect(openStore({ dir }).tree('t').count).toBe(100);
  });

  it('writes a snapshot in the background once the log passes compactBytes, and commits go on meanwhile', async () => {
    const dir = tempDir();
    const ref = memoryStore();
    const s = openStore({ dir, compactBytes: 20_000 });
    for (let i = 0; i < 3000; i++) {
      const c = [put('t', `k${i % 1000}`, 'x'.repeat(i % 50))];
      ref.commit(c);
      s.commit(c);
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    const files = readdirSync(dir);
    expect(files).toContain('snapshot');
    expect(files.filter((f) => f.startsWith('log-')).length).toBeLessThanOrEqual(2);
    expect(dump(openStore({ dir }))).toEqual(dump(ref));
    await s.close();
    expect(dump(openStore({ dir }))).toEqual(dump(ref));
  });

  it('drops a torn tail (an unfinished last write) and cuts it off, then appends after the last whole commit', () => {
    const dir = tempDir();
    const s = openStore({ dir });
    s.commit([put('t', 'a')]);
    s.commit([put('t', 'b'), put('u', 'b')]);
    const log = join(dir, 'log-00000001');
    const whole = statSync(log).size;
    s.commit([put('t', 'c'), put('u', 'c')]);
    const full = readFileSync(log);
    for (const cut of [whole + 1, whole + 7, whole + 8, full.length - 1]) {
      writeFileSync(log, full.subarray(0, cut));
      const warnings: string[] = [];
      const r = openStore({ dir, onWarning: (m) => warnings.push(m) });
      expect([...r.tree('t').entries()].map(([k]) => k)).toEqual(['a', 'b']);
      expect(r.tree('u').count).toBe(1);
      expect(warnings[0]).toMatch(/dropped \d+ bytes of an unfinished write/);
      expect(statSync(log).size).toBe(whole);
      r.commit([put('t', 'd')]);
      expect([...openStore({ dir }).tree('t').entries()].map(([k]) => k)).toEqual(['a', 'b', 'd']);
    }
  });

  it('drops a corrupt last record (bad checksum, zero length), never half of it', () => {
    const dir = tempDir();
    const s = openStore({ dir });
    s.commit([put('t', 'a')]);
    const log = join(dir, 'log-00000001');
    const whole = statSync(log).size;
    s.commit([put('t', 'b'), put('t', 'c')]);
    const full = readFileSync(log);
    const flipped = Buffer.from(full);
    flipped[flipped.length - 3]! ^= 0x40;
    const zeros = Buffer.concat([full.subarray(0, whole), Buffer.alloc(64)]);
    for (const bad of [flipped, zeros]) {
      writeFileSync(log, bad);
      const r = openStore({ dir });
      expect([...r.tree('t').entries()].map(([k]) => k)).toEqual(['a']);
      expect(statSync(log).size).toBe(whole);
    }
  });

  it('refuses a damaged record in the middle of the last log (whole records follow it), leaving the file as it was', () => {
    const dir = tempDir();
    const s = openStore({ dir });
    const log = join(dir, 'log-00000001');
    const ends: number[] = [];
    for (let i = 1; i <= 5; i++) {
      s.commit([put('t', `i${i}`, `{"id":"i${i}","v":"xxxxxxxx"}`)]);
      ends.push(statSync(log).size);
    }
    const full = readFileSync(log);
    const at = ends[0]!; // record 2 starts where record 1 ends
    const key = full.indexOf('"i2"');
    const damages: [string, Buffer][] = [
      ['a payload byte', Buffer.from(full)],
      ['the checksum', Buffer.from(full)],
      ['the length (past the end of the file)', Buffer.from(full)],
      ['the length (zero)', Buffer.from(full)],
    ];
    damages[0]![1][key + 1] = 90;
    damages[1]![1][at + 4]! ^= 1;
    damages[2]![1].writeUInt32LE(1 << 30, at);
    damages[3]![1].writeUInt32LE(0, at);
    for (const [what, bad] of damages) {
      writeFileSync(log, bad);
      const warnings: string[] = [];
      expect(() => openStore({ dir, onWarning: (m) => warnings.push(m) }), what).toThrow(
        new RegExp(
          `log-00000001 is damaged \\(bad record at byte ${at}, in the middle of the log: whole records follow it, from byte ${ends[1]} on; not a write cut short by a crash but bytes the disk or another program changed\\); nothing was changed\\. Keep a copy of the folder .* first\\. Then either run again with DDBCTL_ENGINE_SALVAGE=1 to start from the commits before byte ${at} \\(the log as it is now is copied to .*log-00000001\\.damaged-${at}; the commits from byte ${at} on are left out\\), or move the folder aside`,
        ),
      );
      expect(readFileSync(log).equals(bad), what).toBe(true);
      expect(warnings).toEqual([]);
    }
  });

  it('finds the whole record after a damaged one across the chunks it reads the log in (records over 1 MiB)', () => {
    const dir = tempDir();
    const s = openStore({ dir });
    const log = join(dir, 'log-00000001');
    s.commit([put('t', 'a')]);
    const at = statSync(log).size;
    s.commit([put('t', 'big', 'x'.repeat(1_500_000))]);
    const next = statSync(log).size;
    s.commit([put('t', 'big2', 'y'.repeat(1_500_000))]);
    const bad = readFileSync(log);
    bad[at + 100]! ^= 1;
    writeFileSync(log, bad);
    expect(() => openStore({ dir })).toThrow(`whole records follow it, from byte ${next} on`);
    expect(readFileSync(log).equals(bad)).toBe(true);
  });

  it('refuses a damaged last record followed by bytes that are not zeros, drops one followed by zeros', () => {
    const dir = tempDir();
    const s = openStore({ dir });
    s.commit([put('t', 'a')]);
    const log = join(dir, 'log-00000001');
    const whole = statSync(log).size;
    s.commit([put('t', 'b')]);
    const full = readFileSync(log);
    full[full.length - 2]! ^= 1;
    writeFileSync(log, Buffer.concat([full, Buffer.from('garbage')]));
    expect(() => openStore({ dir })).toThrow(/7 bytes that are not a record follow it, from byte \d+ on/);
    writeFileSync(log, Buffer.concat([full, Buffer.alloc(4096)]));
    const warnings: string[] = [];
    const r = openStore({ dir, onWarning: (m) => warnings.push(m) });
    expect([...r.tree('t').entries()].map(([k]) => k)).toEqual(['a']);
    expect(warnings).toEqual([
      `dropped ${full.length + 4096 - whole} bytes of an unfinished write at the end of ${log} (byte ${whole} on: its last commit, whose checksum does not match: cut short by a crash, or damaged)`,
    ]);
    expect(statSync(log).size).toBe(whole);
  });

  it('with salvage, starts from the commits before the damage and keeps the log as it was beside it', () => {
    const dir = tempDir();
    const s = openStore({ dir });
    // b and c: records of the same size, so c starts halfway through what follows a.
    for (const k of ['a', 'b', 'c']) s.commit([put('t', k)]);
    const log = join(dir, 'log-00000001');
    const full = readFileSync(log);
    const bad = Buffer.from(full);
    const b = bad.indexOf('"b"');
    bad[b + 1] = 90;
    writeFileSync(log, bad);
    expect(() => openStore({ dir })).toThrow(/in the middle of the log/);
    const warnings: string[] = [];
    const r = openStore({ dir, salvage: true, onWarning: (m) => warnings.push(m) });
    expect([...r.tree('t').entries()].map(([k]) => k)).toEqual(['a']);
    const cut = statSync(log).size;
    expect(warnings).toEqual([
      `started from the commits before byte ${cut} of ${log} (DDBCTL_ENGINE_SALVAGE): it is damaged there (whole records follow it, from byte ${cut + (full.length - cut) / 2} on); the ${full.length - cut} bytes from there on were left out, and the log as it was is in ${log}.damaged-${cut}`,
    ]);
    expect(readFileSync(`${log}.damaged-${cut}`).equals(bad)).toBe(true);
    r.commit([put('t', 'd')]);
    expect([...openStore({ dir }).tree('t').entries()].map(([k]) => k)).toEqual(['a', 'd']);
    // The same damage again: the first copy stays.
    writeFileSync(log, bad);
    openStore({ dir, salvage: true });
    expect(readFileSync(`${log}.damaged-${cut}-2`).equals(bad)).toBe(true);
    expect(readFileSync(`${log}.damaged-${cut}`).equals(bad)).toBe(true);
  });

  it('refuses damage it cannot explain by a crash: a bad record in a log that later logs follow, a bad snapshot', async () => {
    const dir = tempDir();
    const s = openStore({ dir, compactBytes: 1 });
    s.commit([put('t', 'a')]);
    // Compaction started in the background (log-00000002 exists); damage log 1 before it finishes.
    await s.close();
    const snap = join(dir, 'snapshot');
    const good = readFileSync(snap);
    // A record damaged: the index still opens the store, and the first read of that record refuses
    // it with the same reason (not also a warning), as a whole read refuses it at open; what it left
    // undone is that request (writes before it stand), where the start changes nothing.
    const bad = Buffer.from(good);
    bad[20]! ^= 1;
    writeFileSync(snap, bad);
    const warnings: string[] = [];
    const lazy = openStore({ dir, onWarning: (m) => warnings.push(m) });
    expect(lazy.tree('t').count).toBe(1);
    const damaged =
      /engine's data file .*snapshot is damaged \(bad block at byte 8\); the request that needed it changed nothing\. Move the data dir aside/;
    expect(() => lazy.tree('t').get('a')).toThrow(damaged);
    // The read's own error says it (the engine's doors pass it on): no warning beside it.
    expect(warnings).toEqual([]);
    await lazy.close();
    // Its index damaged too (the trailer): read whole, checked at open.
    bad[bad.length - 5]! ^= 1;
    writeFileSync(snap, bad);
    expect(() => openStore({ dir })).toThrow(
      /engine's data file .*snapshot is damaged \(bad block at byte 8\); nothing was changed\. Move the data dir aside/,
    );
    // The index alone damaged: read whole, nothing lost, and said once at open.
    const badIndex = Buffer.from(good);
    badIndex[badIndex.length - 20]! ^= 1;
    writeFileSync(snap, badIndex);
    const notices: string[] = [];
    expect(
      openStore({ dir, onWarning: (m) => notices.push(m) })
        .tree('t')
        .get('a')?.j,
    ).toBe('{"k":"a"}');
    expect(notices).toEqual([
      `the index at the end of the engine's data file ${snap} is damaged; its items are whole (each checked), and it was read whole instead, a slower start for each command until the next snapshot is written`,
    ]);
    // Cut short: without its index (its items whole) read whole; inside its items, refused.
    writeFileSync(snap, good.subarray(0, good.length - 20));
    expect(openStore({ dir }).tree('t').get('a')?.j).toBe('{"k":"a"}');
    writeFileSync(snap, good.subarray(0, 24));
    expect(() => openStore({ dir })).toThrow(
      /engine's data file .*snapshot is damaged \(bad block at byte 8\); nothing was changed\. Move the data dir aside/,
    );
    writeFileSync(snap, good);
    expect(openStore({ dir }).tree('t').count).toBe(1);

    const d2 = tempDir();
    const s2 = openStore({ dir: d2 });
    s2.commit([put('t', 'a')]);
    writeFileSync(join(d2, 'log-00000002'), 'DDBCTLL1');
    appendFileSync(join(d2, 'log-00000001'), Buffer.from([9, 0, 0, 0, 1, 2, 3, 4, 5]));
    expect(() => openStore({ dir: d2 })).toThrow(
      /log-00000001 is damaged \(bad record at byte \d+ of a log that later logs follow\)/,
    );
  });

  it('refuses a snapshot whose tree holds fewer or more entries than it says', () => {
    for (const [said, have] of [
      [3, 2],
      [1, 2],
    ] as const) {
      const dir = tempDir();
      const w = new Writer();
      w.u8(OP.META);
      w.f64(1);
      w.u8(OP.TREE);
      w.str('t');
      w.f64(said);
      w.f64(2);
      for (let i = 0; i < have; i++) {
        w.u8(OP.ENTRY);
        w.str(`k${i}`);
        w.f64(1);
        w.str('{}');
      }
      w.u8(OP.END);
      w.f64(1);
      writeFileSync(join(dir, 'snapshot'), Buffer.concat([Buffer.from(SNAP_MAGIC), w.frame()]));
      expect(() => openStore({ dir })).toThrow(
        /snapshot is damaged \(tree t has (2 entries, not 3|more entries than 1)\)/,
      );
    }
  });

  it('keeps nothing from a commit whose write fails, and goes on after it', async () => {
    const dir = tempDir();
    const s = openStore({ dir });
    s.commit([put('t', 'a')]);
    // A value that cannot be encoded fails before anything is written or applied.
    expect(() =>
      s.commit([put('t', 'b'), { tree: 't', key: 'c', value: { j: 5 as unknown as string, z: 1 } }]),
    ).toThrow();
    expect(s.tree('t').count).toBe(1);
    for (const bad of [{ j: '{}', z: Number.NaN }, { j: '{}' }, null as unknown as Stored]) {
      for (const store of [s, openStore({ dir: null })]) {
        const c = bad === null ? { tree: 't', key: 'c' } : { tree: 't', key: 'c', value: bad };
        expect(() => store.commit([put('t', 'b'), c as Change])).toThrow(/not a change it can keep/);
        expect(store.tree('t').get('b')).toBeUndefined();
      }
    }
    s.commit([put('t', 'd')]);
    expect([...openStore({ dir }).tree('t').entries()].map(([k]) => k)).toEqual(['a', 'd']);
    await s.close();
    expect(() => s.commit([put('t', 'e')])).toThrow(/after close/);
  });

  it('refuses every write once its folder is deleted (its log gone), saying so, and keeps what was there', async () => {
    const parent = tempDir();
    const dir = join(parent, 'engine');
    const s = openStore({ dir });
    s.commit([put('t', 'a')]);
    rmSync(parent, { recursive: true });
    const gone = `the engine's data dir ${parent} was deleted while the engine ran (its log ${join(dir, 'log-00000001')} is gone): writes are refused from now on, since none could be kept; stop the engine and start it again (its tables are then those of the new data dir), or restore the folder`;
    for (let i = 0; i < 2; i++) {
      expect(() => s.commit([put('t', 'b')])).toThrow(
        expect.objectContaining({ code: 'engine.storage', message: gone }),
      );
    }
    // Reads go on from what it holds.
    expect([s.tree('t').get('a')?.j, s.tree('t').get('b')]).toEqual(['{"k":"a"}', undefined]);
  });

  it('starts a last log again when it died being created (shorter than its magic)', async () => {
    const dir = tempDir();
    const s = openStore({ dir, closeCompactBytes: 0 });
    s.commit([put('t', 'a')]);
    await s.close();
    writeFileSync(join(dir, 'log-00000003'), 'DDB');
    writeFileSync(join(dir, 'log-00000002'), 'DDBCTLL1');
    const r = openStore({ dir });
    expect(r.tree('t').count).toBe(1);
    expect(readFileSync(join(dir, 'log-00000003'), 'latin1')).toBe('DDBCTLL1');
    r.commit([put('t', 'b')]);
    expect(openStore({ dir }).tree('t').count).toBe(2);
  });

  it('says which folder it cannot open, and how to go on', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    expect(() => openStore({ dir: join(dir, 'file', 'engine') })).toThrow(
      /cannot open the engine's data in .*file\/engine: .*; pass --data-dir to a writable folder or --memory/,
    );
  });

  it('keeps only committed snapshots: a leftover snapshot.tmp is ignored and removed', () => {
    const dir = tempDir();
    openStore({ dir }).commit([put('t', 'a')]);
    writeFileSync(join(dir, 'snapshot.tmp'), 'garbage');
    expect(openStore({ dir }).tree('t').count).toBe(1);
    expect(readdirSync(dir)).not.toContain('snapshot.tmp');
  });

  it('computes CRC-32 as zlib does, with or without node`s own', () => {
    const b = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32Portable(b, 0, b.length)).toBe(0x414fa339);
    expect(crc32(b, 4, 9)).toBe(crc32Portable(b, 4, 9));
  });
});

describe('a write the data dir refuses', () => {
  it('says how to go on for the causes a user can fix: a full disk or quota, a read-only file system, a failing disk', () => {
    expect(writeFix('ENOSPC', '/d')).toBe("; free space on the disk that holds /d ('df -h /d' shows it)");
    expect(writeFix('EDQUOT', '/d')).toContain('free space on the disk that holds /d');
    expect(writeFix('EROFS', '/d')).toBe(
      '; the file system of /d is read-only: remount it writable, or use another --data-dir',
    );
    expect(writeFix('EIO', '/d')).toContain('check it (dmesg)');
    expect(writeFix('EBADF', '/d')).toBe('');
    expect(writeFix(undefined, '/d')).toBe('');
  });
});
