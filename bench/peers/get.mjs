#!/usr/bin/env node
// GetItem latency, one call at a time, with one client built before the clock starts.
//
//   node bench/peers/get.mjs ENDPOINT TABLE N COUNT
//   node bench/peers/get.mjs --data-dir DIR TABLE N COUNT
//
// Reads COUNT items of bench/data.mjs's keys (user#00000000 … of N items), spread over the table by
// a seeded generator, after 200 reads not timed (the JITs warm up). With --data-dir the embedded
// engine runs in this process on DIR, started through ddbctl's own build (dist/), and the client
// reaches it through the door that engine gives (an in-process request handler, or an endpoint).
// Prints one JSON line: {"count", "p50", "p99", "mean" (ms), "door"}. Every item must be found.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const dataDir = args[0] === '--data-dir' ? args[1] : undefined;
const [where, table, nArg, countArg] = dataDir ? [dataDir, ...args.slice(2)] : args;
const n = Number(nArg);
const count = Number(countArg);
if (!dataDir && !where?.startsWith('http://127.0.0.1:')) {
  process.stderr.write('get.mjs: the endpoint must be http://127.0.0.1:PORT\n');
  process.exit(2);
}

/**
 * The embedded engine in this process on `dir`, started as ddbctl's commands start it (the engine
 * module of this build, dist/engine/index.js), and client settings that reach it: its request
 * handler when it gives one (the in-process door), else its endpoint (an engine on HTTP).
 */
async function embedded(dir) {
  const entry = join(root, 'dist', 'engine', 'index.js');
  if (!existsSync(entry)) throw new Error('no dist/engine/index.js in this build: run npm run build');
  const { startEngine } = await import(pathToFileURL(entry).href);
  const engine = await startEngine({ dataDir: dir });
  if (engine.requestHandler)
    return { engine, settings: { requestHandler: engine.requestHandler }, door: 'in-process handler' };
  return { engine, settings: { endpoint: engine.endpoint }, door: 'HTTP on loopback, same process' };
}

const target = dataDir ? await embedded(dataDir) : { settings: { endpoint: where }, door: 'HTTP' };
const client = new DynamoDBClient({ region: 'us-east-1', maxAttempts: 1, ...target.settings });

let a = 42;
const next = () => {
  // mulberry32, as bench/data.mjs
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const key = () => ({ pk: { S: `user#${String(Math.floor(next() * n)).padStart(8, '0')}` } });

async function get() {
  const out = await client.send(new GetItemCommand({ TableName: table, Key: key() }));
  if (!out.Item) throw new Error('an item of the table was not found');
}

for (let i = 0; i < 200; i++) await get();
const ms = [];
for (let i = 0; i < count; i++) {
  const t0 = performance.now();
  await get();
  ms.push(performance.now() - t0);
}
ms.sort((x, y) => x - y);
const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
const mean = ms.reduce((s, x) => s + x, 0) / ms.length;
process.stdout.write(`${JSON.stringify({ count, p50: at(0.5), p99: at(0.99), mean, door: target.door })}\n`);
client.destroy();
await target.engine?.close?.();
