/**
 * ClientRequestToken: a TransactWriteItems given the token of one that succeeded less than 10
 * minutes ago succeeds again without writing; given it with other actions it is refused. Tokens
 * live in a tree of the store, written in the transaction's own commit, so they outlast the
 * process (two `ddbctl transact --token X` runs are two processes on one data dir) and a
 * transaction is never there without its token, nor its token without it.
 */
import { createHash } from 'node:crypto';
import type { OpContext } from '../context.js';
import { EngineError } from '../errors.js';
import type { Change } from '../store/index.js';

/** The tree of tokens: token → `{"h": hash of the request's actions, "at": ms since epoch}`. */
export const TOKEN_TREE = 'tx:tokens';

/** How long DynamoDB remembers a token. */
export const TOKEN_TTL_MS = 10 * 60 * 1000;

interface TokenRecord {
  h: string;
  at: number;
}

/**
 * What identifies a request for its token: its actions. NOTE: what it asks back
 * (ReturnConsumedCapacity, ReturnItemCollectionMetrics) may change between retries (DynamoDB Local
 * answers such a retry as the same request).
 */
export function requestHash(input: Record<string, unknown>): string {
  return createHash('sha256').update(canonical(input.TransactItems)).digest('hex');
}

/**
 * JSON text with every object's members in one order. NOTE: a JSON object has no order, so a retry
 * rebuilt from an object whose keys come in another order (an item, ExpressionAttributeValues) is
 * the same request; DynamoDB Local answers it as such.
 */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * Whether this request was already applied under `token` (true: answer success, write nothing).
 * Throws IdempotentParameterMismatchException when the token was used by another request.
 */
export function alreadyApplied(ctx: OpContext, token: string | undefined, hash: string): boolean {
  if (token === undefined) return false;
  const s = ctx.store.tree(TOKEN_TREE).get(token);
  if (!s) return false;
  const rec = JSON.parse(s.j) as TokenRecord;
  if (ctx.clock.now() - rec.at >= TOKEN_TTL_MS) return false;
  if (rec.h !== hash) {
    // NOTE: DynamoDB Local answers it with an empty message, written out (`"message": ""`).
    throw new EngineError('IdempotentParameterMismatchException', '', { message: '' });
  }
  return true;
}

/** The changes that record `token` for this request, and drop the tokens that have expired. */
export function tokenChanges(ctx: OpContext, token: string | undefined, hash: string): Change[] {
  if (token === undefined) return [];
  const now = ctx.clock.now();
  const changes: Change[] = [];
  for (const [k, s] of ctx.store.tree(TOKEN_TREE).entries()) {
    if (k !== token && now - (JSON.parse(s.j) as TokenRecord).at >= TOKEN_TTL_MS) {
      changes.push({ tree: TOKEN_TREE, key: k, value: null });
    }
  }
  changes.push({ tree: TOKEN_TREE, key: token, value: { j: JSON.stringify({ h: hash, at: now }), z: 0 } });
  return changes;
}
