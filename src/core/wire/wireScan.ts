/**
 * One Scan call whose page is read straight from the response body, DynamoDB's own text, without
 * the SDK's schema walk over every attribute value. The SDK still builds, signs, sends and retries
 * the call, and still reads every error response; only a successful body is taken before its
 * deserializer sees it.
 *
 * Why: on an export the SDK's deserializer (a JSON.parse, then a walk that copies every attribute
 * value) cost more client CPU than turning the items into text (BENCHMARKS.md), and a writer of
 * plain JSON needs no objects at all (wire/wireText.ts). DynamoDB JSON keeps numbers as strings,
 * so reading the text loses nothing.
 */
import {
  type DynamoDBClient,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { RawItem } from '../data/codec.js';
import { DdbError } from '../errors.js';
import { isThrottling } from '../sdkErrors.js';
import { type HttpLikeResponse, readBody, successBody } from './httpBody.js';
import { readWireBody, type Transcode, type WireBodyText } from './wireText.js';

/**
 * A Scan page as DynamoDB wrote it, read on demand: as attribute values (`items()`, binary as base64
 * text, which `RawItem` allows), or straight to plain JSON text (`plainText()`, without building
 * the items: the fastest way to NDJSON). The counts and the last key come from whichever was read
 * first.
 */
export class WireScanPage {
  private parsed?: ParsedBody;
  private plain?: WireBodyText;
  constructor(
    readonly body: Buffer,
    readonly $metadata: ScanCommandOutput['$metadata'],
    /** The attempts the SDK made before this page that met throttling, and those that met a fault. */
    readonly attempts: FailedAttempts = { throttled: 0, faults: 0 },
  ) {}

  /** The page's items as attribute values (one JSON.parse of the body, kept). */
  items(): RawItem[] {
    return this.parsedBody().Items ?? [];
  }

  /**
   * The items as plain JSON (stringifyRawItem's text), each followed by `after` and joined by
   * `between` (see readWireBody). Read once: the first call's separators stay.
   */
  plainText(between: string, after: string): { text: Buffer; items: number } {
    this.plain ??= readWireBody(this.body, between, after);
    return this.plain;
  }

  /** plainText, its work done by `transcode` (a worker thread); plainText then returns it. */
  async plainTextVia(transcode: Transcode, between: string, after: string): Promise<void> {
    if (this.plain) return;
    const plain = await transcode(this.body, between, after);
    this.plain ??= plain;
  }

  get count(): number {
    return this.plain ? this.plain.items : this.items().length;
  }

  get scanned(): number {
    return this.meta().ScannedCount ?? this.count;
  }

  get lastEvaluatedKey(): RawItem | undefined {
    return this.meta().LastEvaluatedKey;
  }

  private meta(): Pick<ParsedBody, 'LastEvaluatedKey' | 'ScannedCount'> {
    return this.plain ? this.plain.rest : this.parsedBody();
  }

  private parsedBody(): ParsedBody {
    this.parsed ??= JSON.parse(this.body.toString('utf8')) as ParsedBody;
    return this.parsed;
  }
}

export interface ParsedBody {
  Items?: RawItem[];
  LastEvaluatedKey?: RawItem;
  Count?: number;
  ScannedCount?: number;
}

/**
 * A call's attempts that failed and were sent again by the SDK: throttled (DynamoDB's throttling
 * errors), or a fault that is not throttling (a 5xx, a dropped connection, no answer in time).
 */
export interface FailedAttempts {
  throttled: number;
  faults: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Whether an error answer is throttling: by its `x-amzn-errortype` header or its body's `__type`
 * (the body read here is put back for the SDK's deserializer).
 */
async function answersThrottling(
  response: HttpLikeResponse & { headers?: Record<string, string> },
): Promise<boolean> {
  const header = Object.entries(response.headers ?? {}).find(
    ([k]) => k.toLowerCase() === 'x-amzn-errortype',
  )?.[1];
  if (header !== undefined) return isThrottling(header.split(':')[0]);
  const body = response.body;
  if (body === undefined) return false;
  const bytes = await readBody(body);
  response.body = bytes;
  try {
    const type = (JSON.parse(bytes.toString('utf8')) as { __type?: unknown }).__type;
    return isThrottling(type);
  } catch {
    return false;
  }
}

/** Send one Scan call; its page comes back as the bytes of the response body. */
export async function scanWirePage(
  client: DynamoDBClient,
  input: ScanCommandInput,
  abortSignal?: AbortSignal,
): Promise<WireScanPage> {
  const command = new ScanCommand(input);
  let body: Buffer | undefined;
  const attempts: FailedAttempts = { throttled: 0, faults: 0 };
  command.middlewareStack.add(
    (next) => async (args) => {
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (e) {
        attempts.faults++;
        throw e;
      }
      const response = result.response as HttpLikeResponse;
      // Read on every attempt: a retried call replaces the body of the one before.
      const bytes = await successBody(response);
      if (bytes) {
        body = bytes;
        response.body = EMPTY;
      } else if (await answersThrottling(response)) attempts.throttled++;
      else attempts.faults++;
      return result;
    },
    // Innermost: between the SDK's deserializer and the HTTP handler, inside its retries.
    { step: 'deserialize', priority: 'low', name: 'ddbctlWireScanPage' },
  );
  const output = await client.send(command, abortSignal ? { abortSignal } : undefined);
  if (body === undefined) throw new DdbError('internal', { message: 'Scan returned no page body' });
  return new WireScanPage(body, output.$metadata, attempts);
}
