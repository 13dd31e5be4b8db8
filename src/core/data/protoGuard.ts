/**
 * Answers that hold an attribute named "__proto__" are refused before the SDK reads them.
 *
 * Why: the SDK builds maps by assignment, so such an attribute is dropped, or garbles the map that
 * holds it (a map `{"__proto__": {"N": "1"}}` comes out as the number 1), with no error. DynamoDB
 * and DynamoDB Local store the name like any other (dynalite, itself JavaScript, drops it on
 * write). ddbctl never writes one (data/validate.ts); a table written by another tool may hold one.
 *
 * The check is a byte search of the response body for `"__proto__"` followed by `:`: only an
 * object key is followed by a colon (inside a string value the quotes are escaped). Export reads
 * Scan bodies itself, exactly, before this check sees them (wire/wireScan.ts), so it copies
 * such items losslessly.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DdbError } from '../errors.js';
import { COLON, isJsonSpace } from '../util/bytes.js';
import { type HttpLikeResponse, successBody } from '../wire/httpBody.js';

const NAME = Buffer.from('"__proto__"');

/** True when JSON text `body` has an object key "__proto__". */
export function hasProtoKey(body: Buffer): boolean {
  for (let at = body.indexOf(NAME); at >= 0; at = body.indexOf(NAME, at + 1)) {
    let i = at + NAME.length;
    while (isJsonSpace(body[i])) i++;
    if (body[i] === COLON) return true;
  }
  return false;
}

/** Add the check to `client`: a successful answer with a "__proto__" key throws item.unreadable. */
export function refuseProtoAttributes(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const response = result.response as HttpLikeResponse;
      const bytes = await successBody(response);
      if (!bytes) return result;
      // The SDK's deserializer reads a Uint8Array body as it is.
      response.body = bytes;
      if (hasProtoKey(bytes)) {
        const operation = String(context.commandName ?? 'the call').replace(/Command$/, '');
        throw new DdbError('item.unreadable', {
          message:
            `${operation}: the answer holds an attribute named "__proto__", which the AWS SDK for JavaScript ` +
            'cannot read without dropping it or garbling its map; nothing of this answer was used. ' +
            "'ddbctl export' reads such items exactly; to use other commands, rename the attribute with another tool (e.g. the AWS CLI)",
        });
      }
      return result;
    },
    // Innermost but one: between the SDK's deserializer and the HTTP handler, inside its retries.
    // A wire Scan (wire/wireScan.ts) sits inside this and has already taken its body.
    { step: 'deserialize', priority: 'low', name: 'ddbctlRefuseProtoAttributes' },
  );
}
