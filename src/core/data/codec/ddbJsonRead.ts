/** DynamoDB JSON → item values, every value checked first as DynamoDB checks it (unmarshall alone coerces). */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isLosslessNumber, type LosslessNumber } from 'lossless-json';
import { DdbError } from '../../errors.js';
import { MAX_DEPTH, NESTED_TOO_DEEP, numberProblem, PROTO_NAME_PROBLEM } from '../validate.js';
import { normalizeNumber } from './numbers.js';
import { base64Of, base64Problem, fail, isJsonObject, repeatedMember, shortJson } from './shared.js';
import type { Item, RawItem } from './types.js';

/** The type names of DynamoDB JSON, each attribute value holding exactly one. */
export const DDB_TYPES: ReadonlySet<string> = new Set([
  'S',
  'N',
  'B',
  'BOOL',
  'NULL',
  'M',
  'L',
  'SS',
  'NS',
  'BS',
]);

/**
 * Convert DynamoDB JSON to an item, numbers wrapped. Every value is checked as DynamoDB checks it
 * (`ddbAttributeValue`), so a value of the wrong shape is an input.json error naming its path, never
 * a value of another type. A number may be a JSON number (`{"N": 1}`, which the AWS CLI refuses):
 * import has always taken those, so every path does; parse with parseLosslessJson to keep its digits.
 */
export function fromDdbJson(value: unknown, where = 'item'): Item {
  return ddbJsonItem(value, where, { jsNumber: false });
}

/**
 * `fromDdbJson` of a value from JSON.parse, or undefined when a number in it is a JSON number
 * (`{"N": 1.5}`), whose digits JSON.parse may have rounded: parse the text again with
 * parseLosslessJson and call fromDdbJson.
 */
export function fromDdbJsonParsed(value: unknown, where = 'item'): Item | undefined {
  const seen = { jsNumber: false };
  const item = ddbJsonItem(value, where, seen);
  return seen.jsNumber ? undefined : item;
}

function ddbJsonItem(value: unknown, where: string, seen: { jsNumber: boolean }): Item {
  if (!isJsonObject(value)) fail(where, 'expected DynamoDB JSON such as {"username":{"S":"ada"}}');
  const at = where === '' ? '' : `${where}: `;
  const attributes: RawItem = {};
  for (const k of Object.keys(value)) {
    // An attribute name that assignment, here and in unmarshall, would drop.
    if (k === '__proto__') throw new DdbError('input.json', { message: `${at}${PROTO_NAME_PROBLEM}` });
    attributes[k] = ddbAttributeValue(value[k], k, at, seen);
  }
  return unmarshall(attributes, { wrapNumbers: true }) as Item;
}

/**
 * One attribute value of DynamoDB JSON, checked as DynamoDB and the AWS CLI check it, in the form
 * unmarshall takes (binary as bytes): exactly one type; S a string; N a number in a string within
 * DynamoDB's range; B strict base64; BOOL true or false; NULL true; SS, NS, BS non-empty arrays of
 * their type without duplicates; M an object of attribute values; L an array of them. `at` prefixes
 * messages ("line 3: "), `path` names the attribute.
 */
function ddbAttributeValue(
  v: unknown,
  path: string,
  at: string,
  seen: { jsNumber: boolean },
  depth = 1,
): AttributeValue {
  const bad = (why: string): never => {
    throw new DdbError('input.json', { message: `${at}${path}: ${why}` });
  };
  // NOTE: far past DynamoDB's limit (which the item's check words exactly): stop before the stack.
  if (depth > 2 * MAX_DEPTH) bad(NESTED_TOO_DEEP);
  if (!isJsonObject(v)) {
    return bad(
      `expected a DynamoDB-JSON value such as {"S":"x"} or {"N":"1"}, found ${shortJson(v)}; plain JSON is read without --ddb-json (import: the ndjson format)`,
    );
  }
  const types = Object.keys(v);
  const type = types[0];
  if (types.length !== 1 || type === undefined || !DDB_TYPES.has(type)) {
    const found =
      types.length === 0
        ? 'no type'
        : types.length > 1
          ? `${types.length} types (${types.join(', ')})`
          : `the type ${JSON.stringify(type)}`;
    return bad(
      `expected a DynamoDB-JSON value with one of the types S N B BOOL NULL M L SS NS BS, such as {"S":"x"}; found ${found}`,
    );
  }
  const x = v[type];
  const number = (n: unknown, what: string): string => {
    if (typeof n === 'number') seen.jsNumber = true;
    const text =
      typeof n === 'string'
        ? n
        : isLosslessNumber(n)
          ? (n as LosslessNumber).value
          : typeof n === 'number'
            ? String(n)
            : undefined;
    // NOTE: a JSON number ({"N":1e400}) is judged by its text as {"N":"1e400"} is: one message.
    const problem = text === undefined ? `${shortJson(n)} is not a number` : numberProblem(text);
    return problem === undefined
      ? (text as string)
      : bad(`${what} needs a number in a string, such as {"N":"1.5"}: ${problem}`);
  };
  const binary = (b: unknown, what: string): Uint8Array => {
    // Bytes as the SDK's own attribute values hold them (a library caller's), taken as they are.
    if (b instanceof Uint8Array) return b;
    if (typeof b !== 'string')
      return bad(`${what} needs base64 text, such as {"B":"AAE="}; found ${shortJson(b)}`);
    const problem = base64Problem(b);
    return problem === undefined ? new Uint8Array(Buffer.from(b, 'base64')) : bad(`${what}: ${problem}`);
  };
  const set = <T>(read: (e: unknown) => T, same: (e: T) => string): T[] => {
    if (!Array.isArray(x) || x.length === 0) {
      return bad(
        `${type} needs a non-empty array (DynamoDB has no empty sets; remove the attribute instead)`,
      );
    }
    const members = x.map(read);
    const k = repeatedMember(members, same);
    if (k >= 0) bad(`${type} holds ${shortJson(x[k])} twice; DynamoDB refuses a set with duplicate members`);
    return members;
  };
  switch (type) {
    case 'S':
      return typeof x === 'string'
        ? { S: x }
        : bad(`S needs a string, such as {"S":"text"}; found ${shortJson(x)}`);
    case 'N':
      return { N: number(x, 'N') };
    case 'B':
      return { B: binary(x, 'B') };
    case 'BOOL':
      return typeof x === 'boolean'
        ? { BOOL: x }
        : bad(`BOOL needs true or false (a JSON boolean), such as {"BOOL":false}; found ${shortJson(x)}`);
    case 'NULL':
      return x === true
        ? { NULL: true }
        : bad(
            `NULL needs the value true, as in {"NULL":true} (DynamoDB refuses any other); found ${shortJson(x)}`,
          );
    case 'SS':
      return {
        SS: set(
          (e) =>
            typeof e === 'string'
              ? e
              : bad(`SS needs strings, such as {"SS":["a","b"]}; found ${shortJson(e)}`),
          (e) => e,
        ),
      };
    case 'NS':
      return { NS: set((e) => number(e, 'NS'), normalizeNumber) };
    case 'BS':
      return {
        BS: set((e) => binary(e, 'BS'), base64Of),
      };
    case 'M': {
      if (!isJsonObject(x))
        return bad(
          `M needs an object of attribute values, such as {"M":{"a":{"S":"x"}}}; found ${shortJson(x)}`,
        );
      const m: RawItem = {};
      for (const k of Object.keys(x)) {
        if (k === '__proto__') bad(PROTO_NAME_PROBLEM);
        m[k] = ddbAttributeValue(x[k], `${path}.${k}`, at, seen, depth + 1);
      }
      return { M: m };
    }
    default:
      if (!Array.isArray(x))
        return bad(`L needs an array of attribute values, such as {"L":[{"S":"x"}]}; found ${shortJson(x)}`);
      return { L: x.map((e, i) => ddbAttributeValue(e, `${path}[${i}]`, at, seen, depth + 1)) };
  }
}
