/**
 * A table's streams as the engine keeps them. The table's meta record says which stream is its
 * latest (`extra.stream`: ARN, label, view type, enabled); each stream has a record of its own in
 * the `streams` tree (key: its ARN), which outlives the table and the stream's disabling for the
 * 24 hours DynamoDB keeps a stream readable; each stream's records live in the tree `s:<ARN>`,
 * keyed by sequence number.
 *
 * A stream has one shard: DynamoDB splits shards by throughput and rolls them over every few hours,
 * which a client sees as parent and child shards; one shard read to its end is the same story for
 * a single writer, and DescribeStream says so honestly (one shard, closed when the stream is).
 */
import { randomBytes } from 'node:crypto';
import type { TableMeta } from '../catalog.js';
import type { KeyElement } from '../types.js';

export type ViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export const VIEW_TYPES: readonly ViewType[] = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'];

/** What a table's meta record says of its latest stream (TableMeta.extra.stream). */
export interface TableStream {
  arn: string;
  label: string;
  viewType: ViewType;
  enabled: boolean;
}

/** One stream, enabled or not (the `streams` tree). */
export interface StreamMeta {
  arn: string;
  label: string;
  table: string;
  viewType: ViewType;
  keySchema: KeyElement[];
  /** ms since epoch. */
  createdAt: number;
  shardId: string;
  /** The shard's first sequence number. */
  start: string;
  /** When the stream was disabled (its table's deletion disables it too): the shard is closed. */
  disabledAt?: number;
  /** The closed shard's last sequence number. */
  end?: string;
}

export const STREAMS_TREE = 'streams';
export const recordTree = (arn: string): string => `s:${arn}`;

/** DynamoDB keeps a stream's records, and a disabled stream, for 24 hours. */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Sequence numbers as DynamoDB writes them: decimal digits, at least 21 (the API's minimum
 * length), increasing. Ours are the write's time in ms times 10^6 plus a count, padded to 21
 * digits, so that text order is number order and a stream's numbers keep increasing after its old
 * records are trimmed.
 */
const DIGITS = 21;
const PER_MS = 1_000_000n;

export function seqAt(ms: number): string {
  return (BigInt(Math.max(0, Math.floor(ms))) * PER_MS).toString().padStart(DIGITS, '0');
}

export function seqAfter(seq: string): string {
  return (BigInt(seq) + 1n).toString().padStart(DIGITS, '0');
}

/** A sequence number as given by a client, in our padded form; undefined when it is none. */
export function seqOf(text: string): string | undefined {
  if (!/^\d{1,40}$/.test(text)) return undefined;
  const n = BigInt(text).toString();
  return n.length > DIGITS ? n : n.padStart(DIGITS, '0');
}

/** A stream's label: its creation time as DynamoDB writes it (ISO 8601, ms, no zone). */
export function streamLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, -1);
}

/** A new stream for `table`, created at `now`. */
export function newStream(table: TableMeta, viewType: ViewType, now: number): StreamMeta {
  const label = streamLabel(now);
  return {
    arn: `${table.arn}/stream/${label}`,
    label,
    table: table.name,
    viewType,
    keySchema: table.keySchema,
    createdAt: now,
    // DynamoDB's form: shardId-<20 digits>-<8 hex>.
    shardId: `shardId-${String(now).padStart(20, '0')}-${randomBytes(4).toString('hex')}`,
    start: seqAt(now),
  };
}

/** The table's latest stream as its meta record says (enabled or not). */
export function tableStream(meta: TableMeta | undefined): TableStream | undefined {
  return meta?.extra.stream as TableStream | undefined;
}

/** What DescribeTable says of a table's stream: the specification while enabled, the latest ARN and label. */
export function streamDescription(s: TableStream | undefined): Record<string, unknown> {
  if (!s) return {};
  return {
    ...(s.enabled ? { StreamSpecification: { StreamEnabled: true, StreamViewType: s.viewType } } : {}),
    LatestStreamLabel: s.label,
    LatestStreamArn: s.arn,
  };
}
