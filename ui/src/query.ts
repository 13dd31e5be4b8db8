/**
 * The items builder's fields as typed, and the read request they make (POST .../read: the request
 * `ddbctl query/scan` sends). Pure, so the request is tested without a page.
 */
import type { ReadRequest, SkOp, TableDescription } from './api.js';
import { type AttributeValue, InputError, keyValue, parseDdbJson, parseNames } from './ddb.js';
import { keyInfo } from './keys.js';

export const SK_OPS: SkOp[] = ['=', '<', '<=', '>', '>=', 'between', 'begins_with'];

/** The builder's fields, as typed. */
export interface Query {
  mode: 'scan' | 'query';
  index: string;
  pk: string;
  skOp: SkOp | '';
  sk0: string;
  sk1: string;
  filter: string;
  project: string;
  /** #name placeholders (JSON, as --names) and :value placeholders (DynamoDB JSON), as typed. */
  names: string;
  values: string;
  descending: boolean;
  consistent: boolean;
  limit: string;
}
export const NEW_QUERY: Query = {
  mode: 'scan',
  index: '',
  pk: '',
  skOp: '',
  sk0: '',
  sk1: '',
  filter: '',
  project: '',
  names: '',
  values: '',
  descending: false,
  consistent: false,
  limit: '50',
};
/** The builder's text fields after the key: the Query field (its testid `read-<field>`), label, example. */
export const TEXT_FIELDS: [
  keyof Query & ('filter' | 'project' | 'names' | 'values'),
  string,
  string,
  boolean?,
][] = [
  ['filter', 'Filter (as query --filter)', "address.city = 'Paris' and size(tags) > 1", true],
  ['project', 'Projection (paths, as --project)', 'id, address.city'],
  ['names', '#names (JSON, as --names)', '{"#s": "status"}'],
  ['values', ':values (DynamoDB JSON)', '{":v": {"S": "active"}}'],
];

/** `parse()`, its InputError naming the field (`#names: ...`). */
function withWhere<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw e instanceof InputError ? new InputError(field, e.message) : e;
  }
}

/** The request of the builder's fields `q` on `table` (throws InputError naming a bad field). */
export function buildRequest(table: TableDescription, q: Query): ReadRequest {
  const { mode, index, pk, skOp, sk0, sk1, filter, project, names, values, descending, consistent, limit } =
    q;
  const keys = keyInfo(table, index);
  const req: ReadRequest = { mode };
  if (index) req.index = index;
  if (mode === 'query') {
    req.partition = keyValue(keys.pkType, pk, keys.pk);
    if (skOp && keys.sk) {
      const values: AttributeValue[] = [keyValue(keys.skType ?? 'S', sk0, keys.sk)];
      if (skOp === 'between') values.push(keyValue(keys.skType ?? 'S', sk1, keys.sk));
      req.sk = { op: skOp, values };
    }
    if (descending) req.descending = true;
  }
  if (filter.trim()) req.filter = filter.trim();
  if (project.trim()) req.project = project.trim();
  if (names.trim()) req.names = withWhere('#names', () => parseNames(names));
  if (values.trim()) req.values = withWhere(':values', () => parseDdbJson(values));
  if (consistent) req.consistent = true;
  const n = Number.parseInt(limit, 10);
  if (Number.isFinite(n) && n > 0) req.limit = n;
  return req;
}
