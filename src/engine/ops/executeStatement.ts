/**
 * ExecuteStatement: one PartiQL statement (partiql/), run as the item operation that does its job
 * (partiql/translate.ts): SELECT as Query or Scan a page at a time (NextToken), INSERT, UPDATE and
 * DELETE as PutItem, UpdateItem and DeleteItem, their errors answered as DynamoDB answers them
 * for PartiQL.
 */
import type { OpContext, Operation } from '../context.js';
import { EngineError, validation } from '../errors.js';
import {
  parseStatement,
  projector,
  type Request,
  selectRequests,
  tableOf,
  writeRequest,
} from '../partiql/translate.js';
import { checkShape, long } from '../shape.js';
import { units } from './_common.js';
import { deleteItem } from './deleteItem.js';
import { getItem } from './getItem.js';
import { putItem } from './putItem.js';
import { query } from './query.js';
import { scan } from './scan.js';
import { updateItem } from './updateItem.js';

type Json = Record<string, unknown>;

const ITEM_OPERATIONS: Record<string, Operation> = {
  GetItem: getItem,
  Query: query,
  Scan: scan,
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
};

/** Run one translated request through its registered operation, its errors in PartiQL's words. */
export async function run(ctx: OpContext, r: Request): Promise<Json> {
  const op = ITEM_OPERATIONS[r.op];
  if (!op) throw validation(`${r.op} is not a statement of its own`);
  try {
    return ((await op(ctx, r.input)) ?? {}) as Json;
  } catch (e) {
    throw inPartiqlWords(e);
  }
}

/**
 * An operation's validation error as DynamoDB words it for a statement, which has no expressions
 * and no placeholders of its own: without "Invalid UpdateExpression: " (and the like) before it,
 * nor "ExpressionAttributeValues contains invalid value: ... for key :v0" around a value's fault.
 */
export function inPartiqlWords(e: unknown): unknown {
  if (!(e instanceof EngineError) || e.type !== 'ValidationException') return e;
  const value = /^ExpressionAttributeValues contains invalid value: (.*) for key :v\d+$/s.exec(e.message);
  if (value) return validation(value[1]!);
  const expression = /^Invalid (?:Update|Condition|KeyCondition|Filter|Projection)Expression: (.*)$/s.exec(
    e.message,
  );
  if (expression) return validation(expression[1]!);
  return e;
}

/** DynamoDB's longest statement (characters). */
export const MAX_STATEMENT = 8192;

/** An INSERT's failed condition is DynamoDB's DuplicateItemException. */
export function duplicateItem(e: unknown, r: Request): unknown {
  if (r.op === 'PutItem' && e instanceof EngineError && e.type === 'ConditionalCheckFailedException') {
    return new EngineError('DuplicateItemException', 'Duplicate primary key exists in table');
  }
  return e;
}

/** The request's Parameters (checked to be a list: the operations check each value). */
export function parametersOf(input: Json): unknown[] {
  return (input.Parameters as unknown[] | undefined) ?? [];
}

export const STATEMENT_SHAPE = {
  Statement: 'string',
  Parameters: { list: 'any' },
  ConsistentRead: 'boolean',
  NextToken: 'string',
  ReturnConsumedCapacity: 'string',
  ReturnValuesOnConditionCheckFailure: 'string',
  Limit: 'long',
} as const;

/** Where a page stopped: the index of the Query (one per partition key value) and its last key. */
interface Token {
  i: number;
  k?: Json;
}

const encodeToken = (t: Token): string => Buffer.from(JSON.stringify(t)).toString('base64');

function decodeToken(text: string, count: number): Token {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Token;
    if (
      Number.isInteger(t.i) &&
      t.i >= 0 &&
      t.i < count &&
      (t.k === undefined || (typeof t.k === 'object' && t.k))
    ) {
      return t;
    }
  } catch {}
  throw validation('Invalid NextToken');
}

/** Capacity units of several answers of one table added up into one ConsumedCapacity. */
function sumCapacity(all: Json[]): Json | undefined {
  const parts = all.map((o) => o.ConsumedCapacity as Json | undefined).filter((c) => c !== undefined);
  if (parts.length <= 1) return parts[0];
  const total = parts.reduce((n, c) => n + Number((c.CapacityUnits as { json: string }).json), 0);
  return { ...parts[0], CapacityUnits: units(total) };
}

export const executeStatement: Operation = async (ctx, input) => {
  checkShape(input, { struct: STATEMENT_SHAPE });
  if (typeof input.Statement !== 'string') {
    throw validation(
      "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null",
    );
  }
  if (input.Statement.length > MAX_STATEMENT) {
    throw validation(`Member must have length less than or equal to ${MAX_STATEMENT}`);
  }
  const limit = long(input.Limit);
  if (limit !== undefined && limit < 1) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  }
  const params = parametersOf(input);
  const s = parseStatement(input.Statement, params);
  if (s.kind === 'exists') throw validation('EXISTS can only be used in ExecuteTransaction write requests.');
  const table = tableOf(ctx, s);
  const capacity =
    input.ReturnConsumedCapacity === undefined
      ? {}
      : { ReturnConsumedCapacity: input.ReturnConsumedCapacity };

  if (s.kind !== 'select') {
    const onFail = input.ReturnValuesOnConditionCheckFailure;
    const r = writeRequest(s, table, params, {
      ...capacity,
      ...(onFail === undefined ? {} : { ReturnValuesOnConditionCheckFailure: onFail }),
    });
    let out: Json;
    try {
      out = await run(ctx, r);
    } catch (e) {
      throw duplicateItem(e, r);
    }
    return { Items: out.Attributes ? [out.Attributes] : [], ConsumedCapacity: out.ConsumedCapacity };
  }

  const consistent = input.ConsistentRead === undefined ? {} : { ConsistentRead: input.ConsistentRead };
  const requests = selectRequests(s, table, params, { ...consistent, ...capacity });
  const start: Token =
    typeof input.NextToken === 'string' ? decodeToken(input.NextToken, requests.length) : { i: 0 };
  const items: unknown[] = [];
  const answers: Json[] = [];
  let evaluated = 0;
  let next: Token | undefined;
  for (let i = start.i; i < requests.length; i++) {
    const r = requests[i]!;
    const page: Json = { ...r.input };
    if (i === start.i && start.k) page.ExclusiveStartKey = start.k;
    if (limit !== undefined) page.Limit = limit - evaluated;
    const out = await run(ctx, { op: r.op, input: page });
    answers.push(out);
    items.push(...((out.Items as unknown[] | undefined) ?? []));
    evaluated += Number(out.ScannedCount ?? 0);
    if (out.LastEvaluatedKey) {
      next = { i, k: out.LastEvaluatedKey as Json };
      break;
    }
    if (limit !== undefined && evaluated >= limit && i + 1 < requests.length) {
      next = { i: i + 1 };
      break;
    }
  }
  const shape = projector(s);
  return {
    Items: shape ? items.map(shape) : items,
    ...(next ? { NextToken: encodeToken(next) } : {}),
    ConsumedCapacity: sumCapacity(answers),
  };
};
