/**
 * A command joined to the engine another ddbctl holds keeps working when that holder stops (Ctrl-C,
 * end, kill -9): its requests go through a handler that forwards them to the holder over loopback
 * and, when the holder is gone, opens the data dir itself (or joins the command that opened it
 * first) and sends the request again there. A long-running one (`tail`, `ui`) opens it shareable,
 * and serves it in turn; a short one (put, import) for itself, as when it opens a free data dir.
 *
 * A holder that does not answer. A stopped process (Ctrl-Z, SIGSTOP) still accepts connections
 * (the kernel queues them) and takes the request: its requests are failed as soon as the process
 * is seen stopped (Linux's /proc, looked at every second), and any is failed after 60 s without an
 * answer (its outcome unknown). Closing the command cuts its requests in flight.
 *
 * What is sent again. A request that never reached the holder (the connection refused) is sent
 * again whatever it is. A request the holder may have received before it died (the connection cut
 * under it, kill -9) has an unknown outcome: it is sent again only when doing it twice is doing it
 * once with the same answer: reads, and PutItem / DeleteItem / BatchWriteItem without a condition or
 * old values asked back. Anything else (UpdateItem: ADD or `x = x + 1` would count twice; a
 * conditional write would fail on its own first success; CreateTable, transactions, PartiQL
 * writes) is reported as unknown, for the user to look. A clean stop answers every request in
 * flight before it closes (and connections are not kept open between requests), so the unknown
 * case is a holder killed mid-request.
 *
 * When. As soon as the holder is gone (engine.json released, or its process dead: looked at every
 * 500 ms), or at the first request that finds it so.
 */

import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname } from 'node:path';
import { HttpResponse } from '@smithy/core/transport';
import type { HttpRequest } from '@smithy/types';
import { DdbError } from '../core/errors.js';
import type { Engine } from './index.js';
import type { EngineRequestHandler } from './inProcess.js';
import { stopped } from './proc.js';

/** Connection failures after which nothing reached the holder. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EADDRNOTAVAIL', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Connection failures that mean the holder is not there (any more) to answer. */
const GONE = new Set([...NOT_SENT, 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Operations that read only: the same request again is the same request. */
const READS = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'TransactGetItems',
  'DescribeTable',
  'ListTables',
  'DescribeTimeToLive',
  'DescribeContinuousBackups',
  'DescribeLimits',
  'ListTagsOfResource',
  'GetResourcePolicy',
  'DescribeEndpoints',
  // DynamoDB Streams: an iterator is a position in the data dir, read again from the same place.
  'DescribeStream',
  'ListStreams',
  'GetShardIterator',
  'GetRecords',
]);

/**
 * Whether a request whose outcome is unknown may be sent again: doing it twice is doing it once
 * and gets the same answer. See the file's comment.
 */
export function repeatable(target: string | undefined, body: string): boolean {
  const op = target?.slice(target.indexOf('.') + 1) ?? '';
  if (READS.has(op)) return true;
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (op === 'PutItem' || op === 'DeleteItem') {
    // ALL_OLD would answer, the second time, the item the first time wrote (or nothing).
    const values = input.ReturnValues;
    return (
      input.ConditionExpression === undefined &&
      input.Expected === undefined &&
      (values === undefined || values === 'NONE')
    );
  }
  // Puts and deletes of whole items, never conditional.
  if (op === 'BatchWriteItem') return true;
  if (op === 'ExecuteStatement') return /^\s*select\s/i.test(String(input.Statement ?? ''));
  return false;
}

/** The operation a request asks for, by its X-Amz-Target ("DynamoDB_20120810.GetItem" → GetItem). */
function operationOf(target: string | undefined): string {
  return target ? target.slice(target.indexOf('.') + 1) : 'the request';
}

/** The network code of a failed forward, when it is a connection failure. */
function connectionCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && GONE.has(code) ? code : undefined;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  // NOTE: the SDK's DynamoDB clients send a string or bytes; a stream body is not one of ours.
  throw new DdbError('internal', { message: 'a request body of ddbctl is a string or bytes' });
}

/**
 * Send `request` to `endpoint` (ddbctl's engine door on loopback). One connection a request: a
 * kept-alive connection the holder closes as it stops would cut the next request, whose outcome
 * would then be unknown; a new one is refused (never sent) instead.
 */
function forward(
  endpoint: string,
  request: HttpRequest,
  body: string,
  signal: AbortSignal,
): Promise<{ response: HttpResponse }> {
  const u = new URL(endpoint);
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const req = httpRequest(
      {
        host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: Number(u.port),
        method: 'POST',
        path: '/',
        agent: false,
        headers: {
          ...request.headers,
          host: u.host,
          // NOTE: the door refuses a DynamoDB request without credentials, as DynamoDB does; requests
          // of the in-process door go unsigned (nobody checks a signature on loopback).
          authorization: request.headers.authorization ?? 'ddbctl-joined',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
          resolve({
            response: new HttpResponse({
              statusCode: res.statusCode ?? 500,
              headers,
              body: new Uint8Array(Buffer.concat(chunks)),
            }),
          });
        });
      },
    );
    req.on('error', reject);
    // The request cut (its socket destroyed), the error its reason: the holder not answering, the
    // command closing.
    signal.addEventListener('abort', () => req.destroy(signal.reason), { once: true });
    req.end(body);
  });
}

export interface HandoffOptions {
  /** engine.json of the data dir. */
  holderFile: string;
  /** Whether a process still runs. */
  alive(pid: number): boolean;
  /** Open the data dir again, shareable: this process's own engine, or the one the first taker opened. */
  reopen(): Promise<Engine>;
  /** Told once the command has taken the engine over (or joined the one that did). */
  onHandoff?: (message: string) => void;
  /** How long a holder that stopped answering has to release the data dir (ms). Default 15 s. */
  releaseMs?: number;
  /** How often to look whether the holder is still there, between requests (ms). Default 500. */
  watchMs?: number;
  /**
   * How long a request forwarded to the holder may go unanswered (ms). Default 60 s: longer than
   * anything ddbctl's engine takes for one request, even busy with other clients'.
   */
  answerMs?: number;
  /** Whether a process is stopped (Ctrl-Z, SIGSTOP); undefined: not known. Default: Linux's /proc. */
  stopped?(pid: number): boolean | undefined;
}

/**
 * The message for a holder that is stopped: it accepts connections (the kernel queues them) and
 * never answers until it is resumed.
 */
export function stoppedHolder(holder: Pick<Engine, 'holder' | 'pid'>, dataDir: string): string {
  return `${holderName(holder)} holding data dir ${dataDir} does not answer: it is stopped (Ctrl-Z or SIGSTOP): resume it (fg in its terminal, or kill -CONT ${holder.pid}) or end it, then run the command again`;
}

/** Who holds the data dir now, by engine.json (undefined: nobody, or unreadable). */
function holderPid(file: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

/** What a stopped holder is called in messages: "the ddbctl ui (pid 42)". */
export function holderName(e: Pick<Engine, 'holder' | 'pid'>): string {
  return `the ddbctl ${e.holder ?? 'serve'} (pid ${e.pid})`;
}

/**
 * `joined` (another process's engine, reached over HTTP), as an engine whose `requestHandler`
 * follows the data dir: to `joined` while it answers, then to the engine `reopen` gives.
 */
export function handoff(joined: Engine, opts: HandoffOptions): Engine {
  let active: Engine = joined;
  let taking: Promise<Engine> | undefined;
  let closed = false;
  // A holder waited for in vain (alive, holding, not answering) is not waited for again at each retry.
  let waitedFor: Engine | undefined;

  /** Wait for the holder to let go of the data dir, then open it (or join who did). Once per holder. */
  const takeOver = (from: Engine): Promise<Engine> => {
    if (active !== from) return Promise.resolve(active);
    taking ??= (async () => {
      const end = Date.now() + (waitedFor === from ? 0 : (opts.releaseMs ?? 15_000));
      // A holder that stops cleanly closes its door first, then its store, then engine.json.
      while (opts.alive(from.pid) && holderPid(opts.holderFile) === from.pid) {
        if (Date.now() > end || closed) {
          waitedFor = from;
          return from;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const next = await opts.reopen();
      active = next;
      opts.onHandoff?.(
        `${holderName(from)} whose engine this command was using stopped; ` +
          (next.shared
            ? `it now uses the ddbctl ${next.holder ?? 'serve'} at ${next.endpoint} (pid ${next.pid}), which took it over`
            : `this command now runs the engine itself${next.endpoint ? `, which other commands use at ${next.endpoint} while it runs` : ''}`),
      );
      return next;
    })().finally(() => {
      taking = undefined;
    });
    return taking;
  };

  // NOTE: taken over as soon as the holder is gone, not at the next request only: a ui's page may
  // ask nothing for an hour, meanwhile another command would open the data dir and hold it.
  const watch = setInterval(() => {
    if (active !== joined || closed) {
      clearInterval(watch);
      return;
    }
    if (taking || (opts.alive(joined.pid) && holderPid(opts.holderFile) === joined.pid)) return;
    // A failure is met again by the next look, or by the next request, which reports it.
    takeOver(joined).catch(() => {});
  }, opts.watchMs ?? 500);
  watch.unref();

  const isStopped = opts.stopped ?? stopped;
  const dataDir = dirname(opts.holderFile);
  // Requests forwarded and not answered yet: cut when the command closes (Ctrl-C ends at once).
  const inFlight = new Set<AbortController>();

  /** Forward to the holder; cut when it turns out stopped, answers nothing for answerMs, or we close. */
  const send = (request: HttpRequest, body: string, caller?: AbortSignal) => {
    const op = operationOf(request.headers['x-amz-target']);
    // NOTE: engine.locked, not endpoint.unreachable: nothing is gained by trying again (a batch
    // writer would, for seconds); the data dir is held by a process that cannot answer.
    const stoppedError = () =>
      new DdbError('engine.locked', {
        message: `${op}: ${stoppedHolder(joined, dataDir)}`,
      });
    if (isStopped(joined.pid)) return Promise.reject(stoppedError());
    // Stopped with the request sent: the holder may carry it out once resumed.
    const stoppedAfter = () =>
      new DdbError('engine.locked', {
        message: `${op}: ${holderName(joined)} holding data dir ${dataDir} stopped (Ctrl-Z or SIGSTOP) with the request sent: whether it was done is unknown (a stopped holder carries it out when resumed); resume it (fg in its terminal, or kill -CONT ${joined.pid}) or end it, then look before running the command again`,
      });
    const cut = new AbortController();
    inFlight.add(cut);
    const onCaller = () => cut.abort(caller?.reason);
    caller?.addEventListener('abort', onCaller, { once: true });
    const answerMs = opts.answerMs ?? 60_000;
    const began = Date.now();
    // NOTE: a stopped holder's kernel still accepts the connection and takes the request: only
    // looking at the process tells it from a slow one.
    const look = setInterval(
      () => {
        if (isStopped(joined.pid)) cut.abort(stoppedAfter());
        else if (Date.now() - began >= answerMs)
          cut.abort(
            new DdbError('engine.locked', {
              message: `${op}: ${holderName(joined)} holding data dir ${dataDir} has not answered in ${answerMs / 1000} s: it is busy or hung; whether the request was done is unknown; look at that process (or end it), then run the command again`,
            }),
          );
      },
      Math.min(1000, answerMs),
    );
    return forward(joined.endpoint as string, request, body, cut.signal).finally(() => {
      clearInterval(look);
      caller?.removeEventListener('abort', onCaller);
      inFlight.delete(cut);
    });
  };

  const handler: EngineRequestHandler = {
    async handle(request, options) {
      const on = active;
      if (on !== joined) return (on.requestHandler as EngineRequestHandler).handle(request, options);
      const body = bodyText(request.body);
      try {
        // NOTE: the SDK's signal is a DOM AbortSignal in its types, Node's at run time.
        return await send(request, body, options?.abortSignal as AbortSignal | undefined);
      } catch (e) {
        const code = connectionCode(e);
        if (code === undefined) throw e;
        const next = await takeOver(on);
        // Still there (it does not answer): the caller's message says so.
        if (next === on) throw e;
        const target = request.headers['x-amz-target'];
        if (!NOT_SENT.has(code) && !repeatable(target, body)) {
          const op = operationOf(target);
          // NOTE: no cause: the SDK would retry on its network code, and ddbctl would reword it.
          throw new DdbError('endpoint.unreachable', {
            message: `${op}: ${holderName(on)} whose engine this command was using stopped while it handled this request (${code}): whether it was done is unknown, and it is not sent again (doing it twice may not be doing it once); look at the data, then do it again if it was not done`,
          });
        }
        return (next.requestHandler as EngineRequestHandler).handle(request, options);
      }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };

  return {
    get endpoint() {
      return active.endpoint;
    },
    get shared() {
      return active.shared;
    },
    get pid() {
      return active.pid;
    },
    get holder() {
      return active.holder;
    },
    requestHandler: handler,
    close: async () => {
      closed = true;
      clearInterval(watch);
      for (const cut of inFlight)
        cut.abort(
          new DdbError('operation.aborted', { message: 'the command stopped before the answer came' }),
        );
      const last = await (taking ?? Promise.resolve(active)).catch(() => active);
      await last.close();
    },
  };
}
