/**
 * Key schemas and index definitions, checked as DynamoDB (Local 3.3.1) checks them in CreateTable,
 * in its order and words. Shared by CreateTable and, later, UpdateTable's GSI creation.
 */
import type { IndexMeta, Projection } from '../catalog.js';
import { validation } from '../errors.js';
import type { AttributeDefinition, KeyElement, KeyShape } from '../types.js';

export const NAME_RULE =
  "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'";

/** A table or index name: 3–255 of [a-zA-Z0-9_.-]. */
export function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) throw validation(NAME_RULE);
}

/** The structure of a key schema: one HASH first, at most one RANGE, names distinct. */
export function checkKeySchema(ks: KeyElement[] | undefined): asserts ks is KeyElement[] {
  if (!ks || ks.length === 0) {
    throw validation(
      'No defined key schema.  A key schema containing at least a hash key must be defined for all tables',
    );
  }
  if (ks.length > 2) {
    throw validation(
      'Key Schema too big.  Key Schema must at most consist of the hash and range key of a table',
    );
  }
  if (ks.length === 2 && ks[0]!.AttributeName === ks[1]!.AttributeName) {
    throw validation('Two keys can not have the same name');
  }
  const hashes = ks.filter((k) => k.KeyType === 'HASH').length;
  if (hashes > 1)
    throw validation('Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key');
  if (hashes === 0)
    throw validation('No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key');
  if (ks[0]!.KeyType !== 'HASH') {
    throw validation(
      'Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second',
    );
  }
}

/** Resolve a checked key schema against the attribute definitions. */
export function keyShape(ks: KeyElement[], defs: AttributeDefinition[], index: boolean): KeyShape {
  const typed = (k: KeyElement, what: 'Hash' | 'Range') => {
    const d = defs.find((a) => a.AttributeName === k.AttributeName);
    if (!d) {
      throw validation(
        index
          ? `Attribute ${k.AttributeName} is not defined in AttributeDefinitions`
          : `${what} Key not specified in Attribute Definitions.  Type unknown.`,
      );
    }
    if (k.AttributeName.length > 255) {
      throw validation(
        'Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive',
      );
    }
    return { name: k.AttributeName, type: d.AttributeType };
  };
  const hash = typed(ks[0]!, 'Hash');
  return ks[1] ? { hash, range: typed(ks[1], 'Range') } : { hash };
}

/** An index's projection: given, a known type, NonKeyAttributes only with INCLUDE and without repeats. */
export function checkProjection(p: Partial<Projection> | undefined): Projection {
  if (!p || p.ProjectionType === undefined) throw validation('Indexes must have a projection specified');
  const type = p.ProjectionType;
  if (type !== 'ALL' && type !== 'INCLUDE' && type !== 'KEYS_ONLY') {
    throw validation('Projection type must be INCLUDE, ALL, or KEYS_ONLY');
  }
  const nka = p.NonKeyAttributes;
  if (type === 'INCLUDE' && (!nka || nka.length === 0)) {
    throw validation(
      'If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well',
    );
  }
  if (type !== 'INCLUDE' && nka) {
    throw validation('No attributes should be specified to be projected unless projection type is INCLUDE');
  }
  if (nka) {
    if (new Set(nka).size !== nka.length) throw validation('Cannot have two attributes with the same name');
    if (nka.some((a) => a.length === 0 || a.length > 255)) {
      throw validation(
        'Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive',
      );
    }
    return { ProjectionType: type, NonKeyAttributes: nka };
  }
  return { ProjectionType: type };
}

/** Every attribute named in a key of the table or of its indexes. */
export function keyAttributes(tableKs: KeyElement[], indexes: readonly IndexMeta[]): Set<string> {
  const names = new Set(tableKs.map((k) => k.AttributeName));
  for (const ix of indexes) for (const k of ix.keySchema) names.add(k.AttributeName);
  return names;
}
