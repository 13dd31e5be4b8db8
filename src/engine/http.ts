/**
 * The HTTP door: DynamoDB's JSON protocol on node:http, answered as DynamoDB answers it, so the
 * AWS CLI, boto3 and the Java and Go SDKs work against it: `x-amz-crc32` over the exact body bytes
 * (botocore and the Go and Java SDKs check it), `x-amzn-RequestId`, the content type of the request
 * (1.0 or 1.1), and DynamoDB's error shapes for what is not a DynamoDB request. Never a crash or a
 * hang: a body over the limit is read to its end and refused, a failed socket is dropped.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type DdbEngine, isDynamoDbTarget } from './engine.js';
import { crc32 } from './store/crc32.js';

/** DynamoDB's limit on a request's size (BatchWriteItem's 16 MB, and HTTP overhead). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const JSON_TYPES = new Set(['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json']);

/** Random bytes for this many request ids are drawn at once (one draw a request cost ~10 µs of it). */
const IDS_A_DRAW = 256;
let idBytes = Buffer.alloc(0);
let idAt = 0;

/** A request id as DynamoDB writes them: 52 characters of [A-Z0-9] (39 random bytes). */
export function requestId(): string {
  if (idAt + 39 > idBytes.length) {
    idBytes = randomBytes(39 * IDS_A_DRAW);
    idAt = 0;
  }
  idAt += 39;
  return idBytes
    .toString('base64', idAt - 39, idAt)
    .toUpperCase()
    .replace(/[+/]/g, '0');
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

/** What the door takes besides DynamoDB's protocol. */
export interface DoorOptions {
  /**
   * Answer only requests sent to a local name (Host localhost, 127.x.x.x or [::1]): an engine bound
   * to loopback has no authentication, and a web page whose name was made to resolve to
   * 127.0.0.1 (DNS rebinding) would otherwise read and write its tables from a browser.
   */
  localOnly?: boolean;
}

/** Whether a Host header names this machine's loopback (any port). */
export function isLocalHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  // "[::1]:8000", "[::1]", a bare "::1" (a bind address), or "name:8000".
  const bracketed = /^\[([^\]]*)\](:\d+)?$/.exec(host);
  const name = (
    bracketed ? bracketed[1]! : host.split(':').length > 2 ? host : host.replace(/:\d+$/, '')
  ).toLowerCase();
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** The request handler of the HTTP door (exported for a server of the caller's own). */
export function httpHandler(
  engine: DdbEngine,
  opts: DoorOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.on('error', () => res.destroy());
    if (opts.localOnly && !isLocalHost(req.headers.host)) {
      send(
        res,
        403,
        'application/x-amz-json-1.0',
        JSON.stringify({
          __type: 'com.amazon.coral.service#AccessDeniedException',
          message: `ddbctl's engine on loopback answers requests to localhost, 127.0.0.1 or [::1] only, not to Host ${JSON.stringify(req.headers.host)}: use one of those in the endpoint URL`,
        }),
      );
      req.resume();
      return;
    }
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
    // NOTE: a body over the limit is still read to its end (and dropped) before the 413 goes out:
    // closing while the client still sends makes it fail with EPIPE and never see the answer. A
    // client that sends far beyond the limit is cut off.
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES * 4) req.destroy();
      else if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > MAX_REQUEST_BYTES) {
        res.writeHead(413, { 'x-amzn-RequestId': requestId(), 'Content-Length': '0' });
        res.end();
        return;
      }
      const target = req.headers['x-amz-target'];
      const known = typeof target === 'string' ? target : undefined;
      const auth = req.headers.authorization;
      // DynamoDB resolves the target before it looks at the credentials: an unknown one is an
      // unknown operation, signed or not.
      if (!auth && !String(req.url ?? '').includes('X-Amz-Algorithm') && isDynamoDbTarget(known)) {
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
      // The bytes as received: the engine decodes them, refusing what is no UTF-8.
      const body = Buffer.concat(chunks);
      engine.handle(known, body).then(
        (a) => {
          // The engine's own failure: the server's side hears of it too, once.
          if (a.failure) engine.warnOnce(a.failure.message);
          send(res, a.status, answerType, a.body);
        },
        () => res.destroy(),
      );
    });
  };
}

/** An HTTP server for `engine` (not yet listening). */
export function createEngineServer(engine: DdbEngine, opts: DoorOptions = {}): Server {
  const server = createServer(httpHandler(engine, opts));
  // NOTE: a client that stops sending mid-body must not hold a socket for ever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  return server;
}
