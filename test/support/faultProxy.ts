// A fault-injecting HTTP proxy for tests: sits on 127.0.0.1 in front of an engine's endpoint (the
// embedded engine and DynamoDB Local both speak plain HTTP with JSON bodies and an X-Amz-Target
// header) and, by rule, answers throttling or 500 errors, drops connections, adds latency, or
// writes only part of a BatchWriteItem / reads only part of a BatchGetItem and hands the rest back
// as UnprocessedItems / UnprocessedKeys, so those items really are not written or read. With
// `capacity` it plays a provisioned table: write units a second from a token bucket, and above it
// the items that do not fit come back unprocessed, or the call is refused with
// ProvisionedThroughputExceededException when none fits, as DynamoDB does.
//
// NOTE: a rewritten body no longer matches the SigV4 signature the SDK computed over the original.
// Neither dynalite nor DynamoDB Local checks signatures (they accept any credentials), so the
// engine accepts it; an unchanged body is forwarded byte for byte with its headers.
//
// Usage:
//   const proxy = await startFaultProxy({ target: endpoint(), faults: [
//     { kind: 'throttling', probability: 0.1 },
//     { kind: 'unprocessed', operations: ['BatchWriteItem'], probability: 0.3, forward: 0.5 },
//   ]});
//   ... clients for proxy.endpoint ...; expect(proxy.stats.faults.unprocessed).toBeGreaterThan(0)
import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind =
  /** 400 ProvisionedThroughputExceededException (the SDK retries it as throttling). */
  | 'throughput'
  /** 400 ThrottlingException. */
  | 'throttling'
  /** 500 InternalServerError. */
  | 'http500'
  /** Close the connection without forwarding: the request never reaches the engine. */
  | 'dropBefore'
  /** Forward, let the engine do the work, then close the connection instead of answering. */
  | 'dropAfter'
  /** Wait `ms` before forwarding (adds to whatever other fault fires). */
  | 'latency'
  /** BatchWriteItem / BatchGetItem only: forward part of the items or keys, return the rest unprocessed. */
  | 'unprocessed';

export interface Fault {
  kind: FaultKind;
  /** Operations (the X-Amz-Target action, e.g. 'BatchWriteItem') it applies to. Default: all. */
  operations?: string[];
  /** Chance per matching request, 0–1. Without `probability` and `count` the fault always fires. */
  probability?: number;
  /** Fire on `count` matching requests only, after skipping the first `skip` of them. */
  count?: number;
  skip?: number;
  /** latency: milliseconds added. */
  ms?: number;
  /**
   * unprocessed: the share of the items / keys forwarded to the engine, 0–1 (rounded down, chosen at
   * random, but at least one when the share is above 0, so a batch of one still makes progress as it
   * does on DynamoDB); the others come back unprocessed. 0 = nothing is written or read. Default 0.5.
   */
  forward?: number;
}

export interface ProxyStats {
  /** Requests received. */
  requests: number;
  /** Requests received per operation. */
  operations: Record<string, number>;
  /** Faults fired per kind. */
  faults: Record<FaultKind, number>;
  /** Requests that reached the engine (whole or in part). */
  forwarded: number;
  /** Items (BatchWriteItem) and keys (BatchGetItem) handed back as unprocessed. */
  withheld: number;
  /** With `capacity`: write calls that met it (refused, or items handed back), and all write calls. */
  capacity: { throttled: number; calls: number; units: number };
}

/** A provisioned table's write capacity, played by the proxy. */
export interface Capacity {
  /** Write units a second (one per started KB of an item written, as DynamoDB charges). */
  writeUnits: number;
  /** Seconds of unused capacity kept for a burst. Default 1 (DynamoDB keeps up to 300). */
  burstSeconds?: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port>: point the clients (or --endpoint-url) here. */
  endpoint: string;
  /** Live counters; reset with resetStats(). */
  readonly stats: ProxyStats;
  /** Replace the rules (their counters start again). */
  setFaults(faults: Fault[]): void;
  /** Play a provisioned table from now on (a full bucket), or stop (undefined). */
  setCapacity(capacity: Capacity | undefined): void;
  resetStats(): void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** The engine's endpoint, e.g. http://127.0.0.1:8000. */
  target: string;
  faults?: Fault[];
  capacity?: Capacity;
  /** Random source in [0, 1) for probabilities and the unprocessed subset. Default Math.random. */
  random?: () => number;
}

const KINDS: FaultKind[] = [
  'throughput',
  'throttling',
  'http500',
  'dropBefore',
  'dropAfter',
  'latency',
  'unprocessed',
];
const BATCH_OPS = new Set(['BatchWriteItem', 'BatchGetItem']);

function emptyStats(): ProxyStats {
  return {
    requests: 0,
    operations: {},
    faults: Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    forwarded: 0,
    withheld: 0,
    capacity: { throttled: 0, calls: 0, units: 0 },
  };
}

const ERRORS: Partial<Record<FaultKind, { status: number; type: string; message: string }>> = {
  throughput: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message:
      'The level of configured provisioned throughput for the table was exceeded. (injected by the fault proxy)',
  },
  throttling: {
    status: 400,
    type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput. (injected by the fault proxy)',
  },
  http500: {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error (injected by the fault proxy)',
  },
};

interface Rule {
  fault: Fault;
  matched: number;
}

interface Upstream {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** How many of `n` items a partial batch forwards: the share rounded down, at least one unless 0. */
function forwarded(n: number, share: number): number {
  return share > 0 ? Math.max(1, Math.floor(n * share)) : 0;
}

/** Pick `n` of `list` at random; returns [picked, rest], each in the original order. */
function pick<T>(list: T[], n: number, random: () => number): [T[], T[]] {
  const idx = list.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const chosen = new Set(idx.slice(0, n));
  return [list.filter((_, i) => chosen.has(i)), list.filter((_, i) => !chosen.has(i))];
}

type Json = Record<string, unknown>;

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const random = opts.random ?? Math.random;
  // NOTE: more sockets than a client has calls in flight (adaptive writes go up to 128).
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let rules: Rule[] = [];
  let stats = emptyStats();
  const setFaults = (faults: Fault[]) => {
    rules = faults.map((fault) => ({ fault, matched: 0 }));
  };
  setFaults(opts.faults ?? []);
  let bucket: { capacity: Capacity; tokens: number; at: number } | undefined;
  const setCapacity = (capacity: Capacity | undefined) => {
    bucket = capacity && {
      capacity,
      tokens: capacity.writeUnits * (capacity.burstSeconds ?? 1),
      at: performance.now(),
    };
  };
  setCapacity(opts.capacity);
  /**
   * How many of a BatchWriteItem's requests (each `units` write units) the bucket lets through now,
   * in order; their units are spent.
   */
  const admit = (units: number[]): number => {
    if (!bucket) return units.length;
    const now = performance.now();
    const { writeUnits, burstSeconds = 1 } = bucket.capacity;
    bucket.tokens = Math.min(
      writeUnits * burstSeconds,
      bucket.tokens + ((now - bucket.at) / 1000) * writeUnits,
    );
    bucket.at = now;
    let n = 0;
    for (const u of units) {
      if (bucket.tokens < u) break;
      bucket.tokens -= u;
      stats.capacity.units += u;
      n++;
    }
    return n;
  };

  const applies = (f: Fault, op: string) =>
    (!f.operations || f.operations.includes(op)) && (f.kind !== 'unprocessed' || BATCH_OPS.has(op));
  const fires = (r: Rule): boolean => {
    r.matched++;
    const { count, skip = 0, probability } = r.fault;
    if (count !== undefined) {
      if (r.matched <= skip || r.matched > skip + count) return false;
      return probability === undefined || random() < probability;
    }
    return probability === undefined || random() < probability;
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      stats.forwarded++;
      const headers = { ...req.headers, 'content-length': String(body.length) };
      const up = request(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers,
          agent,
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(parts) }),
          );
          res.on('error', reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });

  /** Answer with a whole body; `rewritten`: not the engine's bytes, so its checksum header goes. */
  const send = (
    res: ServerResponse,
    status: number,
    headers: IncomingMessage['headers'],
    body: Buffer,
    rewritten = true,
  ) => {
    const h: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined || k === 'content-length' || k === 'transfer-encoding') continue;
      if (rewritten && k === 'x-amz-crc32') continue;
      h[k] = v;
    }
    h['content-length'] = String(body.length);
    res.writeHead(status, h);
    res.end(body);
  };
  const sendJson = (
    res: ServerResponse,
    status: number,
    json: unknown,
    headers: IncomingMessage['headers'] = {},
  ) =>
    send(
      res,
      status,
      { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID(), ...headers },
      Buffer.from(JSON.stringify(json)),
    );

  /** Forward part of a batch; answer with the engine's result plus what was held back. */
  const partial = async (
    req: IncomingMessage,
    res: ServerResponse,
    op: string,
    body: Buffer,
    share: number,
  ): Promise<void> => {
    const input = JSON.parse(body.toString('utf8')) as { RequestItems?: Record<string, unknown> } & Json;
    const kept: Record<string, unknown> = {};
    const held: Record<string, unknown> = {};
    for (const [table, spec] of Object.entries(input.RequestItems ?? {})) {
      if (op === 'BatchWriteItem') {
        const list = spec as unknown[];
        const [fwd, rest] = pick(list, forwarded(list.length, share), random);
        if (fwd.length) kept[table] = fwd;
        if (rest.length) held[table] = rest;
        stats.withheld += rest.length;
      } else {
        const { Keys = [], ...rest } = spec as { Keys?: unknown[] } & Json;
        const [fwd, back] = pick(Keys, forwarded(Keys.length, share), random);
        if (fwd.length) kept[table] = { ...rest, Keys: fwd };
        if (back.length) held[table] = { ...rest, Keys: back };
        stats.withheld += back.length;
      }
    }
    const resultKey = op === 'BatchWriteItem' ? 'UnprocessedItems' : 'UnprocessedKeys';
    if (!Object.keys(kept).length) {
      // Nothing forwarded (an empty RequestItems is invalid): answer as DynamoDB would.
      sendJson(
        res,
        200,
        op === 'BatchWriteItem' ? { [resultKey]: held } : { Responses: {}, [resultKey]: held },
      );
      return;
    }
    const up = await forward(req, Buffer.from(JSON.stringify({ ...input, RequestItems: kept })));
    if (up.status !== 200) {
      send(res, up.status, up.headers, up.body, false);
      return;
    }
    const out = JSON.parse(up.body.toString('utf8')) as Json;
    const merged: Record<string, unknown> = { ...((out[resultKey] as Json | undefined) ?? {}) };
    for (const [table, v] of Object.entries(held)) {
      const already = merged[table];
      if (op === 'BatchWriteItem') merged[table] = [...((already as unknown[]) ?? []), ...(v as unknown[])];
      else {
        const a = (already as { Keys?: unknown[] } | undefined)?.Keys ?? [];
        merged[table] = { ...(v as Json), Keys: [...a, ...((v as { Keys: unknown[] }).Keys ?? [])] };
      }
    }
    sendJson(res, 200, { ...out, [resultKey]: merged }, up.headers);
  };

  /** Under `capacity`: a BatchWriteItem as a provisioned table answers it. False: not one to limit. */
  const provisioned = async (req: IncomingMessage, res: ServerResponse, op: string, body: Buffer) => {
    if (!bucket || op !== 'BatchWriteItem') return false;
    const input = JSON.parse(body.toString('utf8')) as { RequestItems?: Record<string, unknown[]> };
    const tables = Object.entries(input.RequestItems ?? {});
    const [table, list] = tables[0] ?? ['', []];
    // NOTE: one table a call (as ddbctl sends); its requests' units are their items' JSON size.
    if (tables.length !== 1) return false;
    stats.capacity.calls++;
    const units = list.map((r) => Math.max(1, Math.ceil(JSON.stringify(r).length / 1024)));
    const n = admit(units);
    if (n === list.length) return false;
    stats.capacity.throttled++;
    if (n === 0) {
      const e = ERRORS.throughput as { status: number; type: string; message: string };
      sendJson(res, e.status, { __type: e.type, message: e.message });
      return true;
    }
    stats.withheld += list.length - n;
    const up = await forward(
      req,
      Buffer.from(JSON.stringify({ ...input, RequestItems: { [table]: list.slice(0, n) } })),
    );
    if (up.status !== 200) {
      send(res, up.status, up.headers, up.body, false);
      return true;
    }
    const out = JSON.parse(up.body.toString('utf8')) as Json;
    const back = (out.UnprocessedItems as Record<string, unknown[]> | undefined)?.[table] ?? [];
    sendJson(res, 200, { ...out, UnprocessedItems: { [table]: [...back, ...list.slice(n)] } }, up.headers);
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const amzTarget = String(req.headers['x-amz-target'] ?? '');
    const op = amzTarget.slice(amzTarget.lastIndexOf('.') + 1);
    stats.requests++;
    stats.operations[op] = (stats.operations[op] ?? 0) + 1;

    let delay = 0;
    let fault: Fault | undefined;
    for (const r of rules) {
      if (!applies(r.fault, op)) continue;
      if (r.fault.kind === 'latency') {
        if (fires(r)) {
          stats.faults.latency++;
          delay += r.fault.ms ?? 100;
        }
      } else if (!fault && fires(r)) {
        fault = r.fault;
      }
    }
    if (delay) await new Promise((r) => setTimeout(r, delay));
    if (fault) stats.faults[fault.kind]++;

    const error = fault && ERRORS[fault.kind];
    if (error) {
      sendJson(res, error.status, { __type: error.type, message: error.message });
      return;
    }
    if (fault?.kind === 'dropBefore') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'unprocessed') {
      await partial(req, res, op, body, Math.min(1, Math.max(0, fault.forward ?? 0.5)));
      return;
    }
    if (!fault && (await provisioned(req, res, op, body))) return;
    const up = await forward(req, body);
    if (fault?.kind === 'dropAfter') {
      req.socket.destroy();
      return;
    }
    send(res, up.status, up.headers, up.body, false);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // The engine failed or went away: say so as a 502 the SDK treats as transient.
      if (!res.headersSent) {
        sendJson(res, 502, {
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: `fault proxy: ${e instanceof Error ? e.message : String(e)}`,
        });
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get stats() {
      return stats;
    },
    setFaults,
    setCapacity,
    resetStats() {
      stats = emptyStats();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}
