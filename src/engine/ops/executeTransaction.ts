/**
 * ExecuteTransaction: up to 100 PartiQL statements run as one transaction — all SELECTs of one
 * item (a TransactGetItems) or all writes and EXISTS checks (a TransactWriteItems) — translated by
 * partiql/translate.ts and run by transact/, so that the all-or-nothing commit, the cancellation
 * reasons and ClientRequestToken's idempotency are the transactions' own.
 */
import type { Operation } from '../context.js';
import { EngineError, validation } from '../errors.js';
import type { Statement } from '../partiql/ast.js';
import {
  getRequest,
  NOT_WHOLE_KEY,
  parseStatement,
  type Request,
  writeRequest,
} from '../partiql/translate.js';
import { checkShape } from '../shape.js';
import { transactGet, transactWrite } from '../transact/index.js';

type Json = Record<string, unknown>;

const MAX = 100;

/** A translated write's action in TransactWriteItems' words. */
const ACTION: Record<string, string> = {
  PutItem: 'Put',
  UpdateItem: 'Update',
  DeleteItem: 'Delete',
  ConditionCheck: 'ConditionCheck',
};

export const executeTransaction: Operation = (ctx, input) => {
  checkShape(input, {
    struct: {
      TransactStatements: {
        list: {
          struct: {
            Statement: 'string',
            Parameters: { list: 'any' },
            ReturnValuesOnConditionCheckFailure: 'string',
          },
        },
      },
      ClientRequestToken: 'string',
      ReturnConsumedCapacity: 'string',
    },
  });
  const entries = (input.TransactStatements as Json[] | undefined) ?? [];
  if (entries.length === 0) throw validation('ExecutePartiQLTransaction can not have empty statement.');
  if (entries.length > MAX) throw validation(`Member must have length less than or equal to ${MAX}`);

  const statements = entries.map((e, i) => {
    const params = (e.Parameters as unknown[] | undefined) ?? [];
    let s: Statement;
    try {
      s = parseStatement(String(e.Statement ?? ''), params);
    } catch (err) {
      throw inStatement(err, i);
    }
    if ((s.kind === 'update' || s.kind === 'delete') && s.returning) {
      throw validation(
        `Validation failed in TransactStatements[${i}]: RETURNING clause is not supported in ExecuteTransaction.`,
      );
    }
    return { s, params, entry: e };
  });
  const reads = statements.filter((x) => x.s.kind === 'select').length;
  if (reads > 0 && reads < statements.length) {
    throw validation(
      'ExecuteTransaction API does not support both read and write operations in the same request.',
    );
  }
  const capacity =
    input.ReturnConsumedCapacity === undefined
      ? {}
      : { ReturnConsumedCapacity: input.ReturnConsumedCapacity };

  const requests: Request[] = statements.map(({ s, params, entry }, i) => {
    const from = s.kind === 'exists' ? s.select.from : s.from;
    const table = ctx.findTable(from.table);
    if (!table || table.status === 'CREATING' || table.status === 'DELETING') {
      throw new EngineError('ResourceNotFoundException', 'Requested resource not found');
    }
    try {
      if (s.kind === 'select') {
        return getRequest(
          s,
          table,
          params,
          `Validation failed in TransactStatements[${i}]: Select statements within ExecuteTransaction must specify the primary key in the where clause.`,
        );
      }
      const onFail = entry.ReturnValuesOnConditionCheckFailure;
      const r = writeRequest(
        s,
        table,
        params,
        onFail === undefined ? {} : { ReturnValuesOnConditionCheckFailure: onFail },
      );
      if (s.kind === 'exists' && r.input.ConditionExpression === undefined) {
        throw validation(
          `Validation failed in TransactStatements[${i}]: EXISTS() must contain a single item read with additional condition`,
        );
      }
      return r;
    } catch (err) {
      // NOTE: DynamoDB Local answers a write without its whole key as a cancelled transaction
      // without reasons, the reason's code and message in the exception's message.
      if (err instanceof EngineError && err.message === NOT_WHOLE_KEY) {
        throw new EngineError('TransactionCanceledException', `ValidationError ${NOT_WHOLE_KEY}`);
      }
      throw inStatement(err, i);
    }
  });

  if (reads > 0) {
    const TransactItems = requests.map((r) => ({ Get: r.input }));
    const out = transactGet(ctx, { TransactItems, ...capacity });
    return { Responses: out.Responses, ConsumedCapacity: out.ConsumedCapacity };
  }
  const TransactItems = requests.map((r) => {
    const { ReturnValues: _, ...a } = r.input;
    return { [ACTION[r.op]!]: a };
  });
  const token =
    input.ClientRequestToken === undefined ? {} : { ClientRequestToken: input.ClientRequestToken };
  let out: Json;
  try {
    out = transactWrite(ctx, { TransactItems, ...token, ...capacity }) as Json;
  } catch (err) {
    // NOTE: ExecuteTransaction words a reused token (TransactWriteItems answers it without words).
    if (err instanceof EngineError && err.type === 'IdempotentParameterMismatchException') {
      throw new EngineError(
        err.type,
        'Specified idempotent token was used with different request parameters within the idempotency window',
      );
    }
    throw statementReasons(err, requests);
  }
  return { Responses: [], ConsumedCapacity: out.ConsumedCapacity };
};

/** The statement errors DynamoDB Local gives with the statement's place before them. */
const STATEMENT_ERRORS = [
  'Number of parameters',
  'This operation is not supported on an index',
  'FROM clause may only contain a single table name',
];

/** A statement's own validation error, prefixed with its place as DynamoDB prefixes it. */
function inStatement(err: unknown, i: number): unknown {
  if (
    err instanceof EngineError &&
    err.type === 'ValidationException' &&
    STATEMENT_ERRORS.some((m) => err.message.startsWith(m))
  ) {
    return validation(`Validation failed in TransactStatements[${i}]: ${err.message}`);
  }
  return err;
}

/**
 * The reasons in PartiQL's words: an INSERT whose item exists (its attribute_not_exists failed) is
 * DynamoDB's ValidationError "Duplicate primary key exists in table".
 */
function statementReasons(err: unknown, requests: Request[]): unknown {
  if (!(err instanceof EngineError) || err.type !== 'TransactionCanceledException' || !err.extra) return err;
  const reasons = (err.extra.CancellationReasons as Json[] | undefined)?.map((r, i) =>
    r.Code === 'ConditionalCheckFailed' && requests[i]?.op === 'PutItem'
      ? { Code: 'ValidationError', Message: 'Duplicate primary key exists in table' }
      : r,
  );
  if (!reasons) return err;
  return new EngineError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    { ...err.extra, CancellationReasons: reasons },
  );
}
