/**
 * What the Streams API operations share: a stream found by its ARN (alive while enabled and for 24
 * hours after), its shard as DescribeStream describes it, and shard iterators.
 */
import { createHash } from 'node:crypto';
import type { OpContext } from '../context.js';
import { EngineError, validation } from '../errors.js';
import type { Constraints } from '../shape.js';
import { RETENTION_MS, recordTree, STREAMS_TREE, type StreamMeta, seqAt } from './meta.js';

/** Whether a stream is still readable at `now`: enabled, or disabled less than 24 hours ago. */
export function alive(m: StreamMeta, now: number): boolean {
  return m.disabledAt === undefined || m.disabledAt > now - RETENTION_MS;
}

/** The stream of that ARN, or DynamoDB's ResourceNotFoundException. */
export function findStream(ctx: OpContext, arn: string): StreamMeta {
  const stored = ctx.store.tree(STREAMS_TREE).get(arn);
  const m = stored ? (JSON.parse(stored.j) as StreamMeta) : undefined;
  if (!m || !alive(m, ctx.clock.now())) {
    throw new EngineError(
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${arn} not found`,
    );
  }
  return m;
}

/** Every readable stream, in ARN order (table name, then creation). */
export function allStreams(ctx: OpContext): StreamMeta[] {
  const now = ctx.clock.now();
  const out: StreamMeta[] = [];
  for (const [, s] of ctx.store.tree(STREAMS_TREE).entries()) {
    const m = JSON.parse(s.j) as StreamMeta;
    if (alive(m, now)) out.push(m);
  }
  return out;
}

/** The oldest sequence number still kept: records before it are trimmed. */
export function trimHorizon(m: StreamMeta, now: number): string {
  const h = seqAt(now - RETENTION_MS);
  // Text order is number order (same length): not Math.max, these are strings.
  if (h > m.start) return h;
  return m.start;
}

/** The last record's sequence number, or undefined when the shard holds none. */
export function lastRecord(ctx: OpContext, m: StreamMeta): string | undefined {
  for (const [k] of ctx.store.tree(recordTree(m.arn)).entries({ reverse: true })) return k;
  return undefined;
}

/** The shard as DescribeStream lists it. */
export function shardDescription(m: StreamMeta): Record<string, unknown> {
  return {
    ShardId: m.shardId,
    SequenceNumberRange: {
      StartingSequenceNumber: m.start,
      ...(m.end !== undefined ? { EndingSequenceNumber: m.end } : {}),
    },
  };
}

/** A stream ARN as DynamoDB's request validation checks it. */
export function arnConstraint(c: Constraints, arn: unknown, path: string): void {
  c.notNull(arn, path);
  c.length(arn, path, 37, 1024);
}

/** `Limit` within [1, max]. */
export function limitConstraint(c: Constraints, limit: unknown, max: number): void {
  c.atLeast(limit, 'limit', 1);
  if (typeof limit === 'number' && limit > max)
    c.fail(limit, 'limit', `Member must have value less than or equal to ${max}`);
}

/**
 * Where an iterator reads from: the first record whose sequence number is at least `from`
 * (`after`: greater than it). An iterator is `<stream ARN>|1|<base64 of this>`, as DynamoDB's start
 * with the stream's ARN; it expires 15 minutes after it was given out.
 */
export interface Position {
  arn: string;
  shard: string;
  from: string;
  after: boolean;
  issued: number;
}

/** DynamoDB's lifetime of a shard iterator. */
export const ITERATOR_MS = 15 * 60 * 1000;

export function encodeIterator(p: Position): string {
  const body = JSON.stringify({ s: p.shard, f: p.from, a: p.after ? 1 : 0, t: p.issued });
  const sum = check(p.arn, body);
  return `${p.arn}|1|${Buffer.from(`${body}|${sum}`).toString('base64')}`;
}

/** A short check so an edited iterator is refused rather than read from a made-up place. */
function check(arn: string, body: string): string {
  return createHash('sha256').update(arn).update('\u0000').update(body).digest('hex').slice(0, 16);
}

/** The iterator's position, or DynamoDB's ValidationException for a string that is none. */
export function decodeIterator(text: string): Position {
  const bad = () => validation('Invalid ShardIterator');
  const cut = text.lastIndexOf('|1|');
  if (cut < 0) throw bad();
  const arn = text.slice(0, cut);
  const raw = Buffer.from(text.slice(cut + 3), 'base64').toString('utf8');
  const bar = raw.lastIndexOf('|');
  if (bar < 0 || check(arn, raw.slice(0, bar)) !== raw.slice(bar + 1)) throw bad();
  const o = JSON.parse(raw.slice(0, bar)) as { s: string; f: string; a: number; t: number };
  return { arn, shard: o.s, from: o.f, after: o.a === 1, issued: o.t };
}
