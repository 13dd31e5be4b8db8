/**
 * SDK and network failures → DdbError with a code and a message that says what to do.
 * NOTE: over 500 lines, as one reading: toDdbError is a single ordered mapping of every failure the
 * SDK and the network give (the first case that matches wins), beside the few facts it reads
 * (network codes, throttling names, unanswered changes); split, that order would be spread over files.
 */
import { DdbError } from './errors.js';

export interface ErrorContext {
  /** The API called, e.g. "PutItem". */
  operation: string;
  table?: string;
  /** Where the request went, for unreachable-endpoint messages. */
  target?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** The name of every table ddbctl's capability probes write to (caps.ts): none ever exists. */
export const PROBE_TABLE_PREFIX = 'ddbctl-caps-probe-';

/** Operations that read only: one cut off or unanswered changed nothing. */
const READ_ONLY = /^(Get|BatchGet|TransactGet|Query|Scan|Describe|List)/;

/**
 * Whether a request of `operation` may change something: not a read (GetItem, Query, a Describe,
 * a List...), nor an ExecuteStatement whose `statement` is a SELECT, nor a capability probe (on
 * `table`, see PROBE_TABLE_PREFIX).
 */
export function mayChange(operation: string, statement?: unknown, table?: unknown): boolean {
  if (READ_ONLY.test(operation)) return false;
  // ddbctl's probes of what an endpoint can do (caps.ts) write to a table that does not exist.
  if (typeof table === 'string' && table.startsWith(PROBE_TABLE_PREFIX)) return false;
  return !(typeof statement === 'string' && /^\s*select\b/i.test(statement));
}

/**
 * A request that may change something, sent and left unanswered (see answerLost: for the request
 * timeout, or its connection dropped before an answer): thrown in place of the SDK handler's error
 * (a TimeoutError, or ECONNRESET) so that the SDK does not send it
 * again (its retry strategy retries a TimeoutError, or anything caused by one): the first may have
 * been carried out, and a second would apply an update's arithmetic twice, or meet its own write
 * as a failed condition or a table that already exists. `original` is the handler's error.
 */
export class UnansweredError extends Error {
  override name = 'UnansweredRequest';
  /**
   * `last`: for a request sent again after a silence (a TransactWriteItems, see tokenOf), the
   * error of its last attempt, when that did not tell either (the endpoint still carrying it out,
   * unreachable, throttling).
   */
  constructor(
    readonly original: unknown,
    readonly last?: unknown,
  ) {
    super((original as { message?: string })?.message ?? String(original));
  }
}

/**
 * The ClientRequestToken of a request of `operation` with this serialized `body`, when it may be
 * sent again after it went unanswered: a TransactWriteItems (the SDK makes a token when the caller
 * gives none, the same for every attempt), which DynamoDB carries out at most once in 10 minutes.
 */
export function tokenOf(operation: string, body: unknown): string | undefined {
  if (operation !== 'TransactWriteItems') return undefined;
  // The SDK's serializer writes the body as bytes (a Uint8Array whose valueOf, which Buffer.from
  // calls, warns on stderr: read through a view of its memory instead); a test's may be text.
  const text =
    typeof body === 'string'
      ? body
      : body instanceof Uint8Array
        ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
        : undefined;
  if (text === undefined) return undefined;
  try {
    const token = (JSON.parse(text) as { ClientRequestToken?: unknown }).ClientRequestToken;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** DynamoDB's error types that say a request was throttled. */
const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/**
 * Whether `type` is one of DynamoDB's throttling errors: an SDK error's name, or the error type of
 * an answer as the wire carries it (`com.amazonaws.dynamodb.v20120810#ThrottlingException`).
 */
export function isThrottling(type: unknown): boolean {
  return typeof type === 'string' && THROTTLING_ERRORS.has(type.slice(type.lastIndexOf('#') + 1));
}

/** Answers that say nothing of whether a transaction was carried out: it may still be, or may be. */
const NOT_TOLD = new Set(['TransactionInProgressException', ...THROTTLING_ERRORS]);

/**
 * Whether `e`, the last error of a request sent again after a silence, leaves its outcome unknown:
 * no answer (a time limit, the network), a server error, throttling, or the transaction still in
 * progress. An answer about the request itself (cancelled, invalid) is an outcome: had the first
 * attempt been carried out, the same token would have been answered as a success.
 */
export function outcomeUnknown(e: unknown): boolean {
  // A stop (Ctrl-C) is said as such: the command tells of what it left in flight.
  if ((e as { name?: string })?.name === 'AbortError') return false;
  if (networkCode(e) !== undefined || timeoutOf(e)) return true;
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return NOT_TOLD.has((e as { name?: string })?.name ?? '') || status === undefined || status >= 500;
}

/**
 * Errors of requests that reached the request handler (the client's middleware marks them): an
 * abort of one of these came after the endpoint had it (a change may have been carried out); an
 * abort before (the stop came first) sent nothing. Every client createClients makes has it (not a
 * test double, whose aborts read as before sending).
 */
const sentErrors = new WeakMap<object, { change: boolean }>();

/** The ClientRequestToken a TransactWriteItems' error went with (client middleware sets it). */
const errorTokens = new WeakMap<object, string>();

export function markToken(e: unknown, token: string): void {
  if (typeof e === 'object' && e !== null) errorTokens.set(e, token);
}

/** The ClientRequestToken the transaction of error `e` went with, when known. */
export function tokenOfError(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? errorTokens.get(e) : undefined;
}

/**
 * How a transaction with `token` is sent again safely, said with every unknown outcome of one:
 * "`what` went with ClientRequestToken T: the same transact with --token T …".
 */
export function againWithToken(token: string, what = 'it'): string {
  return `${what} went with ClientRequestToken ${token}: the same transact with --token ${token} within 10 minutes is carried out at most once`;
}

/** Mark `e` as the error of a request that was sent, `change` when it may change something. */
export function markSent(e: unknown, change: boolean): void {
  if (typeof e === 'object' && e !== null) sentErrors.set(e, { change });
}

/** The network error code (ECONNREFUSED, ...) in `e` or its causes, when a request never got an answer. */
export function networkCode(e: unknown): string | undefined {
  if (e instanceof UnansweredError) return networkCode(e.original);
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    const errs = (c as { errors?: unknown[] }).errors;
    if (Array.isArray(errs)) {
      for (const x of errs) {
        const inner = networkCode(x);
        if (inner) return inner;
      }
    }
  }
  const name = (e as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'RequestTimeout') return 'ETIMEDOUT';
  return undefined;
}

/**
 * A request that failed for a time limit of the SDK's HTTP handler: `silent`, connected and sent
 * but no byte back for `ms` (the socket or request timeout); `connect`, no connection within `ms`.
 */
export function timeoutOf(e: unknown): { kind: 'silent' | 'connect'; ms: number } | undefined {
  if (e instanceof UnansweredError) return timeoutOf(e.original);
  if (networkCode(e) !== 'ETIMEDOUT') return undefined;
  const text = messages(e);
  const silent =
    /socket timed out after (\d+) ms of inactivity|exceeded the configured (\d+) ms requestTimeout/.exec(
      text,
    );
  if (silent) return { kind: 'silent', ms: Number(silent[1] ?? silent[2]) };
  const connect =
    /did not establish a connection with the server within the configured timeout of (\d+) ms/.exec(text);
  return connect ? { kind: 'connect', ms: Number(connect[1]) } : undefined;
}

/** The messages of `e` and its causes, one a line (for patterns that may sit in any of them). */
function messages(e: unknown): string {
  const out: string[] = [];
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const m = (c as { message?: unknown }).message;
    if (typeof m === 'string') out.push(m);
  }
  return out.join('\n');
}

/**
 * A request that reached the endpoint and got no answer: `silent` (see timeoutOf), or `reset`, its
 * connection dropped before an answer (ECONNRESET, "socket hang up": an endpoint that crashed or
 * was killed, a proxy that cut it). Either way the endpoint may have carried it out.
 */
export function answerLost(
  e: unknown,
):
  | { kind: 'silent'; ms: number }
  | { kind: 'reset'; code: string }
  | { kind: 'server'; status: number; said: string }
  | undefined {
  const timeout = timeoutOf(e);
  if (timeout?.kind === 'silent') return { kind: 'silent', ms: timeout.ms };
  if (timeout) return undefined;
  const code = networkCode(e);
  if (code === 'ECONNRESET') return { kind: 'reset', code };
  // A server error (HTTP 5xx): DynamoDB's own says the request "may or may not have succeeded".
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (status === undefined || status < 500) return undefined;
  const name = (e as { name?: string }).name ?? '';
  const message = ((e as { message?: string }).message ?? '').split('\n')[0] ?? '';
  // ddbctl's own engine failing on its files refused the request: it was not carried out.
  if (ENGINE_FAILURE.test(message)) return undefined;
  const said = [name && name !== 'Error' ? name : '', message && message !== 'UnknownError' ? message : '']
    .filter(Boolean)
    .join(': ');
  return { kind: 'server', status, said };
}

/** What the last attempt of a request sent again after a silence met (see UnansweredError.last). */
function lastWords(e: unknown): string {
  const name = (e as { name?: string })?.name ?? 'an error';
  if (name === 'TransactionInProgressException') return 'answered that it is still carrying it out';
  const timeout = timeoutOf(e);
  if (timeout?.kind === 'connect')
    return `could not be reached (no connection within ${timeout.ms / 1000} s)`;
  if (timeout) return `did not answer again within ${timeout.ms / 1000} s (ETIMEDOUT)`;
  const lost = answerLost(e);
  if (lost?.kind === 'server')
    return `answered HTTP ${lost.status}, a server error${lost.said ? ` (${lost.said})` : ''}`;
  const net = networkCode(e);
  if (net === 'ECONNRESET') return 'dropped the connection before answering (ECONNRESET)';
  return net ? `could not be reached (${net})` : `answered ${name}`;
}

/** Operations on the table itself: there a ResourceNotFoundException means the table is not there. */
const TABLE_OPERATIONS = new Set([
  'DescribeTable',
  'DeleteTable',
  'UpdateTable',
  'CreateTable',
  'DescribeTimeToLive',
  'UpdateTimeToLive',
  'DescribeContinuousBackups',
  'UpdateContinuousBackups',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
]);

/** Wrap any error thrown by an SDK call. A DdbError passes through unchanged. */
export function toDdbError(e: unknown, ctx: ErrorContext): DdbError {
  if (e instanceof DdbError) return e;
  const name = (e as { name?: string })?.name ?? '';
  const raw = (e as { message?: string })?.message ?? String(e);
  const msg = raw && raw !== 'UnknownError' ? raw : '';
  const table = ctx.table ? `table ${ctx.table}` : 'the table';
  const where = ctx.target ? ` at ${ctx.target}` : '';
  const mk = (code: ConstructorParameters<typeof DdbError>[0], message: string) =>
    new DdbError(code, { message, cause: e });

  // A request the command's stop (Ctrl-C) aborted: its reason ("interrupted (SIGINT)") says why.
  // `unanswered`: a change that was sent, so it may have been carried out (apply says so); not a
  // read, nor a change the stop came before.
  if (name === 'AbortError') {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    const sent = sentErrors.get(e as object);
    return new DdbError('operation.aborted', {
      message: `${ctx.operation} ${cause ?? 'aborted'} before ${sent ? (ctx.target ? `${ctx.target} answered` : 'an answer came') : 'it was sent'}`,
      cause: e,
      ...(sent?.change ? { details: { unanswered: true } } : {}),
    });
  }
  const net = networkCode(e);
  const aws = ctx.target?.startsWith('AWS ') === true;
  // The connection was made and the request sent, but no byte came back in time.
  const timeout = timeoutOf(e);
  const attempts =
    (e as { $metadata?: { attempts?: number } }).$metadata?.attempts ??
    (e instanceof UnansweredError
      ? (e.original as { $metadata?: { attempts?: number } }).$metadata?.attempts
      : 1) ??
    1;
  const tries = attempts > 1 ? ` on any of ${attempts} attempts` : '';
  // A change sent and not answered: it may have been carried out (apply and bulk writes say so).
  const lost = e instanceof UnansweredError ? answerLost(e.original) : undefined;
  if (e instanceof UnansweredError && lost) {
    // details.sent: what happened, without the advice (apply words its own around it).
    const token = tokenOfError(e);
    const then = e.last === undefined ? '' : `, then ${lastWords(e.last)}`;
    const many = e.last === undefined ? tries : '';
    const how =
      lost.kind === 'silent'
        ? `did not answer within ${lost.ms / 1000} s${many} (ETIMEDOUT)`
        : lost.kind === 'reset'
          ? `dropped the connection before answering${many} (${lost.code})`
          : `answered HTTP ${lost.status}${many}, a server error${lost.said ? ` (${lost.said})` : ''}`;
    const sent = `${ctx.operation}: ${aws ? ctx.target : `the endpoint${where}`} took the request but ${how}${then}`;
    return new DdbError('endpoint.unreachable', {
      message: `${sent}: it may or may not have been carried out; check the table before running the command again${aws ? '' : ', and that the endpoint is not stopped, paused or overloaded'}`,
      cause: e,
      details: {
        ...(lost.kind === 'silent' ? { silent: true } : {}),
        unanswered: true,
        sent,
        ...(token !== undefined ? { token } : {}),
      },
    });
  }
  // NOTE: the label of AWS clients is "AWS <region>" (see cli/context.ts): AWS is not "running" or
  // not, and has no URL the user gave; the network or the region is what to check.
  if (net && aws) {
    return mk(
      'endpoint.unreachable',
      `${ctx.operation}: cannot reach ${ctx.target} (${net}); check the network connection and that the region is right`,
    );
  }
  if (timeout?.kind === 'silent') {
    // NOTE: the SDK tries a read up to 3 times: the wait the user sat through is that many timeouts.
    // details.silent: bulk writes stop retrying a call the endpoint keeps silent on (writeChunk).
    return new DdbError('endpoint.unreachable', {
      message: `${ctx.operation}: the endpoint${where} took the request but did not answer within ${timeout.ms / 1000} s${tries} (ETIMEDOUT); check that it is not stopped, paused or overloaded`,
      cause: e,
      details: { silent: true },
    });
  }
  // NOTE: a reset is an endpoint that was reached (often for many calls before) and closed the
  // connection: "cannot reach ... check the URL" would send the user after the wrong cause.
  if (net === 'ECONNRESET') {
    return mk(
      'endpoint.unreachable',
      `${ctx.operation}: the endpoint${where} dropped the connection before answering (${net}); check that it is still running and not restarting or overloaded`,
    );
  }
  if (net) {
    return mk(
      'endpoint.unreachable',
      `${ctx.operation}: cannot reach the endpoint${where} (${net}); check that it is running and the URL is right`,
    );
  }
  // https:// to a port that answers in plain HTTP: OpenSSL's "wrong version number", not its dump.
  if (/\bEPROTO\b.*(wrong version number|packet length too long)/s.test(messages(e))) {
    return mk(
      'endpoint.unreachable',
      `${ctx.operation}: the endpoint${where} does not answer in TLS (EPROTO, the TLS handshake failed); if it serves plain HTTP, give an http:// URL`,
    );
  }
  switch (name) {
    case 'ResourceNotFoundException':
      // NOTE: DynamoDB answers item operations on a table still CREATING, or already DELETING, as
      // if it did not exist; the message says so, since list-tables shows such a table.
      return mk(
        'table.notFound',
        TABLE_OPERATIONS.has(ctx.operation)
          ? `${ctx.operation}: ${table} does not exist${where}; list tables with 'ddbctl list-tables'${msg ? ` (${msg})` : ''}`
          : `${ctx.operation}: ${table} does not exist${where}, or is not ACTIVE (still CREATING, or DELETING); 'ddbctl list-tables' lists the tables, 'ddbctl wait ${ctx.table ?? 'TABLE'}' waits for one being created${msg ? ` (${msg})` : ''}`,
      );
    case 'ResourceInUseException':
      return mk(
        'table.inUse',
        `${ctx.operation}: ${table} is in use: ${msg || 'it is being created, updated or deleted'}`,
      );
    case 'ConditionalCheckFailedException':
      return mk(
        'item.conditionFailed',
        `${ctx.operation}: the condition was not met; the item was not changed`,
      );
    case 'TransactionCanceledException':
      return mk('transaction.cancelled', `${ctx.operation}: the transaction was cancelled: ${msg}`);
    case 'TransactionConflictException':
      return mk(
        'transaction.conflict',
        `${ctx.operation}: a concurrent transaction holds the item; retry: ${msg}`,
      );
    case 'ProvisionedThroughputExceededException':
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
      return mk(
        'request.throttled',
        `${ctx.operation}: throttled by the service after retries; retry later or raise capacity (${msg})`,
      );
    case 'LimitExceededException':
      return mk('table.limitExceeded', `${ctx.operation}: a DynamoDB limit was reached: ${msg}`);
    case 'ItemCollectionSizeLimitExceededException':
      return mk('item.tooLarge', `${ctx.operation}: ${msg}`);
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
    // STS's names for the same refusals (GetCallerIdentity).
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
    case 'ExpiredToken':
      return mk(
        'credentials.invalid',
        `${ctx.operation}: the service rejected the credentials (${name}); check the profile or AWS_* variables`,
      );
    case 'CredentialsProviderError':
      return mk(
        'credentials.missing',
        `no AWS credentials found in the environment, the shared files or the instance role${msg ? ` (${msg.split('\n')[0]})` : ''}; run "aws configure", pass --profile, or use --local for the embedded engine`,
      );
    case 'AccessDeniedException':
      return mk('access.denied', `${ctx.operation}: access denied: ${msg}`);
    case 'UnknownOperationException':
    case 'UnknownOperation':
      return mk('engine.unsupported', `${ctx.operation} is not supported by this endpoint${where}`);
    // NOTE: DynamoDB's answer to a request it cannot read, such as text with an unpaired surrogate.
    case 'SerializationException':
      return mk('request.invalid', `${ctx.operation}: the request was rejected: ${msg}`);
    case 'ValidationException':
      if (/deletion protection/i.test(msg)) {
        return mk(
          'table.deletionProtected',
          `${ctx.operation}: ${table} has deletion protection; lift it with 'ddbctl update-table ${ctx.table ?? 'TABLE'} --no-deletion-protection'`,
        );
      }
      if (
        ctx.operation === 'UpdateTable' &&
        /requested throughput value equals the current value/i.test(msg)
      ) {
        // DynamoDB Local keeps a GSI's capacity through a switch to on-demand (DynamoDB reports 0),
        // and refuses the same numbers on the way back.
        return mk(
          'request.invalid',
          `${ctx.operation}: the request was rejected: ${msg}; some engines (DynamoDB Local) keep a GSI's capacity from before a switch to on-demand and refuse the same numbers on the way back: give the GSIs other read/write units, and set them back afterwards if needed`,
        );
      }
      if (/backfilling global secondary index/i.test(msg)) {
        return mk(
          'request.invalid',
          `${ctx.operation}: the request was rejected: ${msg}; the index is still being built: wait for it with 'ddbctl wait ${ctx.table ?? 'TABLE'} --for indexes', then run this again`,
        );
      }
      return mk('request.invalid', `${ctx.operation}: the request was rejected: ${msg}`);
  }
  // NOTE: dynalite answers unsupported operations with an empty UnknownOperationException body,
  // which the SDK surfaces as "UnknownError" with HTTP 400.
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (raw === 'UnknownError' && status === 400) {
    return mk('engine.unsupported', `${ctx.operation} is not supported by this endpoint${where}`);
  }
  // NOTE: an answer the SDK could not read as DynamoDB's JSON: not a DynamoDB endpoint (a web
  // server, another service, a path after the port); retrying does not help, the URL is wrong.
  if (/Deserialization error/.test(raw) || name === 'SyntaxError') {
    // NOTE: a 500 is most often the engine failing on this request (moto answers its own crashes
    // with an HTML page); a web server that is no DynamoDB answers a POST 404, 405 or 501.
    const failing =
      status === 500
        ? `; an error of the engine itself on this request (its own log may say which), or not a DynamoDB endpoint: check the URL (host, port, and no path)`
        : '; check that the URL is a DynamoDB endpoint (host, port, and no path)';
    return mk(
      'service.error',
      `${ctx.operation}: the endpoint${where} answered${status !== undefined ? ` HTTP ${status}` : ''} with something that is not DynamoDB's JSON (${raw.split('\n')[0]})${failing}`,
    );
  }
  // NOTE: ddbctl's own engine over HTTP (`serve`) failing on its data files: no retry clears it.
  if (status !== undefined && status >= 500 && ENGINE_FAILURE.test(msg)) {
    return mk('engine.storage', `${ctx.operation}: the engine${where} failed: ${msg}`);
  }
  if (status !== undefined && status >= 500) {
    const failed = `${ctx.operation}: the service failed (HTTP ${status}${msg ? `: ${msg}` : ''})`;
    // NOTE: DynamoDB's 500 to a write does not say it was not done ("the request may or may not
    // have succeeded"): a change is said so (bulk writes report their own; a PartiQL statement may
    // be a SELECT, which the context does not tell).
    if (
      mayChange(ctx.operation) &&
      ctx.operation !== 'BatchWriteItem' &&
      ctx.operation !== 'ExecuteStatement'
    ) {
      return new DdbError('service.error', {
        message: `${failed}: it may or may not have been carried out; check the table before running the command again`,
        cause: e,
        details: { unanswered: true, sent: failed },
      });
    }
    return mk('service.error', `${failed}; retry later`);
  }
  return mk('service.error', `${ctx.operation} failed: ${name ? `${name}: ` : ''}${msg || 'unknown error'}`);
}

/**
 * The messages of ddbctl's engine failing on its own data files (a damaged snapshot, a deleted data
 * dir, a log it cannot write), which `serve` answers with HTTP 500: not transient.
 */
export const ENGINE_FAILURE = /^(the engine's data (file|dir) |cannot write to the engine's log )/;

/** Run one SDK call, mapping its failure. */
export async function call<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toDdbError(e, ctx);
  }
}
