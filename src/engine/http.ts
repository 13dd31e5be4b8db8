/**
 * The HTTP door: DynamoDB's JSON protocol on node:http, answered as DynamoDB answers it, so the
 * AWS CLI, boto3 and the Java and Go SDKs work against it: `x-amz-crc32` over the exact body bytes
 * (botocore and the Go and Java SDKs check it), `x-amzn-RequestId`, the content type of the request
 * (1.0 or 1.1), and DynamoDB's error shapes for what is not a DynamoDB request. Never a crash or a
 * hang: a body over the limit is refused without being read, a failed socket is dropped.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DdbEngine } from './engine.js';
import { crc32 } from './store/crc32.js';

/** DynamoDB's limit on a request's size (BatchWriteItem's 16 MB, and HTTP overhead). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const JSON_TYPES = new Set(['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json']);

/** A request id as DynamoDB writes them: 52 characters of [A-Z0-9]. */
function requestId(): string {
  return randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0');
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    'x-amzn-RequestId': requestId(),
    'x-amz-crc32': String(crc32(bytes, 0, bytes.length)),
    'Content-Type': contentType,
    'Content-Length': String(bytes.length),
  });
  res.end(bytes);
}

/** The request handler of the HTTP door (exported for a server of the caller's own). */
export function httpHandler(engine: DdbEngine): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.on('error', () => res.destroy());
    if (req.method === 'GET' && (req.url === '/' || req.url === '')) {
      // DynamoDB's answer to a health check.
      send(res, 200, 'text/plain', 'healthy: dynamodb.us-east-1.amazonaws.com ');
      req.resume();
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (req.method !== 'POST' || !JSON_TYPES.has(contentType)) {
      // NOTE: DynamoDB answers what is not its JSON protocol as an unknown operation, in XML.
      send(res, 404, 'application/xml', '<UnknownOperationException/>\n');
      req.resume();
      return;
    }
    const answerType =
      contentType === 'application/x-amz-json-1.1' ? contentType : 'application/x-amz-json-1.0';
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_REQUEST_BYTES) {
      tooLarge(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        refused = true;
        tooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const auth = req.headers.authorization;
      if (!auth && !String(req.url ?? '').includes('X-Amz-Algorithm')) {
        send(
          res,
          400,
          answerType,
          JSON.stringify({
            __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
            message: 'Request is missing Authentication Token',
          }),
        );
        return;
      }
      const target = req.headers['x-amz-target'];
      const body = Buffer.concat(chunks).toString('utf8');
      engine.handle(typeof target === 'string' ? target : undefined, body).then(
        (a) => send(res, a.status, answerType, a.body),
        () => res.destroy(),
      );
    });
  };
}

/** Refuse a body over the limit without reading it, then close the connection. */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(413, { 'x-amzn-RequestId': requestId(), 'Content-Length': '0', Connection: 'close' });
  res.end();
  req.unpipe();
  req.resume();
}

/** An HTTP server for `engine` (not yet listening). */
export function createEngineServer(engine: DdbEngine): Server {
  const server = createServer(httpHandler(engine));
  // NOTE: a client that stops sending mid-body must not hold a socket for ever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  return server;
}
