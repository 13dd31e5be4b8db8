/**
 * The middlewares every client ddbctl makes carries (clients.ts): what a request that got no answer
 * is said to be (explainUnreachable), a line when the SDK tries a request again after a time limit
 * (announceRetries), and the changes sent and not answered (trackSent: not sent again, named on a
 * stop).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DdbError } from './errors.js';
import {
  answerLost,
  markSent,
  markToken,
  mayChange,
  networkCode,
  outcomeUnknown,
  timeoutOf,
  tokenOf,
  tokenOfError,
  UnansweredError,
} from './sdkErrors.js';
import type { Clock } from './util/clock.js';

/**
 * Add to `client`: a request that never got an answer (a network error, after the SDK's retries)
 * throws endpoint.unreachable with `explain(code)`'s words, which every caller passes on unchanged.
 */
export function explainUnreachable(client: DynamoDBClient, explain: (networkCode: string) => string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        const net = networkCode(e);
        if (net === undefined) throw e;
        const operation = operationOf(context);
        const token = tokenOfError(e);
        // A change it took and did not answer may have been carried out (see UnansweredError).
        throw e instanceof UnansweredError
          ? new DdbError('endpoint.unreachable', {
              message: `${operation}: ${explain(net)}; the ${operation} was sent and not answered: it may or may not have been carried out`,
              cause: e,
              details: {
                ...(answerLost(e.original)?.kind === 'silent' ? { silent: true } : {}),
                unanswered: true,
                ...(token !== undefined ? { token } : {}),
              },
            })
          : new DdbError('endpoint.unreachable', { message: `${operation}: ${explain(net)}`, cause: e });
      }
    },
    // Outermost: around the SDK's retries, so they run first.
    { step: 'initialize', priority: 'high', name: 'ddbctlExplainUnreachable' },
  );
}

/** A middleware's request by its operation's name, as messages say it: "PutItem". */
export const operationOf = (context: { commandName?: unknown }): string =>
  String(context.commandName ?? 'the call').replace(/Command$/, '');

/** The SDK's headers on every attempt of a request (its retry middleware): its id, and "attempt=2; max=3". */
const INVOCATION_HEADER = 'amz-sdk-invocation-id';
const ATTEMPT_HEADER = 'amz-sdk-request';

/**
 * Say (onRetry) when the SDK tries a request again after a time limit: inside its retries, so each
 * attempt passes here; said when the next attempt starts (the retry strategy may give up instead).
 */
export function announceRetries(
  client: DynamoDBClient,
  label: string,
  onRetry: (line: string) => void,
  clock: Clock,
): void {
  // By invocation id: the signer hands each attempt a copy of the request.
  const timedOut = new Map<string, { kind: 'silent' | 'connect'; ms: number }>();
  // Calls in flight together (an export's segments) time out together: their same line is said
  // once a wave (not again within the wait it tells of, at least a second).
  const said = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers;
      const id = headers?.[INVOCATION_HEADER];
      const [, attempt, max] = /attempt=(\d+); max=(\d+)/.exec(headers?.[ATTEMPT_HEADER] ?? '') ?? [];
      const last = id === undefined ? undefined : timedOut.get(id);
      if (id !== undefined && last) {
        timedOut.delete(id);
        const operation = operationOf(context);
        const what = last.kind === 'silent' ? 'no answer from' : 'no connection to';
        const line = `${operation}: ${what} ${label} within ${last.ms / 1000} s; trying again (attempt ${attempt} of ${max})`;
        const now = clock.now();
        if (now - (said.get(line) ?? Number.NEGATIVE_INFINITY) >= Math.max(last.ms, 1000)) {
          said.set(line, now);
          onRetry(line);
        }
      }
      try {
        return await next(args);
      } catch (e) {
        const timeout = timeoutOf(e);
        // Not after the last attempt: no other comes to say it.
        if (id !== undefined && timeout && attempt !== max) timedOut.set(id, timeout);
        throw e;
      }
    },
    // Inside the SDK's retry middleware (finalizeRequest, high), which sets the headers.
    { step: 'finalizeRequest', priority: 'low', name: 'ddbctlAnnounceRetries' },
  );
}

/**
 * Count into `sent` (by operation) the requests of `client` that may change something, from the
 * moment one goes to the request handler until its answer is in (or it fails): innermost, so a
 * request still waiting for its credentials or a retry's backoff is not counted as sent. Such a
 * request left unanswered (answerLost: for the request timeout, or its connection dropped) fails as
 * an UnansweredError, which the SDK does not send again (bulk writes, whose puts and deletes are
 * idempotent, retry their own way; a TransactWriteItems goes again with its token, and counts as
 * sent until its call ends). The
 * error of every request that got this far is marked sent (markSent: an abort after, not before).
 */
export function trackSent(
  client: { middlewareStack: DynamoDBClient['middlewareStack'] },
  sent: Map<string, number>,
  tokens: Map<object, string>,
): void {
  // A repeatable request (a TransactWriteItems with its token) is sent again after a silence, as
  // any request the SDK retries; its first silence is kept, by the call's context (one a call,
  // shared by its attempts), until the call ends.
  const silenceOf = new WeakMap<object, { first: unknown; answered: boolean }>();
  /** Count `n` more (or fewer) of `op` sent and not answered. */
  const count = (op: string, n: number) => {
    const left = (sent.get(op) ?? 0) + n;
    if (left > 0) sent.set(op, left);
    else sent.delete(op);
  };
  /** A change sent again with its token: unanswered until its call ends (a stop meanwhile says so). */
  const goesAgain = (context: object, op: string, e: unknown) => {
    if (silenceOf.has(context)) return;
    silenceOf.set(context, { first: e, answered: false });
    count(op, 1);
  };
  const changes = (op: string, args: { input?: unknown }) => {
    const input = args.input as { Statement?: unknown; TableName?: unknown } | undefined;
    return mayChange(op, input?.Statement, input?.TableName);
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        const lost = silenceOf.get(context);
        // A transaction's error carries its token (named where its outcome is unknown).
        const token = tokens.get(context);
        if (token !== undefined) markToken(e, token);
        if (lost === undefined || !outcomeUnknown(e)) throw e;
        // After the SDK's retries: the outcome is still unknown, and the first may have been carried out.
        // Every attempt lost the same way: said once, "on any of N attempts".
        const same = !lost.answered && answerLost(e)?.kind === answerLost(lost.first)?.kind;
        const err = same ? new UnansweredError(e) : new UnansweredError(lost.first, e);
        if (token !== undefined) markToken(err, token);
        throw err;
      } finally {
        tokens.delete(context);
        if (silenceOf.delete(context)) count(operationOf(context), -1);
      }
    },
    // Around the SDK's retries (finalizeRequest), inside explainUnreachable.
    { step: 'initialize', priority: 'low', name: 'ddbctlRepeatedUnanswered' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = operationOf(context);
      if (!changes(op, args)) {
        try {
          return await next(args);
        } catch (e) {
          markSent(e, false);
          throw e;
        }
      }
      count(op, 1);
      // A transaction's token, kept until its call ends: said with a stop or an unknown outcome.
      const token = tokenOf(op, (args.request as { body?: unknown } | undefined)?.body);
      if (token !== undefined) tokens.set(context, token);
      try {
        const out = await next(args);
        // An answer (the SDK's deserializer reads it after this), but a server error's (see below).
        const lost = silenceOf.get(context);
        const status = (out as { response?: { statusCode?: number } }).response?.statusCode ?? 0;
        if (lost && status < 500) lost.answered = true;
        return out;
      } catch (e) {
        markSent(e, true);
        const lost = answerLost(e);
        // NOTE: bulk writes (idempotent puts and deletes) retry a dropped connection their own way,
        // and a run they stop on it resumes safely; a silence they count (writeChunk).
        if (!lost || (lost.kind === 'reset' && op === 'BatchWriteItem')) throw e;
        if (token === undefined) throw new UnansweredError(e);
        // The SDK sends it again, with the same token.
        goesAgain(context, op, e);
        throw e;
      } finally {
        count(op, -1);
      }
    },
    { step: 'deserialize', priority: 'low', name: 'ddbctlTrackSent' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        // A change answered with a server error (HTTP 5xx), as the SDK's deserializer reads it: the
        // endpoint may have carried it out ("InternalServerError: the request may or may not have
        // succeeded"), so it is not sent again (bulk writes retry their idempotent puts and
        // deletes their own way; a transaction goes again with its token, which the middleware
        // inside this one kept).
        const op = operationOf(context);
        if (answerLost(e)?.kind !== 'server' || op === 'BatchWriteItem' || !changes(op, args)) throw e;
        if (!tokens.has(context)) throw new UnansweredError(e);
        goesAgain(context, op, e);
        throw e;
      }
    },
    // Inside the SDK's retries, around its deserializer.
    { step: 'deserialize', priority: 'high', name: 'ddbctlServerErrorChange' },
  );
}
