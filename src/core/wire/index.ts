/**
 * The wire path: bulk transfers (import, batch-write, export, copy-table) build the JSON text of
 * their requests and read the JSON text of their responses directly, skipping the document client
 * (lib-dynamodb's marshalling) and, where they can, the SDK's own serializer and deserializer. Those
 * walks over every attribute value cost more client CPU than the rest of a transfer (BENCHMARKS.md).
 * Everything else, and every call outside a bulk transfer, goes through the document client.
 *
 * The text these modules write is the text the general path writes (`ddbJsonText`,
 * `stringifyRawItem`), character for character, and their tests hold them to it:
 * - plainItem.ts: a plain JSON item's text → the item, its DynamoDB JSON text and its sizes, in one
 *   pass (import and batch-write read their lines with it);
 * - batchWriteText.ts: a BatchWriteItem request body from checked requests, and the
 *   UnprocessedItems of its answer read back to native items;
 * - wireSize.ts: the bytes a request takes in a body, for BatchWriteItem's 16 MB;
 * - wireBody.ts: the bulk client, which sends a body ddbctl wrote (the SDK still signs, sends and
 *   retries; the endpoint and the request's envelope are made once, a successful answer read as JSON);
 * - wireText.ts: a Scan page's bytes → plain JSON bytes, without objects;
 * - wireScan.ts: one Scan call whose page is read from the response body;
 * - httpBody.ts: the body of a successful answer, read inside an SDK middleware.
 *
 * Importers take the file they need (a command loads only what it uses); this index is the map.
 */

export { type HttpLikeResponse, successBody } from './httpBody.js';
export { CheckedItem, type CheckedText, readPlainItem } from './plainItem.js';
export { createBulkClient, sendBatchWriteBody } from './wireBody.js';
export { type FailedAttempts, scanWirePage, WireScanPage } from './wireScan.js';
export { itemWireBytes, PUT_ENVELOPE_BYTES, writeRequestWireBytes } from './wireSize.js';
export { readWireBody, type WireBodyRest, type WireBodyText } from './wireText.js';
