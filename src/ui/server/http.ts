/**
 * The HTTP edge of the UI server: reading bodies, writing JSON answers, and turning every failure
 * into `{error: {code, message}}` with the status the API contract gives it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDdbError } from '../../core/errors.js';

/** A refusal of the UI server itself (security, read-only, a malformed request), with its status. */
export class UiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** JSON bodies larger than this are refused (an item is at most 400 KB; a bulk delete of keys is small). */
const MAX_JSON_BODY = 16 * 1024 * 1024;

/** The whole request body, refused past `max` bytes. */
export async function readBody(req: IncomingMessage, max = MAX_JSON_BODY): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new UiError(413, 'ui.tooLarge', `the request body is over ${max} bytes`);
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/**
 * The request body as a JSON object. NOTE: JSON.parse is lossless here: the API carries items in
 * DynamoDB JSON, whose numbers are strings; a JSON number inside an item is refused where it is read.
 */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UiError(400, 'input.json', `the request body is not JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UiError(400, 'input.json', 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Send `text` (already JSON) with status `status`. */
export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendJsonText(res, status, JSON.stringify(value));
}

/** The HTTP status of a failure, as the API contract maps codes to statuses. */
export function statusOf(e: unknown): number {
  if (e instanceof UiError) return e.status;
  if (!isDdbError(e)) return 500;
  if (e.isUsage) return 400;
  switch (e.code) {
    case 'table.notFound':
    case 'item.notFound':
      return 404;
    case 'item.conditionFailed':
    case 'table.exists':
    case 'table.inUse':
    case 'transaction.conflict':
      return 409;
    case 'access.denied':
    case 'table.deletionProtected':
      return 403;
    case 'request.invalid':
      return 400;
    default:
      return 500;
  }
}

/**
 * The error answer of `e`. Messages of ddbctl's own errors say what to fix and hold nothing of the
 * credentials; anything else is an internal error whose text stays in the server (its caller's events).
 */
export function errorBody(e: unknown): { error: { code: string; message: string } } {
  if (e instanceof UiError || isDdbError(e)) return { error: { code: e.code, message: e.message } };
  return { error: { code: 'internal', message: 'internal error in the ddbctl ui server; see its terminal' } };
}
