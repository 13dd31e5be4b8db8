/**
 * Bulk writes through a client of their own: its middleware stack is resolved once per command
 * class (the SDK's `cacheMiddleware`), and each call carries a request body ddbctl wrote itself.
 * The SDK still signs, sends, retries and reads every error; it resolves the endpoint and
 * serializes the (empty) input once, the request of each call is a copy, and a successful answer's
 * JSON is the output as it stands (UnprocessedItems read by batchWriteText). Neither its serializer
 * nor lib-dynamodb's marshalling walks the items, and no stack is built per call. Bulk writes spend
 * most of their client CPU in the SDK's per-call work (BENCHMARKS.md).
 *
 * NOTE: with cacheMiddleware the SDK shares one handler (and its context) between the calls of a
 * command class, so the body travels with the call's own arguments, never in the context. A call
 * given options (`send(command, { abortSignal })`) would be resolved through the whole stack on its
 * own, which cost an import behind an endpoint a tenth of its speed; so a call's abort signal goes
 * beside its body (keyed by it) to the request handler, which is wrapped to hand it on. The client
 * makes one attempt a call (clients.ts), so no retry wait is left for the signal to cut short.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  deserializerMiddlewareOption,
  getSchemaSerdePlugin,
  serializerMiddlewareOption,
} from '@smithy/core/schema';
import { HttpRequest as SmithyRequest } from '@smithy/core/transport';
import type {
  HandlerExecutionContext,
  HttpHandlerOptions,
  HttpRequest,
  HttpResponse,
  MiddlewareStack,
  Pluggable,
} from '@smithy/types';
import { fastProperties } from '../util/fastProperties.js';
import { processLimits, softLimit } from '../util/limits.js';
import { successBody } from './httpBody.js';

/** Where the body rides in a command's input, and then in the arguments of each middleware. */
const WIRE_BODY = Symbol('ddbctl.wireBody');

type WithBody = { [WIRE_BODY]?: Uint8Array | string };

/**
 * The most sockets the bulk client opens to an endpoint, and so the most BatchWriteItem calls in
 * flight: batchWrite adapts up to it and takes a larger fixed `--concurrency` as it (calls queued
 * in the client for a socket ran into the SDK's connection timeout, and were retried as if the
 * endpoint were unreachable). The SDK's default, 50, capped 64 calls behind +50 ms at 50.
 */
export const BULK_SOCKETS = 128;

/**
 * BULK_SOCKETS, or fewer under a low limit of open files: each socket is a file descriptor, beside
 * the input, checkpoint and reject files (with `ulimit -n 128`, 128 sockets failed with EMFILE).
 * Half the limit less 32, at least 8, from `/proc/self/limits` where it exists (Linux).
 */
export function socketsFor(limits: string | undefined): number {
  const soft = softLimit(limits, 'Max open files');
  if (soft === undefined || soft === 'unlimited') return BULK_SOCKETS;
  return Math.max(8, Math.min(BULK_SOCKETS, Math.floor((Number(soft) - 32) / 2)));
}

let sockets: number | undefined;

/** socketsFor this process (read once). */
export function bulkSockets(): number {
  // Not Linux (no limits to read): the default.
  sockets ??= socketsFor(processLimits());
  return sockets;
}

/** Bulk clients whose calls get no abort signal (see createBulkClient's `inProcess`). */
const signalFree = new WeakSet<DynamoDBClient>();

/** Each call's abort signal, by the body it sends (one buffer a call; signing copies keep it). */
const callSignals = new WeakMap<object, AbortSignal>();

type Handler = {
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }>;
  destroy?(): void;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): object;
  metadata?: unknown;
};

/**
 * `inner`, with each request given the abort signal `signalOf` picks for it (undefined: the
 * options as they came); the rest of a request handler's methods (the ones the SDK calls) are
 * `inner`'s, called on it. Bulk writes pick their call's own signal (callSignals); clients.ts picks
 * a command's stop for requests sent without a signal of their own.
 */
export function handingOnSignal(
  inner: Handler,
  signalOf: (request: HttpRequest, options: HttpHandlerOptions | undefined) => AbortSignal | undefined,
): Handler {
  return {
    handle: (request, options) => {
      const abortSignal = signalOf(request, options);
      return inner.handle(request, abortSignal ? { ...options, abortSignal } : options);
    },
    destroy: () => inner.destroy?.(),
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
    get metadata() {
      return inner.metadata;
    },
  };
}

/** `client`'s request handler, wrapped by handingOnSignal. */
export function handOnSignal(
  client: DynamoDBClient | { config: unknown },
  signalOf: Parameters<typeof handingOnSignal>[1],
): void {
  const config = client.config as { requestHandler: Handler };
  config.requestHandler = handingOnSignal(config.requestHandler, signalOf);
}

/**
 * The client for bulk writes: `config` plus the cached stack and the two body middlewares.
 * `inProcess`: its request handler answers in this process. Its calls are then sent without the
 * caller's abort signal (they cannot hang: the caller's loop stops between calls, and its writes
 * never end as "sent, outcome unknown"), nor the user agent and trace headers no one there reads.
 */
export function createBulkClient(
  config: DynamoDBClientConfig,
  opts: { inProcess?: boolean } = {},
): DynamoDBClient {
  const client = new DynamoDBClient({
    ...config,
    requestHandler: withSockets(config.requestHandler),
    cacheMiddleware: true,
  });
  if (opts.inProcess) {
    signalFree.add(client);
    // NOTE: a handler in this process reads neither the user agent nor the trace header (the
    // user agent was worked out and escaped on every call: about 4% of an import's own thread).
    client.middlewareStack.remove('getUserAgentMiddleware');
    client.middlewareStack.remove('recursionDetectionMiddleware');
  } else handOnSignal(client, (request) => callSignals.get(request.body as object));
  // NOTE: with one attempt a call (clients.ts: batchWrite retries itself), the SDK's retry
  // middleware only made an invocation id (a random UUID) and two headers for it, about 25 µs a
  // call. It stays by name, a step that passes the call on: the signing middleware is placed after it.
  if (config.maxAttempts === 1)
    client.middlewareStack.add((next) => next, {
      name: 'retryMiddleware',
      tags: ['RETRY'],
      step: 'finalizeRequest',
      priority: 'high',
      override: true,
    });
  const serde = sdkSerde(client);
  client.middlewareStack.add(serializingOnce(serde.serializer) as never, serializerMiddlewareOption);
  client.middlewareStack.add(readingBody(serde.deserializer) as never, deserializerMiddlewareOption);
  client.middlewareStack.add(
    // Before the serializer: it gets an empty request list, and the body goes on in the arguments.
    (next) => (args) => {
      const body = (args.input as WithBody)[WIRE_BODY];
      return next(body ? ({ ...args, input: { RequestItems: {} }, [WIRE_BODY]: body } as typeof args) : args);
    },
    { step: 'initialize', priority: 'low', name: 'ddbctlWireBodyInput' },
  );
  client.middlewareStack.add(
    (next) => (args) => {
      const body = (args as WithBody)[WIRE_BODY];
      if (body) {
        const request = args.request as HttpRequest;
        for (const name of Object.keys(request.headers)) {
          if (name.toLowerCase() === 'content-length') delete request.headers[name];
        }
        request.body = body;
        request.headers['content-length'] = String(
          typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength,
        );
      }
      return next(args);
    },
    // Before the content length and the signature are worked out from the body.
    { step: 'build', priority: 'high', name: 'ddbctlWireBody' },
  );
  fastProperties(client.config);
  return client;
}

/**
 * HTTP handler options with bulkSockets() sockets (an agent of the caller's own is kept); a handler
 * already made (the in-process door, a test's) is kept as it is. Every client ddbctl makes has them:
 * an export's Scan calls in flight (up to 64) must not wait for one of the SDK's 50 sockets either.
 */
export function withSockets(
  handler: DynamoDBClientConfig['requestHandler'],
): DynamoDBClientConfig['requestHandler'] {
  if (handler !== undefined && (typeof handler !== 'object' || 'handle' in handler)) return handler;
  const options = (handler ?? {}) as { httpAgent?: unknown; httpsAgent?: unknown };
  const agent = (given: unknown, Base: typeof HttpAgent) =>
    given === undefined || (typeof given === 'object' && given !== null && !('destroy' in given))
      ? new (freeSocketsExpire(Base))({
          keepAlive: true,
          maxSockets: bulkSockets(),
          ...(given as object | undefined),
        })
      : given;
  return {
    ...options,
    httpAgent: agent(options.httpAgent, HttpAgent),
    httpsAgent: agent(options.httpsAgent, HttpsAgent),
  } as never;
}

/** The longest a kept-alive socket waits unused for its next request. */
const FREE_SOCKET_MS = 4000;

/**
 * `Base` (node's HTTP or HTTPS agent) whose kept-alive sockets are closed after FREE_SOCKET_MS
 * unused, and a second before the endpoint's own keep-alive time (its `Keep-Alive: timeout=N`
 * hint): node 20's agent keeps them for ever, or to the very time the endpoint closes them. A
 * request sent on a socket the endpoint is closing fails as "socket hang up", which for a change
 * means "may or may not have been carried out" (clientMiddleware.ts): it must not happen to a
 * request the endpoint never read.
 */
function freeSocketsExpire(Base: typeof HttpAgent): typeof HttpAgent {
  return class extends Base {
    // NOTE: node's agent keeps the socket only when this returns true (@types/node says void).
    override keepSocketAlive(socket: Socket): boolean {
      const keep = (super.keepSocketAlive as (s: Socket) => unknown).call(this, socket) === true;
      const res = (socket as Socket & { _httpMessage?: { res?: { headers?: Record<string, unknown> } } })
        ._httpMessage?.res;
      const hint = /^timeout=(\d+)/.exec(String(res?.headers?.['keep-alive'] ?? ''))?.[1];
      const limit =
        hint === undefined ? FREE_SOCKET_MS : Math.min(FREE_SOCKET_MS, Number(hint) * 1000 - 1000);
      socket.setTimeout(Math.max(limit, 250));
      return keep;
    }
  };
}

/**
 * One BatchWriteItem call on a bulk client with `body` (the JSON of the whole request, as
 * batchWriteText.batchWriteBody writes it). The output is the low-level client's (attribute values).
 */
export function sendBatchWriteBody(
  client: DynamoDBClient,
  body: string,
  signal?: AbortSignal,
): Promise<BatchWriteItemCommandOutput> {
  // NOTE: a request handler in this process (signalFree) takes the text as it is: no UTF-8 bytes
  // made here to be read back into text by the engine.
  if (signalFree.has(client))
    return client.send(new BulkBatchWriteCommand({ RequestItems: {}, [WIRE_BODY]: body } as never));
  const bytes = Buffer.from(body, 'utf8');
  if (signal) callSignals.set(bytes, signal);
  // No options: every call runs on the cached stack; its signal reaches the handler by its body.
  return client.send(new BulkBatchWriteCommand({ RequestItems: {}, [WIRE_BODY]: bytes } as never));
}

type Step = (args: object) => Promise<unknown>;
type StepMiddleware = (next: Step, context: HandlerExecutionContext) => Step;

/** The SDK's serializer and deserializer middlewares for `client`'s config (as its constructor made them). */
function sdkSerde(client: DynamoDBClient): { serializer: StepMiddleware; deserializer: StepMiddleware } {
  const made = new Map<string | undefined, StepMiddleware>();
  getSchemaSerdePlugin(client.config as never).applyToStack({
    add: (middleware: unknown, options: { name?: string }) =>
      made.set(options.name, middleware as StepMiddleware),
  } as never);
  const serializer = made.get(serializerMiddlewareOption.name);
  const deserializer = made.get(deserializerMiddlewareOption.name);
  if (!serializer || !deserializer) throw new Error('the SDK has no serializer middlewares to wrap');
  return { serializer, deserializer };
}

/**
 * `serialize` (the SDK's serializer), whose request for a call with ddbctl's body is a copy of the
 * first such call's: every one serializes the same input (`{RequestItems: {}}`) to the same
 * endpoint (BulkBatchWriteCommand), and the SDK made it anew each time (a copy of the whole client
 * config and of the context, its schema walked: about 5% of an in-process import's own thread).
 * The body, its length and the signature are set after it, on the copy.
 */
function serializingOnce(serialize: StepMiddleware): StepMiddleware {
  return (next, context) => {
    let made: SmithyRequest | undefined;
    const first = serialize((args) => {
      if ((args as WithBody)[WIRE_BODY] !== undefined)
        made ??= SmithyRequest.clone((args as { request: SmithyRequest }).request);
      return next(args);
    }, context);
    return (args) =>
      made && (args as WithBody)[WIRE_BODY] !== undefined
        ? next({ ...args, request: SmithyRequest.clone(made) })
        : first(args);
  };
}

type ResponseHeaders = Record<string, string | undefined>;

/**
 * `deserialize` (the SDK's deserializer), except for a successful answer to a call with ddbctl's
 * body: that one's JSON is its output, as the SDK would read it but for binary values, left as
 * base64 text (batchWriteText reads UnprocessedItems with fromRawItem, which takes both). The SDK's
 * schema walk of an answer that is mostly `{"UnprocessedItems":{}}` was about 4% of an in-process
 * import's own thread. Every other answer (an error above all) goes to the SDK's deserializer.
 */
function readingBody(deserialize: StepMiddleware): StepMiddleware {
  return (next, context) => {
    const sdk = deserialize(next, context);
    return async (args) => {
      if ((args as WithBody)[WIRE_BODY] === undefined) return sdk(args);
      const result = (await next(args)) as { response: HttpResponse & { headers: ResponseHeaders } };
      const { response } = result;
      const bytes = await successBody(response);
      const sdkReads = () => deserialize(() => Promise.resolve(result), context)(args);
      if (bytes === undefined) return sdkReads();
      let parsed: unknown;
      try {
        parsed = bytes.length ? JSON.parse(bytes.toString('utf8')) : {};
      } catch {
        parsed = undefined;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        // Not a JSON object (a proxy's page, say): the SDK's deserializer reads it as it always did.
        response.body = bytes;
        return sdkReads();
      }
      const h = response.headers;
      return {
        response,
        output: {
          ...parsed,
          $metadata: {
            httpStatusCode: response.statusCode,
            requestId: h['x-amzn-requestid'] ?? h['x-amzn-request-id'] ?? h['x-amz-request-id'],
            extendedRequestId: h['x-amz-id-2'],
            cfId: h['x-amz-cf-id'],
          },
        },
      };
    };
  };
}

/** The SDK's name for the middleware that resolves a command's endpoint. */
const ENDPOINT_MIDDLEWARE = 'endpointV2Middleware';

/**
 * BatchWriteItem with a body of ddbctl's, its endpoint resolved once for all its calls. With
 * cacheMiddleware the calls of a command class share one handler and one context, and every call of
 * this class has the same input (`{RequestItems: {}}`, the body rides beside it) and so the same
 * endpoint parameters: the SDK's endpoint middleware worked them out again on every call (a copy of
 * the whole client config, a promise for each parameter, the endpoint cache's key: about 5% of an
 * in-process import's own thread). Its middleware still runs until a call has set the context's
 * endpoint (the first, or every one while it fails), then calls go straight on with that endpoint.
 */
class BulkBatchWriteCommand extends BatchWriteItemCommand {
  override resolveMiddlewareWithContext(
    ...[stack, configuration, options, args]: Parameters<
      BatchWriteItemCommand['resolveMiddlewareWithContext']
    >
  ): ReturnType<BatchWriteItemCommand['resolveMiddlewareWithContext']> {
    const { middlewareFn } = args;
    return super.resolveMiddlewareWithContext(stack, configuration, options, {
      ...args,
      middlewareFn(this: unknown, ...a: Parameters<typeof middlewareFn>) {
        return middlewareFn.apply(this, a).map(endpointOnce);
      },
    });
  }
}

type AnyPluggable = Pluggable<object, object>;

/** `plugin`, whose endpoint middleware (if it adds one) skips its work once the context has an endpoint. */
function endpointOnce(plugin: AnyPluggable): AnyPluggable {
  return {
    applyToStack(stack: MiddlewareStack<object, object>) {
      plugin.applyToStack({
        ...stack,
        addRelativeTo(middleware, options) {
          if (options.name !== ENDPOINT_MIDDLEWARE) return stack.addRelativeTo(middleware, options);
          // The endpoint middleware is a serialize-step one: (next, context) => (args) => Promise.
          const resolve = middleware as unknown as StepMiddleware;
          const once = (next: Step, context: HandlerExecutionContext & { endpointV2?: unknown }): Step => {
            const resolving = resolve(next, context);
            return (callArgs) => (context.endpointV2 === undefined ? resolving(callArgs) : next(callArgs));
          };
          return stack.addRelativeTo(once as unknown as typeof middleware, options);
        },
      });
    },
  };
}
