/**
 * The tags of plain JSON (plainJson.ts): a module of its own, without dependencies, so that the
 * export's worker thread (wire/wireText.ts, cli/transcoder.ts) loads them without the AWS SDK.
 */
export const SET_TAG = '$set';
export const BINARY_TAG = '$binary';
export const MAP_TAG = '$map';

/** Whether a map's names need the `{"$map": ...}` escape: its only name is a tag. */
export function isTagged(names: readonly string[]): boolean {
  if (names.length !== 1) return false;
  const n = names[0];
  return n === SET_TAG || n === BINARY_TAG || n === MAP_TAG;
}
