/**
 * The pure half of batchWrite: checking each request, cutting the stream into BatchWriteItem
 * chunks (25 requests, 16 MB), resolving duplicate keys, and building the SDK input (the document
 * client's; the wire path's text is wire/batchWriteText.ts).
 */
import type { BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { fromJsItem, type Item, type ItemInput } from '../data/codec.js';
import { canonicalKey, checkKeyAttributes, type KeySchema, keyOf } from '../data/keySchema.js';
import { validateItem } from '../data/validate.js';
import { putRequestText } from '../wire/batchWriteText.js';
import type { CheckedText } from '../wire/plainItem.js';
import { PUT_ENVELOPE_BYTES, writeRequestWireBytes } from '../wire/wireSize.js';

/** NOTE: BatchWriteItem takes at most 25 put/delete requests per call. */
export const MAX_BATCH_WRITE_REQUESTS = 25;
/** NOTE: BatchWriteItem takes at most 16 MB per call; counted in decimal MB to stay on the safe side. */
export const MAX_BATCH_WRITE_BYTES = 16_000_000;
/** Room kept for the body around the requests ({"RequestItems":{"<table>":[...]}}, the table name). */
const ENVELOPE_BYTES = 1024;

/** A request as given by a program, its item or key as `Item` (the library's boundary, `fromJsItem`). */
function fromJsRequest(r: WriteRequest<ItemInput>, where: string): WriteRequest {
  // A checked put was read from text by ddbctl: its numbers are NumberValues already.
  if ('put' in r) {
    const put = r.checked ? (r.put as Item) : fromJsItem(r.put, where);
    return put === r.put ? (r as WriteRequest) : { ...r, put };
  }
  const key = fromJsItem(r.delete, where);
  return key === r.delete ? (r as WriteRequest) : { ...r, delete: key };
}

/**
 * One request of a batch write: put an item, or delete the item with this key. `line` (the input
 * line, 1-based) is carried into every message and every failure about the request.
 */
export type WriteRequest<I extends ItemInput = Item> =
  | {
      put: I;
      line?: number;
      /** The item's DynamoDB JSON, checked (readPlainItem): sent as it is, not checked again. */
      checked?: CheckedText;
    }
  | { delete: I; line?: number };

/** A checked request, ready to be sent. */
export interface PreparedWrite {
  request: WriteRequest;
  kind: 'put' | 'delete';
  /** What is sent: the item (put) or the key alone (delete). */
  item: Item;
  /** canonicalKey of the item: equal for requests DynamoDB sees as the same key. */
  key: string;
  bytes: number;
  /** 1-based position in the input. */
  index: number;
  /** The request's DynamoDB JSON text, once written (kept for the calls that send it again). */
  text?: string;
}

/** How a request is named in messages: "line 12" when it has a line, else "request 12". */
export function whereOf(request: WriteRequest<ItemInput>, index: number): string {
  return request.line !== undefined ? `line ${request.line}` : `request ${index}`;
}

/**
 * Check a request against DynamoDB's limits and the table's key schema, before anything is sent.
 * Throws the DdbError of the first problem (input.item, input.key, item.tooLarge).
 *
 * A delete may carry the whole item (for example lines of an export): only its key is sent.
 */
export function prepareWrite(
  given: WriteRequest<ItemInput>,
  schema: KeySchema,
  index: number,
): PreparedWrite {
  const where = whereOf(given, index);
  // Read with the table's key: the key's values are checked and matched by, the text is sent, and
  // the item (made when asked) is never needed on the way.
  const keyValues = 'put' in given ? given.checked?.key : undefined;
  if (keyValues) return new CheckedWrite(given as WriteRequest, keyValues, schema, index, where);
  const request = fromJsRequest(given, where);
  if ('put' in request) {
    const checked = request.checked;
    if (!checked) validateItem(request.put, where);
    checkKeyAttributes(request.put, schema, where);
    return {
      request,
      kind: 'put',
      item: request.put,
      key: canonicalKey(request.put, schema),
      bytes: checked ? PUT_ENVELOPE_BYTES + checked.bytes : writeRequestWireBytes('put', request.put),
      index,
      ...(checked ? { text: putRequestText(checked.text) } : {}),
    };
  }
  checkKeyAttributes(request.delete, schema, where);
  const key = keyOf(request.delete, schema);
  return {
    request,
    kind: 'delete',
    item: key,
    key: canonicalKey(key, schema),
    bytes: writeRequestWireBytes('delete', key),
    index,
  };
}

/** A put whose item was read as checked text with its key (CheckedText's `key`): `item` is made when asked. */
class CheckedWrite implements PreparedWrite {
  readonly kind = 'put';
  readonly key: string;
  readonly bytes: number;
  text: string;
  constructor(
    readonly request: WriteRequest,
    keyValues: Item,
    schema: KeySchema,
    readonly index: number,
    where: string,
  ) {
    checkKeyAttributes(keyValues, schema, where);
    const checked = (request as { checked: CheckedText }).checked;
    this.key = canonicalKey(keyValues, schema);
    this.bytes = PUT_ENVELOPE_BYTES + checked.bytes;
    this.text = putRequestText(checked.text);
  }
  get item(): Item {
    return (this.request as { put: Item }).put;
  }
}

export interface ChunkLimits {
  /** Requests per call. Default 25 (the API's maximum). */
  maxRequests?: number;
  /** Body bytes per call (estimated from above). Default 16 MB (the API's maximum). */
  maxBytes?: number;
}

export interface AddResult {
  /** Chunks closed by this add, in order: send them. */
  closed: PreparedWrite[][];
  /** The earlier request for the same key, dropped from the open chunk: the later one wins. */
  superseded?: PreparedWrite;
}

/**
 * Cuts a stream of requests into chunks. A chunk closes when it holds `maxRequests` or when the next
 * request would push it over `maxBytes` (a single request larger than that still goes, alone).
 *
 * Duplicate keys within the open chunk are resolved as a sequential run would: the later request
 * replaces the earlier one (DynamoDB rejects a whole call that names a key twice).
 */
export class WriteChunker {
  private open = new Map<string, PreparedWrite>();
  private bytes = 0;
  private readonly maxRequests: number;
  private readonly maxBytes: number;

  constructor(limits: ChunkLimits = {}) {
    this.maxRequests = Math.min(limits.maxRequests ?? MAX_BATCH_WRITE_REQUESTS, MAX_BATCH_WRITE_REQUESTS);
    this.maxBytes = (limits.maxBytes ?? MAX_BATCH_WRITE_BYTES) - ENVELOPE_BYTES;
    if (this.maxRequests < 1) throw new RangeError('maxRequests must be at least 1');
  }

  /** Requests in the open chunk. */
  get size(): number {
    return this.open.size;
  }

  add(p: PreparedWrite): AddResult {
    const closed: PreparedWrite[][] = [];
    const superseded = this.open.get(p.key);
    if (superseded) {
      this.open.delete(p.key);
      this.bytes -= superseded.bytes + 1;
    }
    if (this.open.size > 0 && this.bytes + p.bytes + 1 > this.maxBytes) closed.push(this.take());
    this.open.set(p.key, p);
    this.bytes += p.bytes + 1;
    if (this.open.size >= this.maxRequests) closed.push(this.take());
    return superseded ? { closed, superseded } : { closed };
  }

  /** Close the open chunk and return it (empty when nothing is open). */
  take(): PreparedWrite[] {
    const chunk = [...this.open.values()];
    this.open = new Map();
    this.bytes = 0;
    return chunk;
  }
}

/** Split every request into chunks at once (the streaming executor uses WriteChunker directly). */
export function chunkWrites(
  prepared: Iterable<PreparedWrite>,
  limits: ChunkLimits = {},
): { chunks: PreparedWrite[][]; superseded: { earlier: PreparedWrite; later: PreparedWrite }[] } {
  const c = new WriteChunker(limits);
  const chunks: PreparedWrite[][] = [];
  const superseded: { earlier: PreparedWrite; later: PreparedWrite }[] = [];
  for (const p of prepared) {
    const r = c.add(p);
    chunks.push(...r.closed);
    if (r.superseded) superseded.push({ earlier: r.superseded, later: p });
  }
  const last = c.take();
  if (last.length) chunks.push(last);
  return { chunks, superseded };
}

/** Pure: the BatchWriteCommand input for one chunk. Values are native (lib-dynamodb marshals them). */
export function batchWriteInput(table: string, chunk: readonly PreparedWrite[]): BatchWriteCommandInput {
  return {
    RequestItems: {
      [table]: chunk.map((p) =>
        p.kind === 'put' ? { PutRequest: { Item: p.item } } : { DeleteRequest: { Key: p.item } },
      ),
    },
  };
}
