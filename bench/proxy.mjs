#!/usr/bin/env node
// A latency proxy for the benchmark: `node bench/proxy.mjs TARGET MS` listens on 127.0.0.1 (a free
// port, printed on stdout), and forwards every request to TARGET after holding it MS milliseconds,
// as a distant endpoint would. Bodies and headers pass byte for byte (the SigV4 signature stays
// valid). It runs as its own process so its work does not share an event loop with a client.
//
// `node bench/proxy.mjs TARGET MS WCU` also plays a provisioned table: BatchWriteItem calls take
// write units (one per started KB of each request) from a bucket of WCU a second (a second's burst);
// a call the bucket cannot cover is answered ProvisionedThroughputExceededException, as DynamoDB
// does when none of a batch fits. GET /__stats gives the counts: calls, throttled, units, and the
// first and last call's time (ms).
//
// NOTE: test/support/faultProxy.ts has a latency fault too, but it is TypeScript outside dist/ and
// belongs to the test suite; this one is 60 lines and has nothing else to do.
import { Agent, createServer, request } from 'node:http';

const [target, msArg, wcuArg] = process.argv.slice(2);
const ms = Number(msArg);
const wcu = wcuArg === undefined ? undefined : Number(wcuArg);
const stats = { calls: 0, throttled: 0, units: 0, first: 0, last: 0 };
let tokens = wcu ?? 0;
let filledAt = performance.now();
/** Whether the bucket covers `units` now (then they are spent). */
const admit = (units) => {
  const now = performance.now();
  tokens = Math.min(wcu, tokens + ((now - filledAt) / 1000) * wcu);
  filledAt = now;
  if (tokens < units) return false;
  tokens -= units;
  return true;
};
if (!target || !/^http:\/\/127\.0\.0\.1:\d+$/.test(target) || !Number.isFinite(ms) || ms < 0) {
  process.stderr.write('usage: node bench/proxy.mjs http://127.0.0.1:PORT MS\n');
  process.exit(2);
}
const to = new URL(target);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.url === '/__stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(stats));
      return;
    }
    if (wcu !== undefined && String(req.headers['x-amz-target'] ?? '').endsWith('.BatchWriteItem')) {
      const now = performance.now();
      stats.calls++;
      stats.first ||= now;
      stats.last = now;
      const lists = Object.values(JSON.parse(body.toString('utf8')).RequestItems ?? {});
      const units = lists
        .flat()
        .reduce((t, r) => t + Math.max(1, Math.ceil(JSON.stringify(r).length / 1024)), 0);
      if (!admit(units)) {
        stats.throttled++;
        setTimeout(() => {
          const text = JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'The level of configured provisioned throughput for the table was exceeded.',
          });
          res.writeHead(400, {
            'content-type': 'application/x-amz-json-1.0',
            'content-length': Buffer.byteLength(text),
          });
          res.end(text);
        }, ms);
        return;
      }
      stats.units += units;
    }
    setTimeout(() => {
      const up = request(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${e.message}`);
      });
      up.end(body);
    }, ms);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The harness may die without stopping us: do not outlive it by more than a day's benchmark.
setTimeout(() => process.exit(0), 6 * 3600_000).unref();
