/**
 * A BatchWriteItem call on the wire path: its request body written as text from checked requests
 * (each request's text kept for a retry), sent on the bulk client (wireBody.ts), and the
 * UnprocessedItems of its answer read back to native items, as the document client would give them.
 * batchWrite takes this branch whenever the clients have a bulk client (every target ddbctl makes).
 */
import type { BatchWriteItemCommandOutput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { PreparedWrite } from '../batch/writePlan.js';
import { ddbJsonText, fromRawItem, setOwn } from '../data/codec.js';
import { sendBatchWriteBody } from './wireBody.js';

/** A put request's text around an item's DynamoDB JSON text (checked by readPlainItem, say). */
export function putRequestText(itemText: string): string {
  return `{"PutRequest":{"Item":${itemText}}}`;
}

/**
 * The body of a BatchWriteItem call for `chunk`: the JSON of writePlan's `batchWriteInput`, as
 * DynamoDB reads it. Each request's text is kept in its `text`, so a retry writes it only once.
 */
export function batchWriteBody(table: string, chunk: readonly PreparedWrite[]): string {
  let body = `{"RequestItems":{${JSON.stringify(table)}:[`;
  for (let i = 0; i < chunk.length; i++) {
    const p = chunk[i] as PreparedWrite;
    p.text ??=
      p.kind === 'put'
        ? putRequestText(ddbJsonText(p.item))
        : `{"DeleteRequest":{"Key":${ddbJsonText(p.item)}}}`;
    body += i ? `,${p.text}` : p.text;
  }
  return `${body}]}}`;
}

/** A low-level BatchWriteItem output as lib-dynamodb gives it: UnprocessedItems as native items. */
export function nativeBatchWriteOutput(out: BatchWriteItemCommandOutput): BatchWriteCommandOutput {
  const back = out.UnprocessedItems;
  if (!back || !Object.values(back).some((list) => list?.length)) {
    return { ...out, UnprocessedItems: {} } as BatchWriteCommandOutput;
  }
  const native: NonNullable<BatchWriteCommandOutput['UnprocessedItems']> = {};
  for (const [t, list] of Object.entries(back)) {
    // NOTE: a table may be named __proto__ (own key, not the object's prototype).
    setOwn(
      native,
      t,
      (list ?? []).map((r) =>
        r.PutRequest?.Item
          ? { PutRequest: { Item: fromRawItem(r.PutRequest.Item) } }
          : { DeleteRequest: { Key: fromRawItem(r.DeleteRequest?.Key ?? {}) } },
      ),
    );
  }
  return { ...out, UnprocessedItems: native } as BatchWriteCommandOutput;
}

/** One BatchWriteItem call for `chunk` on the bulk client; the answer as the document client's. */
export async function sendBatchWrite(
  client: DynamoDBClient,
  table: string,
  chunk: readonly PreparedWrite[],
  signal?: AbortSignal,
): Promise<BatchWriteCommandOutput> {
  return nativeBatchWriteOutput(await sendBatchWriteBody(client, batchWriteBody(table, chunk), signal));
}
