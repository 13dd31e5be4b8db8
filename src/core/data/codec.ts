/**
 * Item codec: the one place where text becomes item values and back.
 *
 * Plain JSON (the default format) is parsed losslessly: every number becomes a lib-dynamodb
 * `NumberValue` carrying its exact text, so 38 significant digits or integers beyond 2^53 are
 * never rounded. Two tagged objects express what JSON has no type for:
 *   - `{"$set": [...]}`  a set: strings → SS, numbers → NS, `{"$binary": ...}` → BS
 *   - `{"$binary": "base64"}` binary bytes (B)
 *   - `{"$map": {...}}`  a map, literally: the escape for a map whose only key is `$set`, `$binary`
 *     or `$map`, which would otherwise read back as a set or binary (its values are read as usual)
 * Output writes the same forms, so anything printed reads back as the same type.
 *
 * DynamoDB JSON (`{"S": "..."}`) goes through util-dynamodb's marshall/unmarshall with
 * `wrapNumbers`, the only place where that typed form is the format itself. Input in it is checked
 * first, as DynamoDB checks it (`fromDdbJson`): unmarshall alone coerces (`{"BOOL":"false"}` → true).
 *
 * This file is the codec's public surface; codec/ holds it by job: types.ts, plainJson.ts (plain
 * JSON both ways), ddbJsonRead.ts and ddbJsonWrite.ts (DynamoDB JSON), jsValues.ts (a program's
 * values, plain JS numbers too), rawItem.ts (attribute values as the wire carries them), numbers.ts
 * and shared.ts. The readers and writers share the tag rules ($set, $binary, $map): change them
 * together, and codec.test.ts's round trips check they agree.
 */
export { DDB_TYPES, fromDdbJson, fromDdbJsonParsed } from './codec/ddbJsonRead.js';
export { ddbJsonText, marshallable, stringifyDdbJson, toDdbJson, typeOf } from './codec/ddbJsonWrite.js';
export { fromJsItem, fromJsValues } from './codec/jsValues.js';
export { normalizeNumber } from './codec/numbers.js';
export {
  BINARY_TAG,
  fromPlainItem,
  fromPlainValue,
  isTagged,
  MAP_TAG,
  parseItem,
  parseLosslessJson,
  SET_TAG,
  stringifyItem,
  stringifyJson,
  toPlainValue,
} from './codec/plainJson.js';
export {
  fromRawItem,
  rawItemBytes,
  rawNumberText,
  stringifyRawDdbJson,
  stringifyRawItem,
  unknownTypeError,
} from './codec/rawItem.js';
export { base64Problem, isBase64, setOwn } from './codec/shared.js';
export type { Item, ItemInput, ItemInputValue, ItemValue, RawItem } from './codec/types.js';
