/**
 * What Query and Scan share: the table or index read (IndexName, Select, ConsistentRead, Limit,
 * ExclusiveStartKey) and one page walked over a tree range.
 *
 * A page ends after `Limit` evaluated items or once the items read reach 1 MB (1,048,576 bytes,
 * counted on stored sizes before the filter; the item that crosses the line is in the page), and
 * then carries LastEvaluatedKey (the table key, plus the index key when reading an index).
 * Items that pass the filter and need no projection are spliced as their stored JSON text.
 */
import { type IndexMeta, indexTree, itemTree, type TableMeta } from '../catalog.js';
import type { OpContext } from '../context.js';
import { validation } from '../errors.js';
import { type Condition, conditionPaths, type Path, type Projection } from '../expr/index.js';
import { RawJson } from '../json.js';
import { long } from '../shape.js';
import type { Range, Stored } from '../store/index.js';
import type { Item, KeyShape } from '../types.js';
import { Capacity, type CapacityMode, readUnits } from './_common.js';
import { checkItemMember } from './_expr.js';
import { checkKeyValues, indexKey, indexKeyNames, treeKey } from './_keys.js';
import { INDEX_ENTRY_OVERHEAD, parseStored } from './_write.js';

export const PAGE_BYTES = 1024 * 1024;

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

/** The table or index a Query or Scan reads, and how. */
export interface Source {
  table: TableMeta;
  index: IndexMeta | undefined;
  tree: string;
  /** The key that orders the tree (the index's, or the table's). */
  key: KeyShape;
  consistent: boolean;
  limit: number | undefined;
  select: Select;
  /** Read whole items from the table (an LSI asked for attributes it does not project). */
  fetch: boolean;
}

/**
 * The common members, checked in DynamoDB's order. `hasProjection`: the request gave a
 * ProjectionExpression or AttributesToGet.
 */
export function readSource(input: Record<string, unknown>, table: TableMeta, hasProjection: boolean): Source {
  const indexName = input.IndexName as string | undefined;
  let index: IndexMeta | undefined;
  if (indexName !== undefined) {
    index = table.indexes.find((i) => i.name === indexName);
    // NOTE: an index being deleted answers as one that is gone.
    if (!index || index.status === 'DELETING') {
      throw validation(`The table does not have the specified index: ${indexName}`);
    }
    if (index.backfill) throw validation(`Cannot read from backfilling global secondary index: ${indexName}`);
  }
  const selectText = input.Select as string | undefined;
  if (
    selectText !== undefined &&
    !['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'].includes(selectText)
  ) {
    throw validation(
      'Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES',
    );
  }
  let select = selectText as Select | undefined;
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !index) {
    throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  if (select === 'SPECIFIC_ATTRIBUTES' && !hasProjection) {
    throw validation(
      'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    );
  }
  if (select === 'COUNT' && hasProjection) {
    throw validation('Cannot specify the ProjectionExpression when choosing to get only the Count');
  }
  if (select === 'ALL_ATTRIBUTES' && hasProjection) {
    // NOTE: DynamoDB Local names the member given here (measured for ALL_ATTRIBUTES only).
    const member = input.ProjectionExpression != null ? 'ProjectionExpression' : 'AttributesToGet';
    throw validation(`Cannot specify the ${member} when choosing to get ALL_ATTRIBUTES`);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && hasProjection) {
    throw validation('Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES');
  }
  select ??= hasProjection ? 'SPECIFIC_ATTRIBUTES' : index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  const allProjected = !index || index.projection.ProjectionType === 'ALL';
  if (index && select === 'ALL_ATTRIBUTES' && !allProjected && index.kind === 'GSI') {
    throw validation(
      `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
    );
  }
  const consistent = (input.ConsistentRead as boolean | undefined) ?? false;
  if (consistent && index?.kind === 'GSI') {
    throw validation('Consistent reads are not supported on global secondary indexes');
  }
  const limit = long(input.Limit);
  return {
    table,
    index,
    tree: index ? indexTree(table.name, index.name) : itemTree(table.name),
    key: index ? index.key : table.key,
    consistent,
    limit,
    select,
    // NOTE: an LSI read with ALL_ATTRIBUTES or any projection fetches every item from the table
    // (DynamoDB Local counts those reads even for attributes the index projects).
    fetch: !allProjected && index?.kind === 'LSI' && (select === 'ALL_ATTRIBUTES' || hasProjection),
  };
}

/** Limit, checked first after the table (DynamoDB Local's order). */
export function checkLimit(input: Record<string, unknown>): void {
  const limit = long(input.Limit);
  if (limit !== undefined && limit < 1) throw validation('Limit must be greater than or equal to 1');
}

/** The attributes of a LastEvaluatedKey / ExclusiveStartKey for this source. */
function startKeyNames(src: Source): string[] {
  if (!src.index)
    return src.table.key.range
      ? [src.table.key.hash.name, src.table.key.range.name]
      : [src.table.key.hash.name];
  return indexKeyNames(src.index, src.table);
}

/** ExclusiveStartKey as a tree key, checked as DynamoDB Local checks it; undefined when not given. */
export function startKey(input: Record<string, unknown>, src: Source): string | undefined {
  const esk = input.ExclusiveStartKey as Record<string, unknown> | undefined;
  if (esk === undefined || esk === null) return undefined;
  const item = checkItemMember(esk);
  const names = startKeyNames(src);
  const invalid = 'The provided starting key is invalid';
  if (item[src.key.hash.name] === undefined) throw validation(invalid);
  if (Object.keys(item).length !== names.length) {
    // NOTE: DynamoDB Local words the size check for a table's key only; an index's start key of
    // another size is simply invalid.
    throw validation(src.index ? invalid : "Exclusive Start Key must have same size as table's key schema");
  }
  for (const n of names) if (item[n] === undefined) throw validation(invalid);
  try {
    checkKeyValues(item, src.table.key);
    if (src.index) checkKeyValues(item, src.index.key);
  } catch (e) {
    const m = (e as Error).message;
    if (m.includes('Type mismatch')) throw validation('Type mismatch for attribute to update');
    if (m.includes('cannot contain an empty')) throw validation(`${invalid}: ${m}`);
    throw e;
  }
  if (!src.index) return treeKey(item, src.table.key);
  return indexKey(item, src.index, src.table)!;
}

/**
 * What a read may name: no path into a key attribute in a filter; a Query's filter no key
 * attribute at all, and on an index only attributes it projects; a GSI's projection only
 * attributes it projects (an LSI fetches the rest from the table).
 */
export function checkReadAttributes(
  src: Source,
  ex: { filterAst: Condition | undefined; projectionAst: Projection | undefined },
  query: boolean,
): void {
  const filterPaths = ex.filterAst ? conditionPaths(ex.filterAst) : [];
  const keyNames = [src.key.hash.name, ...(src.key.range ? [src.key.range.name] : [])];
  for (const p of filterPaths) {
    const name = p[0] as string;
    if (!keyNames.includes(name)) continue;
    if (p.length > 1) {
      throw validation(
        `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${name}`,
      );
    }
    if (query) {
      throw validation(
        `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${name}`,
      );
    }
  }
  const index = src.index;
  if (!index || index.projection.ProjectionType === 'ALL') return;
  const projected = new Set([
    ...indexKeyNames(index, src.table),
    ...(index.projection.NonKeyAttributes ?? []),
  ]);
  const missing = (paths: Path[]) =>
    [...new Set(paths.map((p) => p[0] as string))].filter((n) => !projected.has(n));
  const notProjected = index.kind === 'GSI' ? missing(ex.projectionAst ?? []) : [];
  if (notProjected.length) {
    throw validation(
      `One or more parameter values were invalid: Global secondary index ${index.name} does not project [${notProjected.join(', ')}]`,
    );
  }
  // NOTE: a Scan filters an index's entries as they are (DynamoDB Local), a Query refuses the rest.
  const notFiltered = query ? missing(filterPaths) : [];
  if (notFiltered.length) {
    throw validation(
      `One or more parameter values were invalid: Secondary index ${index.name} does not project one or more filter attributes: [${notFiltered.join(', ')}]`,
    );
  }
}

/** Whether a tree key lies within a range (bounds as Range gives them). */
export function inRange(key: string, r: Range): boolean {
  if (r.from !== undefined && (key < r.from || (r.afterFrom && key === r.from))) return false;
  if (r.to !== undefined && (key > r.to || (r.beforeTo && key === r.to))) return false;
  return true;
}

/** Continue a range after an exclusive start key, in the walk's direction. */
export function after(r: Range, start: string): Range {
  return r.reverse ? { ...r, to: start, beforeTo: true } : { ...r, from: start, afterFrom: true };
}

export interface PageOptions {
  filter: ((item: Item) => boolean) | undefined;
  projection: ((item: Item) => Item) | undefined;
}

/** One page of a Query or Scan over `range` of the source's tree: the answer's members. */
export function readPage(
  ctx: OpContext,
  src: Source,
  range: Range,
  opts: PageOptions,
  mode: CapacityMode,
): Record<string, unknown> {
  const tree = ctx.store.tree(src.tree);
  const table = src.fetch ? ctx.store.tree(itemTree(src.table.name)) : undefined;
  const counting = src.select === 'COUNT';
  const items: unknown[] = [];
  const limit = src.limit ?? Number.POSITIVE_INFINITY;
  let bytes = 0;
  let fetched = 0;
  let scanned = 0;
  let count = 0;
  let last: Stored | undefined;
  let full = false;
  // NOTE: an index entry's stored size carries DynamoDB's 100 bytes of overhead; reads count without it.
  const overhead = src.index ? INDEX_ENTRY_OVERHEAD : 0;
  for (const [, s] of tree.entries(range)) {
    scanned++;
    bytes += s.z - overhead;
    let stored = s;
    if (table) {
      // NOTE: an LSI entry is always backed by its table item (written in the same commit).
      const whole = table.get(treeKey(parseStored(s), src.table.key));
      if (whole) {
        stored = whole;
        // NOTE: each fetch from the table is a read of its own, rounded up alone.
        fetched += readUnits(whole.z, src.consistent);
      }
    }
    let item: Item | undefined;
    let keep = true;
    if (opts.filter) {
      item = parseStored(stored);
      keep = opts.filter(item);
    }
    if (keep) {
      count++;
      if (!counting) {
        if (opts.projection) items.push(opts.projection(item ?? parseStored(stored)));
        else items.push(new RawJson(stored.j));
      }
    }
    last = s;
    if (scanned >= limit || bytes >= PAGE_BYTES) {
      full = true;
      break;
    }
  }
  const out: Record<string, unknown> = {};
  if (!counting) out.Items = items;
  out.Count = count;
  out.ScannedCount = scanned;
  if (full && last) {
    const item = parseStored(last);
    const lek: Item = {};
    for (const n of startKeyNames(src)) lek[n] = item[n]!;
    out.LastEvaluatedKey = lek;
  }
  if (mode !== 'NONE') {
    const cap = new Capacity();
    // NOTE: a page reads ceil(bytes / 4 KB) units, none for an empty page (DynamoDB Local).
    const u = Math.ceil(bytes / 4096) * (src.consistent ? 1 : 0.5);
    if (src.index) cap.index(src.index.name, src.index.kind, u);
    else cap.table = u;
    cap.table += fetched;
    out.ConsumedCapacity = cap.answer(src.table.name, mode);
  }
  return out;
}
