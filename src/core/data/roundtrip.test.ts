// Property-based round trips (issue 20): random items of every type, written one way and read
// every other way, compared exactly. "Exactly" is the item's DynamoDB JSON as the SDK's marshall
// writes it: each value's type, each number's text, each set's order.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { item as anyItem, itemValue } from '../../../test/support/arbitraries.js';
import { type Format, type ReadRecord, readItems } from '../transfer/formats/index.js';
import { readPlainItem } from '../wire/plainItem.js';
import { readWireBody } from '../wire/wireText.js';
import {
  ddbJsonText,
  fromDdbJson,
  fromPlainItem,
  fromRawItem,
  type Item,
  parseItem,
  parseLosslessJson,
  type RawItem,
  stringifyDdbJson,
  stringifyItem,
  stringifyRawDdbJson,
  stringifyRawItem,
  toDdbJson,
} from './codec.js';
import { compileUpdate, Placeholders } from './expressions/index.js';

const RUNS = { numRuns: 150 };
/** An item's exact form: types, number texts and set orders (marshall's DynamoDB JSON). */
const exact = (i: Item) => stringifyDdbJson(i);

async function readAll(text: string, format: Format): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  for await (const r of readItems(Readable.from([Buffer.from(text)]), { format })) out.push(r);
  return out;
}

describe('round trips of random items (fast-check)', () => {
  it('plain JSON text → item → plain JSON text, and the text reads back as the same item', () => {
    fc.assert(
      fc.property(anyItem, (item) => {
        const text = stringifyItem(item);
        const back = parseItem(text);
        expect(exact(back)).toBe(exact(item));
        expect(stringifyItem(back)).toBe(text);
        // Indented (get -o json) reads back the same.
        expect(exact(parseItem(stringifyItem(item, 2)))).toBe(exact(item));
      }),
      RUNS,
    );
  });

  it('item → DynamoDB JSON → item (the text of marshall and of ddbJsonText, parsed either way)', () => {
    fc.assert(
      fc.property(anyItem, (item) => {
        const ddb = stringifyDdbJson(item);
        expect(exact(fromDdbJson(JSON.parse(ddb)))).toBe(ddb);
        expect(exact(fromDdbJson(parseLosslessJson(ddb)))).toBe(ddb);
        expect(ddbJsonText(item)).toBe(ddb);
      }),
      RUNS,
    );
  });

  it('raw attribute values → stringifyRawItem and the wire reader → the plain JSON of the item', () => {
    fc.assert(
      fc.property(fc.array(anyItem, { minLength: 1, maxLength: 3 }), (items) => {
        const raws = items.map((i) => toDdbJson(i) as RawItem);
        for (const [k, raw] of raws.entries()) {
          const text = stringifyRawItem(raw);
          expect(text).toBe(stringifyItem(items[k]!));
          expect(exact(parseItem(text))).toBe(exact(items[k]!));
          expect(exact(fromRawItem(raw))).toBe(exact(items[k]!));
        }
        // A Scan response body as the engine sends it (binary as base64), read without objects.
        const body = `{"Items":[${raws.map(stringifyRawDdbJson).join(',')}],"Count":${raws.length}}`;
        const wire = readWireBody(Buffer.from(body)).text.toString('utf8');
        expect(wire).toBe(items.map((i) => `${stringifyItem(i)}\n`).join(''));
      }),
      RUNS,
    );
  });

  it('the one-pass import reader gives what the general path gives, or leaves it to it', () => {
    fc.assert(
      fc.property(anyItem, (item) => {
        const text = stringifyItem(item);
        const fast = readPlainItem(text);
        if (fast) {
          expect(exact(fast.item)).toBe(exact(item));
          expect(fast.text).toBe(ddbJsonText(item));
        }
      }),
      RUNS,
    );
  });

  it('every JSON format of import reads the items back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyItem, { minLength: 1, maxLength: 4 }), async (items) => {
        const want = items.map(exact);
        const plain = items.map((i) => stringifyItem(i));
        const ddb = items.map((i) => stringifyDdbJson(i));
        const inputs: [Format, string][] = [
          ['ndjson', `${plain.join('\n')}\n`],
          ['json', `[\n${items.map((i) => stringifyItem(i, 2)).join(',\n')}\n]`],
          ['ddb-json', `${ddb.join('\n')}\n`],
          // DynamoDB's export to S3: each item in an envelope.
          ['ddb-json', ddb.map((d) => `{"Item":${d}}\n`).join('')],
        ];
        for (const [format, text] of inputs) {
          const recs = await readAll(text, format);
          expect(
            recs.map((r) => r.error ?? exact(r.item!)),
            format,
          ).toEqual(want);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a value printed as plain JSON is the same value as an expression literal (update --set)', () => {
    fc.assert(
      fc.property(itemValue(3), (value) => {
        const ph = new Placeholders();
        compileUpdate({ set: [`a = ${stringifyItem(value)}`] }, ph);
        expect(exact({ a: ph.values[':v0']! })).toBe(exact({ a: value }));
      }),
      RUNS,
    );
  });

  it('an item read from parsed JSON (batch-write, transact) is the same item', () => {
    fc.assert(
      fc.property(anyItem, (item) => {
        expect(exact(fromPlainItem(parseLosslessJson(stringifyItem(item))))).toBe(exact(item));
      }),
      RUNS,
    );
  });
});
