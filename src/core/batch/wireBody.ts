/**
 * Send a DocumentClient command with a request body ddbctl wrote itself: the SDK still resolves
 * the endpoint, signs, sends, retries and reads the response (UnprocessedItems included), but
 * neither lib-dynamodb's marshalling nor the SDK's serializer walks the items. Bulk writes spend
 * much of their client CPU there (BENCHMARKS.md); ddbctl writes the same DynamoDB JSON in one
 * walk (codec.ddbJsonText).
 *
 * The command keeps its real input (what a test double or a log sees); only the request carries
 * the text.
 */
import type { HttpRequest, MiddlewareStack } from '@smithy/types';

/** Make `command` send `body` (JSON text of the same request) instead of serialising its input. */
// biome-ignore lint/suspicious/noExplicitAny: any command of any client
export function withWireBody<C extends { middlewareStack: MiddlewareStack<any, any> }>(
  command: C,
  body: string,
  emptyInput: object,
): C {
  command.middlewareStack.add(
    // Before lib-dynamodb marshals and the SDK serialises: give them an empty input.
    (next) => (args) => next({ ...args, input: emptyInput }),
    { step: 'initialize', priority: 'low', name: 'ddbctlWireBodyInput', override: true },
  );
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as HttpRequest;
      for (const name of Object.keys(request.headers)) {
        if (name.toLowerCase() === 'content-length') delete request.headers[name];
      }
      request.body = body;
      request.headers['content-length'] = String(Buffer.byteLength(body));
      return next(args);
    },
    // Before the content length and the signature are worked out from the body.
    { step: 'build', priority: 'high', name: 'ddbctlWireBody', override: true },
  );
  return command;
}
