/**
 * A statement's values as DynamoDB attribute values: literals as written ('s' → S, 1 → N, <<'a'>>
 * → SS, [..] → L, {..} → M), `?` as the request's Parameters give them. The refusals are
 * DynamoDB's, with the place of the token they name (`line:column:length`).
 */
import { validation } from '../errors.js';
import type { AV } from '../types.js';
import type { Literal, Pos } from './ast.js';

export const at = (p: Pos): string => `${p.line}:${p.col}:${p.len}`;

/** The value of `lit`, `params` being the request's Parameters (their count already checked). */
export function toValue(lit: Literal, params: readonly unknown[]): AV {
  switch (lit.t) {
    case 'str':
      return { S: lit.v };
    case 'num':
      return { N: lit.v };
    case 'bool':
      return { BOOL: lit.v };
    case 'null':
      return { NULL: true };
    case 'missing':
      throw validation(`Unsupported data type: MISSING under key root at ${at(lit.at)}`);
    case 'ion':
      throw validation(`Ion Literals are not supported: ${lit.type} under key root at ${at(lit.at)}`);
    case 'param':
      return params[lit.i] as AV;
    case 'list':
      return { L: lit.items.map((x) => toValue(x, params)) };
    case 'map': {
      const M: Record<string, AV> = {};
      for (const e of lit.entries) {
        if (Object.hasOwn(M, e.key)) {
          throw validation(`Duplicate keys in tuple. Key: ${e.key} under root at ${at(e.at)}`);
        }
        M[e.key] = toValue(e.value, params);
      }
      return { M };
    }
    case 'bag': {
      if (lit.items.length === 0) throw validation(`Empty bags are not supported at ${at(lit.at)}`);
      const values = lit.items.map((x) => toValue(x, params));
      const kind = 'S' in values[0]! ? 'S' : 'N' in values[0]! ? 'N' : undefined;
      const bad = lit.items.findIndex((_, i) => kind === undefined || !(kind in values[i]!));
      if (bad >= 0) {
        throw validation(
          `Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags at ${at(lit.items[bad]!.at)}`,
        );
      }
      const texts = values.map((v) => (v as Record<string, string>)[kind!]!);
      return kind === 'S' ? { SS: texts } : { NS: texts };
    }
  }
}
