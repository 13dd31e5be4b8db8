/**
 * Bulk writes through a client of their own: its middleware stack is resolved once per command
 * class (the SDK's `cacheMiddleware`), and each call carries a request body ddbctl wrote itself.
 * The SDK still resolves the endpoint, signs, sends, retries and reads the response
 * (UnprocessedItems included), but neither its serializer nor lib-dynamodb's marshalling walks the
 * items, and no stack is built per call. Bulk writes spend most of their client CPU in the SDK's
 * per-call work (BENCHMARKS.md); this takes about a fifth of it off.
 *
 * NOTE: with cacheMiddleware the SDK shares one handler (and its context) between the calls of a
 * command class, so the body travels with the call's own arguments, never in the context; and a
 * call given options (an abort signal) is resolved on its own, as without the cache.
 */
import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import type { HttpRequest } from '@smithy/types';

/** Where the body rides in a command's input, and then in the arguments of each middleware. */
const WIRE_BODY = Symbol('ddbctl.wireBody');

type WithBody = { [WIRE_BODY]?: Uint8Array };

/** Bulk clients whose calls get no abort signal (see createBulkClient's `signals`). */
const signalFree = new WeakSet<DynamoDBClient>();

/**
 * The client for bulk writes: `config` plus the cached stack and the two body middlewares.
 * `signals: false`: its calls are sent without the caller's abort signal, so that every call uses
 * the cached stack (a call given options is resolved on its own); only for a request handler in
 * this process, whose calls cannot hang: the caller's loop stops between calls.
 */
export function createBulkClient(
  config: DynamoDBClientConfig,
  opts: { signals?: boolean } = {},
): DynamoDBClient {
  const client = new DynamoDBClient({ ...config, cacheMiddleware: true });
  if (opts.signals === false) signalFree.add(client);
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
        request.headers['content-length'] = String(body.byteLength);
      }
      return next(args);
    },
    // Before the content length and the signature are worked out from the body.
    { step: 'build', priority: 'high', name: 'ddbctlWireBody' },
  );
  return client;
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
  const input = { RequestItems: {}, [WIRE_BODY]: Buffer.from(body, 'utf8') };
  const command = new BatchWriteItemCommand(input);
  return signal && !signalFree.has(client)
    ? client.send(command, { abortSignal: signal })
    : client.send(command);
}
