/**
 * PartiQL: one statement (SELECT, INSERT, UPDATE, DELETE) through ExecuteStatement, its `?`
 * parameters given as item values, its results streamed page by page (NextToken).
 *
 * The input is a pure builder (statement and parameters checked locally), the executor an async
 * generator of pages: a caller sees the first items before the last page is read, and stops
 * reading pages by leaving the loop (or with `limit`).
 */
import { ExecuteStatementCommand, type ExecuteStatementCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { DdbError, inputError } from '../errors.js';
import { toDdbError } from '../sdkErrors.js';
import { fromJsValues, type Item, type ItemInputValue } from './codec.js';
import { unsupportedError } from './transact/index.js';
import { validateItem } from './validate.js';

// NOTE: ExecuteStatement takes a statement of 1–8192 characters.
const MAX_STATEMENT_LENGTH = 8192;

export interface ExecuteStatementOptions {
  /** Values of the statement's `?` placeholders, in order. Default none. */
  params?: readonly ItemInputValue[];
  /** Stop after this many items in all, across pages. Default: every item. */
  limit?: number;
  /**
   * Items evaluated per request (ExecuteStatement `Limit`): a page size, not a total cap — a
   * filtered SELECT may return fewer. Default: the service's (pages of up to 1 MB).
   */
  pageSize?: number;
  /** Strongly consistent read (SELECT). Default false: eventually consistent, half the read units. */
  consistent?: boolean;
}

/**
 * The number of `?` placeholders in a statement, outside 'strings', "identifiers", `ion`
 * literals and comments (-- to the end of the line, /* ... *\/).
 */
export function countPlaceholders(statement: string): number {
  let n = 0;
  let quote: string | undefined;
  for (let i = 0; i < statement.length; i++) {
    const c = statement[i]!;
    if (quote) {
      // NOTE: PartiQL escapes a quote inside a string or identifier by doubling it ('it''s'),
      // which this reads as closing and reopening: the same count.
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (c === '-' && statement[i + 1] === '-') {
      // A comment to the end of the line, or /* ... */: a ? in it is no placeholder.
      const end = statement.indexOf('\n', i);
      i = end < 0 ? statement.length : end;
    } else if (c === '/' && statement[i + 1] === '*') {
      const end = statement.indexOf('*/', i + 2);
      i = end < 0 ? statement.length : end + 1;
    } else if (c === '?') {
      n++;
    }
  }
  return n;
}

/**
 * Pure: the ExecuteStatement input of one page. Checks the statement's length, that there is one
 * parameter per `?`, the parameters against DynamoDB's limits, and the page size.
 */
export function executeStatementInput(
  statement: string,
  opts: Pick<ExecuteStatementOptions, 'params' | 'pageSize' | 'consistent'> = {},
  nextToken?: string,
): ExecuteStatementCommandInput {
  if (statement.trim() === '') {
    throw inputError(
      'input.expression',
      'the statement is empty; give one such as \'SELECT * FROM "Users"\'',
    );
  }
  if (statement.length > MAX_STATEMENT_LENGTH) {
    throw inputError(
      'input.expression',
      `the statement has ${statement.length} characters; DynamoDB allows ${MAX_STATEMENT_LENGTH}: pass values as ? parameters instead of inline`,
    );
  }
  const params = fromJsValues(opts.params ?? [], 'statement parameters');
  const expected = countPlaceholders(statement);
  if (params.length !== expected) {
    throw inputError(
      'input.expression',
      `the statement has ${expected} ? placeholder${expected === 1 ? '' : 's'} but ${params.length} parameter${params.length === 1 ? ' was' : 's were'} given: give one --param per ?, in order`,
    );
  }
  params.forEach((v, i) => {
    validateItem({ [`parameter ${i + 1}`]: v }, 'statement');
  });
  if (opts.pageSize !== undefined && !(Number.isInteger(opts.pageSize) && opts.pageSize >= 1)) {
    throw inputError('input.limit', `page size ${opts.pageSize}: expected a whole number ≥ 1`);
  }
  return {
    Statement: statement,
    // NOTE: DynamoDB rejects an empty Parameters list: leave it out when there is none.
    ...(params.length > 0 ? { Parameters: [...params] } : {}),
    ...(opts.pageSize !== undefined ? { Limit: opts.pageSize } : {}),
    ...(opts.consistent ? { ConsistentRead: true } : {}),
    ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
  };
}

/**
 * Run one PartiQL statement [ExecuteStatement] and yield the items it returns page by page (none
 * for INSERT, UPDATE, DELETE), following NextToken until the end or `limit` items. An empty page
 * may come before more items: DynamoDB pages by items evaluated, not returned.
 *
 * Throws `engine.unsupported` on an endpoint without PartiQL (dynalite, moto) at the first
 * page, `item.conditionFailed` when INSERT finds the key taken or UPDATE finds no item.
 */
export async function* executeStatementPages(
  clients: Clients,
  statement: string,
  opts: ExecuteStatementOptions = {},
): AsyncGenerator<Item[], void, undefined> {
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 1)) {
    throw inputError('input.limit', `limit ${opts.limit}: expected a whole number ≥ 1`);
  }
  // Check the statement before the first request, so bad input fails without one.
  executeStatementInput(statement, opts);
  let remaining = opts.limit ?? Number.POSITIVE_INFINITY;
  let nextToken: string | undefined;
  // NOTE: the SDK has no paginator for ExecuteStatement (only Query, Scan, ListTables, ...).
  do {
    const page = await executeStatementPage(clients, statement, opts, nextToken);
    const kept = page.items.length > remaining ? page.items.slice(0, remaining) : page.items;
    remaining -= kept.length;
    yield kept;
    nextToken = page.nextToken;
  } while (nextToken && remaining > 0);
}

/**
 * One request of a statement: its items and the token of the next page, if any. For a caller that
 * pages on demand (the web UI); `executeStatementPages` follows the tokens itself.
 */
export async function executeStatementPage(
  clients: Clients,
  statement: string,
  opts: Pick<ExecuteStatementOptions, 'params' | 'pageSize' | 'consistent'> = {},
  nextToken?: string,
): Promise<{ items: Item[]; nextToken?: string }> {
  const input = executeStatementInput(statement, opts, nextToken);
  let page: Awaited<ReturnType<typeof send>>;
  try {
    page = await send(clients, input);
  } catch (e) {
    throw statementError(e, clients);
  }
  return { items: (page.Items ?? []) as Item[], ...(page.NextToken ? { nextToken: page.NextToken } : {}) };
}

/** `executeStatementPages`, one item at a time. */
export async function* executeStatement(
  clients: Clients,
  statement: string,
  opts: ExecuteStatementOptions = {},
): AsyncGenerator<Item, void, undefined> {
  for await (const page of executeStatementPages(clients, statement, opts)) yield* page;
}

function send(clients: Clients, input: ExecuteStatementCommandInput) {
  return clients.doc.send(new ExecuteStatementCommand(input));
}

/** Every item of a statement, collected (see `executeStatement`). */
export async function executeStatementAll(
  clients: Clients,
  statement: string,
  opts: ExecuteStatementOptions = {},
): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of executeStatement(clients, statement, opts)) items.push(item);
  return items;
}

function statementError(e: unknown, clients: Clients): DdbError {
  const operation = 'ExecuteStatement';
  const name = (e as { name?: string })?.name;
  // NOTE: AWS names it DuplicateItemException, DynamoDB Local DuplicateItem.
  if (name === 'DuplicateItemException' || name === 'DuplicateItem') {
    return new DdbError('item.conditionFailed', {
      message: `${operation}: an item with this key already exists; INSERT never replaces an item: use UPDATE to change it`,
      cause: e,
    });
  }
  const err = toDdbError(e, { operation, target: clients.label });
  if (err.code === 'engine.unsupported') return unsupportedError(clients, operation, 'PartiQL', e);
  if (err.code === 'item.conditionFailed') {
    return new DdbError('item.conditionFailed', {
      message: `${operation}: no item matched the WHERE clause (UPDATE and DELETE name one item by its full key, and its conditions must hold); nothing was changed`,
      cause: e,
    });
  }
  return err;
}
