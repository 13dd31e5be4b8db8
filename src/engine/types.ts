/**
 * The engine's view of DynamoDB's wire types: exactly the JSON the API carries ("DynamoDB JSON").
 * Numbers stay text from the wire to storage and back: no value ever goes through a JS number.
 */

/** One attribute value, as DynamoDB's JSON protocol writes it. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string } // base64 on the wire and in storage
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] };

export type AV = AttributeValue;
export type Item = Record<string, AttributeValue>;

export type ScalarType = 'S' | 'N' | 'B';

export interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: ScalarType;
}

/** The key of a table or an index, resolved: names and their types. */
export interface KeyShape {
  hash: { name: string; type: ScalarType };
  range?: { name: string; type: ScalarType };
}
