import { describe, expect, it } from 'vitest';
import type { TableDescription } from './api.js';
import { buildRequest, NEW_QUERY } from './query.js';

const table: TableDescription = {
  TableName: 't',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
};

describe('the read request of the builder', () => {
  it('sends #names as given and :values as DynamoDB JSON, numbers kept as text', () => {
    const big = '12345678901234567890123456789012345678';
    const req = buildRequest(table, {
      ...NEW_QUERY,
      filter: ' #s = :v ',
      names: '{"#s": "status"}',
      values: `{":v": {"N": "${big}"}}`,
    });
    expect(req).toEqual({
      mode: 'scan',
      filter: '#s = :v',
      names: { '#s': 'status' },
      values: { ':v': { N: big } },
      limit: 50,
    });
  });

  it('names the field that is wrong', () => {
    expect(() => buildRequest(table, { ...NEW_QUERY, names: '["status"]' })).toThrow(
      /^#names: expected a JSON object/,
    );
    expect(() => buildRequest(table, { ...NEW_QUERY, names: '{"#s": 1}' })).toThrow(
      /^#names: #s: expected the attribute name/,
    );
    expect(() => buildRequest(table, { ...NEW_QUERY, values: '{":v": {"N": 1}}' })).toThrow(/^:values: /);
  });

  it('a query with between on the sort key', () => {
    const req = buildRequest(table, {
      ...NEW_QUERY,
      mode: 'query',
      pk: 'a',
      skOp: 'between',
      sk0: '1',
      sk1: '9',
    });
    expect(req).toMatchObject({
      mode: 'query',
      partition: { S: 'a' },
      sk: { op: 'between', values: [{ N: '1' }, { N: '9' }] },
    });
  });
});
