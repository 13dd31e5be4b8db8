/** Reading a transaction file: a JSON array, one object, or NDJSON of actions (or gets). */
import { inputError } from '../../errors.js';
import { fromDdbJson, fromPlainItem, type Item, parseLosslessJson } from '../codec.js';
import type { UpdateActions } from '../expressions/index.js';
import { ACTION_FIELDS, checkCount, isObject, prefixed, TYPES, UPDATE_KINDS, verb } from './actions.js';
import type { TransactAction, TransactActionType, TransactGet } from './types.js';
import { buildAction, checkBytes } from './writeInput.js';

export interface ParseTransactOptions {
  /** Items and keys are DynamoDB JSON (`{"S": "..."}`); conditions and updates stay readable. */
  ddbJson?: boolean;
  /** Names the input in messages, e.g. "actions in orders.json". Default "actions". */
  where?: string;
}

interface Entry {
  value: unknown;
  /** "action 2" or "action 2 (line 3)". */
  label: string;
}

/**
 * A JSON array, one JSON object, or NDJSON (one object per line, blank lines skipped) → entries.
 * Numbers stay exact (lossless parsing).
 */
function parseEntries(text: string, where: string, noun: string): Entry[] {
  const trimmed = text.trim();
  if (trimmed === '')
    throw inputError('input.json', `${where}: empty; give a JSON array or one ${noun} per line`);
  let whole: unknown;
  let parsed = false;
  if (trimmed.startsWith('[')) {
    whole = parseLosslessJson(trimmed, where);
    parsed = true;
  } else {
    try {
      whole = parseLosslessJson(trimmed, where);
      parsed = true;
    } catch {
      // Not one JSON value: read it as NDJSON below, where errors name the line.
    }
  }
  if (parsed) {
    const list = Array.isArray(whole) ? whole : [whole];
    return list.map((value, i) => ({ value, label: `${noun} ${i + 1}` }));
  }
  const entries: Entry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const n = entries.length + 1;
    const label = n === i + 1 ? `${noun} ${n}` : `${noun} ${n} (line ${i + 1})`;
    entries.push({ value: parseLosslessJson(line, `${where}: line ${i + 1}`), label });
  });
  return entries;
}

/** An item or key from a parsed JSON value (plain JSON, or DynamoDB JSON with `ddbJson`). */
function toItem(v: unknown, where: string, ddbJson: boolean): Item {
  if (!isObject(v)) throw inputError('input.json', `${where}: expected a JSON object such as {"id":"o1"}`);
  if (ddbJson) return fromDdbJson(v, where);
  try {
    return fromPlainItem(v, '');
  } catch (e) {
    throw prefixed(e, where);
  }
}

function checkFields(body: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) {
      throw inputError(
        'input.json',
        `${where}: unknown field ${JSON.stringify(k)}; expected ${allowed.join(', ')}`,
      );
    }
  }
}

function stringField(
  body: Record<string, unknown>,
  name: string,
  where: string,
  required: boolean,
): string | undefined {
  const v = body[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') {
    throw inputError(
      'input.json',
      `${where}: "${name}" ${v === undefined ? 'is missing' : 'must be a non-empty string'}${name === 'condition' ? ', such as "attribute_exists(id)"' : ''}`,
    );
  }
  return v;
}

/**
 * Read the actions of a write transaction from text: a JSON array, or NDJSON, of objects such as
 *   {"put": {"table": "T", "item": {...}, "condition": "attribute_not_exists(pk)"}}
 *   {"update": {"table": "T", "key": {...}, "set": ["a = a + 1"], "add": [...], "remove": [...], "condition": "..."}}
 *   {"delete": {"table": "T", "key": {...}, "condition": "..."}}
 *   {"check": {"table": "T", "key": {...}, "condition": "..."}}
 * Checks all that needs no server: the shape, table names, items (DynamoDB's limits), conditions
 * and updates, the total size; keys are checked against the tables' schemas by `transactWriteInput`.
 */
export function parseTransactActions(text: string, opts: ParseTransactOptions = {}): TransactAction<Item>[] {
  const where = opts.where ?? 'actions';
  const entries = parseEntries(text, where, 'action');
  checkCount(entries.length, 'action', 'actions');
  const actions = entries.map(({ value, label }) => parseAction(value, `${where}: ${label}`, !!opts.ddbJson));
  // Everything that needs no table schema is checked now, before any request.
  let bytes = 0;
  actions.forEach((a, i) => {
    try {
      bytes += buildAction(a, i, undefined, false).bytes;
    } catch (e) {
      throw prefixed(e, where);
    }
  });
  checkBytes(bytes);
  return actions;
}

function parseAction(value: unknown, at: string, ddbJson: boolean): TransactAction<Item> {
  if (
    !isObject(value) ||
    Object.keys(value).length !== 1 ||
    !TYPES.includes(Object.keys(value)[0] as never)
  ) {
    throw inputError(
      'input.json',
      `${at}: expected an object with one of ${TYPES.map((t) => `"${t}"`).join(', ')}, such as {"put": {"table": "T", "item": {"id": "a"}}}`,
    );
  }
  const type = Object.keys(value)[0] as TransactActionType;
  const body = value[type];
  if (!isObject(body)) throw inputError('input.json', `${at}: "${type}" must be an object`);
  const table = stringField(body, 'table', `${at} (${type})`, true)!;
  const ctx = `${at} (${verb(type, table)})`;
  checkFields(body, ACTION_FIELDS[type], ctx);
  const condition = stringField(body, 'condition', ctx, type === 'check');
  const cond = condition === undefined ? {} : { condition };
  switch (type) {
    case 'put': {
      if (body.item === undefined) throw inputError('input.json', `${ctx}: "item" is missing`);
      return { put: { table, item: toItem(body.item, `${ctx}: item`, ddbJson), ...cond } };
    }
    case 'update': {
      const key = requiredKey(body, ctx, ddbJson);
      const actions: UpdateActions = {};
      for (const kind of UPDATE_KINDS) {
        const v = body[kind];
        if (v === undefined) continue;
        const list = typeof v === 'string' ? [v] : v;
        if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) {
          throw inputError(
            'input.json',
            `${ctx}: "${kind}" must be a string or a list of strings, such as ["a = a + 1"]`,
          );
        }
        actions[kind] = list as string[];
      }
      if (!UPDATE_KINDS.some((k) => actions[k]?.length)) {
        throw inputError(
          'input.json',
          `${ctx}: nothing to update; give "set", "add", "remove", "delete", "append" or "setIfNotExists" (or use "check" to only test a condition)`,
        );
      }
      return { update: { table, key, ...actions, ...cond } };
    }
    case 'delete':
      return { delete: { table, key: requiredKey(body, ctx, ddbJson), ...cond } };
  }
  return { check: { table, key: requiredKey(body, ctx, ddbJson), condition: condition! } };
}

function requiredKey(body: Record<string, unknown>, ctx: string, ddbJson: boolean): Item {
  if (body.key === undefined) throw inputError('input.json', `${ctx}: "key" is missing`);
  return toItem(body.key, `${ctx}: key`, ddbJson);
}

/**
 * Read the gets of a read transaction: a JSON array, or NDJSON, of objects such as
 *   {"table": "T", "key": {"id": "a"}, "project": "name,total"}
 */
export function parseTransactGets(text: string, opts: ParseTransactOptions = {}): TransactGet<Item>[] {
  const where = opts.where ?? 'gets';
  const entries = parseEntries(text, where, 'get');
  checkCount(entries.length, 'get', 'gets');
  return entries.map(({ value, label }) => {
    const at = `${where}: ${label}`;
    if (!isObject(value)) {
      throw inputError('input.json', `${at}: expected an object such as {"table": "T", "key": {"id": "a"}}`);
    }
    const table = stringField(value, 'table', at, true)!;
    const ctx = `${at} (get from ${table})`;
    checkFields(value, ['table', 'key', 'project'], ctx);
    const project = stringField(value, 'project', ctx, false);
    return {
      table,
      key: requiredKey(value, ctx, !!opts.ddbJson),
      ...(project === undefined ? {} : { project }),
    };
  });
}
