/** The item value types: what lib-dynamodb reads and writes, what the library takes, what the wire carries. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { NumberValue } from '@aws-sdk/lib-dynamodb';

/** A native item value as lib-dynamodb reads and writes it (with numbers wrapped). */
export type ItemValue =
  | string
  | NumberValue
  | boolean
  | null
  | Uint8Array
  | Set<string>
  | Set<NumberValue>
  | Set<Uint8Array>
  | ItemValue[]
  | { [name: string]: ItemValue };
export type Item = Record<string, ItemValue>;

/**
 * An item value as the library takes it: an `ItemValue`, or a plain JS number or bigint wherever a
 * number goes (converted by `fromJsItem`, exactly or refused).
 */
export type ItemInputValue =
  | ItemValue
  | number
  | bigint
  | Set<number | bigint | NumberValue>
  | ItemInputValue[]
  | { [name: string]: ItemInputValue };
/** An item (or key) as the library takes it: see `ItemInputValue`. */
export type ItemInput = Record<string, ItemInputValue>;

/**
 * An item as DynamoDB sends it: attribute values, binary as bytes (the low-level client's) or as
 * base64 text (parsed from the wire, as export reads its pages).
 */
export type RawItem = Record<string, AttributeValue>;
