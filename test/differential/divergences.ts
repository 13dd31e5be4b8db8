// Where our engine and DynamoDB Local knowingly answer differently: the one list (issue 13).
// Each entry says what differs, what DynamoDB Local answers, what we answer, and why we follow
// DynamoDB there (a documented or shown behaviour of DynamoDB itself, never "to make a test pass").
// A case points to an entry by its id (`divergence: 'createTableStatus'`); the entry's normaliser,
// when it has one, is applied to both answers and the rest is still compared; without one the
// oracle's answer is not compared and ours must pass the entry's check.

export interface Divergence {
  what: string;
  oracle: string;
  ours: string;
  why: string;
  normalise?: (body: unknown) => unknown;
  /** Our answer's check when the answers cannot be compared: '' or undefined when right, else what is wrong. */
  check?: (status: number, body: unknown) => string | undefined;
}

type Json = Record<string, unknown>;

/** A table description's status (and its indexes'), whatever the phase. */
function anyStatus(body: unknown): unknown {
  const b = body as Json | undefined;
  const t = (b?.TableDescription ?? b?.Table) as Json | undefined;
  if (!t) return body;
  const gsis = Array.isArray(t.GlobalSecondaryIndexes)
    ? (t.GlobalSecondaryIndexes as Json[]).map((g) => ({ ...g, IndexStatus: '<phase>' }))
    : undefined;
  const table = { ...t, TableStatus: '<phase>', ...(gsis ? { GlobalSecondaryIndexes: gsis } : {}) };
  return b?.TableDescription ? { ...b, TableDescription: table } : { ...b, Table: table };
}

export const DIVERGENCES = {
  createTableStatus: {
    what: 'CreateTable answer: TableStatus (and new GSIs’ IndexStatus)',
    oracle: 'ACTIVE at once',
    ours: 'CREATING, ACTIVE after transitionMs',
    why: 'DynamoDB answers CreateTable with CREATING (API reference, CreateTable: "TableStatus ... CREATING"); clients must wait (the SDK waiter tableExists exists for this)',
    normalise: anyStatus,
  },
  updateTableStatus: {
    what: 'UpdateTable answer: TableStatus',
    oracle: 'ACTIVE at once',
    ours: 'UPDATING, ACTIVE after transitionMs',
    why: 'DynamoDB answers UpdateTable with UPDATING while throughput or billing changes (API reference, UpdateTable)',
    normalise: anyStatus,
  },
  deleteTableStatus: {
    what: 'DeleteTable answer: TableStatus',
    oracle: 'ACTIVE (the table is gone at once)',
    ours: 'DELETING',
    why: 'DynamoDB answers DeleteTable with DELETING (API reference, DeleteTable: "the table is in the DELETING state")',
    normalise: anyStatus,
  },
  oracleInternalFailure: {
    what: 'malformed JSON bodies, no or a bare x-amz-target, members of a wrong JSON type (a list for TableName, a string for Item, ...), values of a wrong JSON shape or bad base64 in an item (`{"L":{}}`, `{"M":[]}`, `"v":"plain"`, `{"B":"!!"}`, `{"SS":["x",1]}`), a 65,535-byte attribute name',
    oracle: '500 InternalFailure ("The request processing has failed because of an unknown error")',
    ours: 'a 400 in DynamoDB’s error shape (or 200 where the input is valid)',
    why: 'a 500 is DynamoDB Local failing inside (an uncaught Java exception); DynamoDB answers malformed input with a 4xx (API reference, Common Errors: SerializationException / ValidationException), and the issue asks never to crash',
    check: (status, body) => {
      if (status === 200) return '';
      const t = (body as Json | undefined)?.__type;
      return status === 400 &&
        typeof t === 'string' &&
        /#(ValidationException|SerializationException|UnknownOperationException)$/.test(t)
        ? ''
        : `expected 200 or a 400 ValidationException/SerializationException/UnknownOperationException, got ${status} ${JSON.stringify(body)}`;
    },
  },
  itemCollectionMetrics: {
    what: 'ItemCollectionMetrics of a write with ReturnItemCollectionMetrics SIZE on a table with a local secondary index',
    oracle: 'no ItemCollectionMetrics',
    ours: '{ItemCollectionKey: {<hash key>}, SizeEstimateRangeGB: [low, high]}',
    why: 'DynamoDB returns item collection statistics for tables with LSIs when SIZE is asked (API reference, PutItem: "ItemCollectionMetrics ... only returned if the table has one or more local secondary indexes and ReturnItemCollectionMetrics was specified"); the rest of the answer is still compared',
    normalise: (body) => {
      const b = body as Json | undefined;
      const m = b?.ItemCollectionMetrics as Json | undefined;
      if (!b || !m) return body;
      const range = m.SizeEstimateRangeGB;
      const shaped =
        typeof m.ItemCollectionKey === 'object' &&
        Array.isArray(range) &&
        range.length === 2 &&
        range.every((x) => typeof x === 'number');
      if (!shaped) return body;
      const { ItemCollectionMetrics: _, ...rest } = b;
      return rest;
    },
  },
} satisfies Record<string, Divergence>;

export type DivergenceId = keyof typeof DIVERGENCES;
