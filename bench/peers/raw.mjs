#!/usr/bin/env node
// The raw limit of an endpoint: what a bare client does with no parsing and no bookkeeping.
//
//   node bench/peers/raw.mjs import ENDPOINT TABLE FILE.ndjson CONCURRENCY
//   node bench/peers/raw.mjs export ENDPOINT TABLE SEGMENTS [OUT.ndjson]
//
// import: reads and marshals every item first (not timed), then times only a loop of
// BatchWriteItem calls (25 items each, CONCURRENCY in flight) with @aws-sdk/client-dynamodb;
// UnprocessedItems are sent again (bounded). export: times a parallel Scan of SEGMENTS segments, all
// in flight at once, pages of up to 1 MB (no Limit), the SDK's own deserializer. Without OUT it only
// counts the items it receives; with OUT it exports them as a user's loop would: each item through
// util-dynamodb's `unmarshall`, numbers kept as the strings DynamoDB sent (`wrapNumbers: (s) => s`:
// no digit lost, but written as JSON strings, "42", where ddbctl writes the number 42 with the same
// digits), one JSON.stringify line per item, a page's lines in one write to a file stream
// (backpressure kept), the stream ended and closed inside the time (no fsync: ddbctl does none
// either). Sets and binary would come out wrong (a Set as {}, bytes as an object): the bench's
// items have none. Prints one JSON line: {"items": n, "seconds": s}. Both loops are bounded in calls
// and in time.
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { BatchWriteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

const MAX_SECONDS = Number(process.env.DDBCTL_BENCH_MAX_SECONDS ?? 900);
const [mode, endpoint, table, ...rest] = process.argv.slice(2);
if (!endpoint?.startsWith('http://127.0.0.1:')) {
  process.stderr.write('raw.mjs: the endpoint must be http://127.0.0.1:PORT\n');
  process.exit(2);
}
const client = new DynamoDBClient({ endpoint, region: 'us-east-1', maxAttempts: 5 });
const deadline = () => performance.now() > started + MAX_SECONDS * 1000;
let started = 0;

async function importItems(file, concurrency) {
  const text = readFileSync(file, 'utf8');
  const batches = [];
  let batch = [];
  let count = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    batch.push({ PutRequest: { Item: marshall(JSON.parse(line)) } });
    count++;
    if (batch.length === 25) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length) batches.push(batch);
  let next = 0;
  let retried = 0;
  const worker = async () => {
    while (next < batches.length && !deadline()) {
      let requests = batches[next++];
      for (let attempt = 0; requests.length; attempt++) {
        if (attempt > 10) throw new Error(`unprocessed items left after ${attempt} attempts`);
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
        requests = out.UnprocessedItems?.[table] ?? [];
        if (requests.length) {
          retried += requests.length;
          await new Promise((r) => setTimeout(r, 10 * 2 ** Math.min(attempt, 6)));
        }
      }
    }
  };
  started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (next < batches.length) throw new Error(`stopped after ${MAX_SECONDS} s with batches left`);
  return { items: count, seconds, retried };
}

async function exportItems(segments, outFile) {
  let items = 0;
  let pages = 0;
  const out = outFile && createWriteStream(outFile);
  const keepDigits = { wrapNumbers: (s) => s };
  const segment = async (Segment) => {
    let ExclusiveStartKey;
    do {
      if (deadline()) throw new Error(`scan stopped after ${MAX_SECONDS} s`);
      const answer = await client.send(
        new ScanCommand({
          TableName: table,
          ...(segments > 1 ? { Segment, TotalSegments: segments } : {}),
          ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        }),
      );
      const page = answer.Items ?? [];
      items += page.length;
      pages++;
      if (out && page.length) {
        let text = '';
        for (const item of page) text += `${JSON.stringify(unmarshall(item, keepDigits))}\n`;
        if (!out.write(text)) await once(out, 'drain');
      }
      ExclusiveStartKey = answer.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  };
  started = performance.now();
  await Promise.all(Array.from({ length: segments }, (_, i) => segment(i)));
  if (out) {
    out.end();
    await once(out, 'close');
  }
  return { items, seconds: (performance.now() - started) / 1000, pages };
}

const positive = (v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`expected a whole number 1–1000: ${v}`);
  return n;
};
const result =
  mode === 'import'
    ? await importItems(rest[0], positive(rest[1]))
    : mode === 'export'
      ? await exportItems(positive(rest[0]), rest[1])
      : (() => {
          throw new Error(`mode: import or export, not ${mode}`);
        })();
process.stdout.write(`${JSON.stringify(result)}\n`);
client.destroy();
