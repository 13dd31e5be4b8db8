/**
 * BatchExecuteStatement: up to 25 PartiQL statements, all SELECTs of one item (each a GetItem) or
 * all writes (each a PutItem, UpdateItem or DeleteItem), each answered on its own — its item, or
 * its Error {Code, Message} — in the order given. Only a request that breaks the batch's own rules
 * (a mix of reads and writes, more than 25, the same item twice) fails as a whole.
 */
import type { Operation } from '../context.js';
import { EngineError, validation } from '../errors.js';
import type { Statement } from '../partiql/ast.js';
import { getRequest, parseStatement, type Request, tableOf, writeRequest } from '../partiql/translate.js';
import { checkShape } from '../shape.js';
import { units } from './_common.js';
import { duplicateItem, run } from './executeStatement.js';

type Json = Record<string, unknown>;

const MAX = 25;

/** A statement's kind by its first word, as DynamoDB sorts a batch before it parses it. */
function kindOf(text: string): 'read' | 'write' | undefined {
  const word = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase();
  if (word === 'SELECT') return 'read';
  if (word === 'INSERT' || word === 'UPDATE' || word === 'DELETE') return 'write';
  return undefined;
}

/** An error of one statement, as DynamoDB writes it into the answer (`ValidationError`, `ConditionalCheckFailed`...). */
export function statementError(e: unknown): Json {
  if (!(e instanceof EngineError)) throw e;
  const Code = e.type === 'ValidationException' ? 'ValidationError' : e.type.replace(/Exception$/, '');
  // NOTE: a statement's missing table is worded as DynamoDB Local words it in a batch (no word of
  // DynamoDB's own is known for it there).
  const Message = Code === 'ResourceNotFound' ? 'Cannot do operations on a non-existent table' : e.message;
  return { Code, Message, ...(e.extra?.Item ? { Item: e.extra.Item } : {}) };
}

export const batchExecuteStatement: Operation = async (ctx, input) => {
  checkShape(input, {
    struct: {
      Statements: {
        list: {
          struct: {
            Statement: 'string',
            Parameters: { list: 'any' },
            ConsistentRead: 'boolean',
            ReturnValuesOnConditionCheckFailure: 'string',
          },
        },
      },
      ReturnConsumedCapacity: 'string',
    },
  });
  const statements = (input.Statements as Json[] | undefined) ?? [];
  if (statements.length === 0) throw validation('The statement was empty.');
  const kinds = statements.map((s) => kindOf(String(s.Statement ?? '')));
  const reads = kinds.includes('read');
  if (reads && kinds.includes('write')) {
    throw validation('Read and write requests together in the same batch is not supported.');
  }
  if (statements.length > MAX) {
    throw validation(
      reads
        ? `BatchGetItem cannot fetch more than ${MAX} items`
        : `BatchWriteItem cannot write more than ${MAX} items`,
    );
  }
  const capacity =
    input.ReturnConsumedCapacity === undefined
      ? {}
      : { ReturnConsumedCapacity: input.ReturnConsumedCapacity };

  // Every statement translated first: the same item twice fails the whole batch before any runs.
  const planned: ({ request: Request } | { error: Json })[] = statements.map((st, i) => {
    try {
      const text = String(st.Statement ?? '');
      if (kinds[i] === undefined) {
        if (/^\s*EXISTS\b/i.test(text)) {
          throw validation('EXISTS can only be used in ExecuteTransaction write requests.');
        }
        // NOTE: a single unknown word is refused so; longer text is parsed (and found malformed).
        if (/^\s*\w+\s*$/.test(text)) {
          throw validation('Invalid operation. Only select, insert, update and delete operations are valid');
        }
      }
      const params = (st.Parameters as unknown[] | undefined) ?? [];
      const s: Statement = parseStatement(text, params);
      const table = tableOf(ctx, s);
      if (s.kind === 'select') {
        const more =
          st.ConsistentRead === undefined ? capacity : { ...capacity, ConsistentRead: st.ConsistentRead };
        return { request: getRequest(s, table, params, 'Only single item select is supported', more) };
      }
      const onFail = st.ReturnValuesOnConditionCheckFailure;
      return {
        request: writeRequest(s, table, params, {
          ...capacity,
          ...(onFail === undefined ? {} : { ReturnValuesOnConditionCheckFailure: onFail }),
        }),
      };
    } catch (e) {
      return { error: statementError(e) };
    }
  });
  const seen = new Set<string>();
  for (const p of planned) {
    if (!('request' in p)) continue;
    const { TableName, Key, Item } = p.request.input as { TableName: string; Key?: Json; Item?: Json };
    const key = JSON.stringify([TableName, Key ?? keyOf(ctx.table(TableName).key, Item ?? {})]);
    if (seen.has(key)) throw validation('Provided list of item keys contains duplicates');
    seen.add(key);
  }

  const Responses: Json[] = [];
  const units_ = new Map<string, number>();
  for (const p of planned) {
    if ('error' in p) {
      Responses.push({ Error: p.error });
      continue;
    }
    const TableName = p.request.input.TableName as string;
    try {
      const out = await run(ctx, p.request);
      const c = out.ConsumedCapacity as { CapacityUnits: { json: string } } | undefined;
      if (c) units_.set(TableName, (units_.get(TableName) ?? 0) + Number(c.CapacityUnits.json));
      Responses.push({ TableName, ...(out.Item ? { Item: out.Item } : {}) });
    } catch (e) {
      Responses.push({ Error: statementError(duplicateItem(e, p.request)), TableName });
    }
  }
  const out: Json = { Responses };
  if (input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE') {
    out.ConsumedCapacity = [...units_].map(([TableName, n]) => ({ TableName, CapacityUnits: units(n) }));
  }
  return out;
};

/** An item's key attributes (an INSERT's item), to find the same item twice in a batch. */
function keyOf(key: { hash: { name: string }; range?: { name: string } }, item: Json): Json {
  return {
    [key.hash.name]: item[key.hash.name],
    ...(key.range ? { [key.range.name]: item[key.range.name] } : {}),
  };
}
