// The wire call's pure halves: the body written from prepared requests, and the low-level answer's
// UnprocessedItems read back to native items (bulkWrite.test.ts runs them against the engine).
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { prepareWrite } from '../batch/writePlan.js';
import type { KeySchema } from '../data/keySchema.js';
import { batchWriteBody, nativeBatchWriteOutput, putRequestText } from './batchWriteText.js';
import { readPlainItem } from './plainItem.js';

const n = (v: string) => new NumberValue(v);
const schema: KeySchema = {
  table: 'T',
  partitionKey: { name: 'pk', type: 'B' },
  sortKey: { name: 'sk', type: 'N' },
};

describe('batchWriteBody', () => {
  it('writes puts and deletes (the key alone) as DynamoDB JSON, and keeps each text for a retry', () => {
    const put = prepareWrite(
      { put: { pk: new Uint8Array([1, 2]), sk: n('-1E-130'), s: new Set(['é', '']), l: [[], {}] } },
      schema,
      1,
    );
    const del = prepareWrite(
      { delete: { pk: new Uint8Array([255]), sk: n('0'), extra: 'not sent' } },
      schema,
      2,
    );
    const body = batchWriteBody('my "table"', [put, del]);
    expect(body).toBe(
      '{"RequestItems":{"my \\"table\\"":[' +
        '{"PutRequest":{"Item":{"pk":{"B":"AQI="},"sk":{"N":"-1E-130"},"s":{"SS":["é",""]},"l":{"L":[{"L":[]},{"M":{}}]}}}},' +
        '{"DeleteRequest":{"Key":{"pk":{"B":"/w=="},"sk":{"N":"0"}}}}]}}',
    );
    expect(JSON.parse(body)).toBeTruthy();
    expect(put.text).toBe(
      putRequestText(
        '{"pk":{"B":"AQI="},"sk":{"N":"-1E-130"},"s":{"SS":["é",""]},"l":{"L":[{"L":[]},{"M":{}}]}}',
      ),
    );
    // A checked line's text is sent as it was read, not written again.
    const checked = readPlainItem('{"pk":"x","sk":12345678901234567890123456789012345678,"u":"😀\\u2028"}')!;
    const s: KeySchema = {
      table: 'T',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'N' },
    };
    const p = prepareWrite({ put: checked.item, checked }, s, 1);
    expect(batchWriteBody('T', [p])).toBe(`{"RequestItems":{"T":[{"PutRequest":{"Item":${checked.text}}}]}}`);
    expect(p.bytes).toBe(25 + Buffer.byteLength(checked.text));
  });
});

describe('nativeBatchWriteOutput', () => {
  it('reads UnprocessedItems (low-level attribute values) back to native items, numbers exact', () => {
    const out = nativeBatchWriteOutput({
      $metadata: {},
      UnprocessedItems: {
        T: [
          {
            PutRequest: {
              Item: {
                pk: { B: new Uint8Array([1, 2]) },
                sk: { N: '12345678901234567890123456789012345678' },
                ns: { NS: ['1', '-0.5'] },
                m: { M: { e: { S: '' }, l: { L: [{ NULL: true }, { BOOL: false }] } } },
              },
            },
          },
          { DeleteRequest: { Key: { pk: { B: new Uint8Array([]) }, sk: { N: '1E-130' } } } },
        ],
      },
    });
    expect(out.UnprocessedItems).toEqual({
      T: [
        {
          PutRequest: {
            Item: {
              pk: new Uint8Array([1, 2]),
              sk: n('12345678901234567890123456789012345678'),
              ns: new Set([n('1'), n('-0.5')]),
              m: { e: '', l: [null, false] },
            },
          },
        },
        { DeleteRequest: { Key: { pk: new Uint8Array([]), sk: n('1E-130') } } },
      ],
    });
    expect(nativeBatchWriteOutput({ $metadata: {}, UnprocessedItems: { T: [] } }).UnprocessedItems).toEqual(
      {},
    );
    expect(nativeBatchWriteOutput({ $metadata: {} }).UnprocessedItems).toEqual({});
  });
});
