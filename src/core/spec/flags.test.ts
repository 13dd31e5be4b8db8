import { describe, expect, it } from 'vitest';
import { DdbError } from '../errors.js';
import {
  parseGsiFlag,
  parseIndexThroughputFlag,
  parseKeyFlag,
  parseLsiFlag,
  parseStreamFlag,
  parseTableClassFlag,
  parseTagFlag,
  parseUntagFlag,
  specFromFlags,
} from './flags.js';

function usageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DdbError);
    expect((e as DdbError).code).toBe('usage.invalid');
    return (e as DdbError).message;
  }
  throw new Error('expected a usage error');
}

describe('parseKeyFlag', () => {
  it('reads NAME:TYPE, any case', () => {
    expect(parseKeyFlag('--pk', 'username:S')).toEqual({ name: 'username', type: 'S' });
    expect(parseKeyFlag('--sk', 'at:n')).toEqual({ name: 'at', type: 'N' });
    expect(parseKeyFlag('--sk', 'a:b:B')).toEqual({ name: 'a:b', type: 'B' });
  });
  it.each([
    ['username', 'expected NAME:TYPE'],
    [':S', 'expected NAME:TYPE'],
    ['x:STRING', 'unknown key type "STRING"'],
  ])('%s is refused', (text, message) => {
    expect(usageOf(() => parseKeyFlag('--pk', text))).toContain(message);
  });
});

describe('parseGsiFlag', () => {
  it.each([
    [
      'byEmail:email:S',
      { name: 'byEmail', partitionKey: { name: 'email', type: 'S' }, projection: { type: 'ALL' } },
    ],
    [
      'byCountry:country:S:createdAt:N',
      {
        name: 'byCountry',
        partitionKey: { name: 'country', type: 'S' },
        sortKey: { name: 'createdAt', type: 'N' },
        projection: { type: 'ALL' },
      },
    ],
    [
      'byType:type:S:keys-only',
      { name: 'byType', partitionKey: { name: 'type', type: 'S' }, projection: { type: 'KEYS_ONLY' } },
    ],
    [
      'byType:type:S:at:N:include=title,body:5/3',
      {
        name: 'byType',
        partitionKey: { name: 'type', type: 'S' },
        sortKey: { name: 'at', type: 'N' },
        projection: { type: 'INCLUDE', attributes: ['title', 'body'] },
        throughput: { read: 5, write: 3 },
      },
    ],
    [
      'gsi1:a:S:10/10',
      {
        name: 'gsi1',
        partitionKey: { name: 'a', type: 'S' },
        projection: { type: 'ALL' },
        throughput: { read: 10, write: 10 },
      },
    ],
    ['gsi1:a:S:ALL', { name: 'gsi1', partitionKey: { name: 'a', type: 'S' }, projection: { type: 'ALL' } }],
  ])('%s', (text, expected) => {
    expect(parseGsiFlag(text)).toEqual(expected);
  });

  it.each([
    ['byEmail', 'expected NAME:PK:TYPE'],
    ['byEmail:email', 'expected NAME:PK:TYPE'],
    ['byEmail:email:X', 'unknown key type "X"'],
    ['g:a:S:b', 'expected NAME:PK:TYPE'],
    ['g:a:S:b:N:c:S', 'expected NAME:PK:TYPE'],
    ['g:a:S:include', 'include needs its attributes'],
    ['g:a:S:include=', 'include= needs the attributes'],
    ['g:a:S:0/5', 'expected READ/WRITE capacity units ≥ 1'],
    ['g1:email:S', 'invalid index name "g1": it has 2 characters (3–255 allowed)'],
    ['gsiA:a:S:all:5', '"5": a capacity is READ/WRITE, such as 5/5'],
    ['by email:email:S', 'invalid index name "by email": it contains " "'],
  ])('%s is refused', (text, message) => {
    const m = usageOf(() => parseGsiFlag(text));
    expect(m).toContain(`--gsi ${JSON.stringify(text)}: `);
    expect(m).toContain(message);
  });
});

describe('parseLsiFlag', () => {
  it('reads NAME:SK:TYPE[:PROJECTION]', () => {
    expect(parseLsiFlag('byScore:score:N')).toEqual({
      name: 'byScore',
      sortKey: { name: 'score', type: 'N' },
      projection: { type: 'ALL' },
    });
    expect(parseLsiFlag('byScore:score:N:include=a')).toEqual({
      name: 'byScore',
      sortKey: { name: 'score', type: 'N' },
      projection: { type: 'INCLUDE', attributes: ['a'] },
    });
  });
  it('refuses a throughput and a second key', () => {
    expect(usageOf(() => parseLsiFlag('l:s:N:5/5'))).toContain('an LSI has no throughput');
    expect(usageOf(() => parseLsiFlag('l:s:N:t:S'))).toContain('expected NAME:SK:TYPE');
  });
  it('refuses an index name DynamoDB would, naming the flag (not a spec path)', () => {
    expect(usageOf(() => parseLsiFlag('l#1:s:N', '--lsi'))).toBe(
      `--lsi "l#1:s:N": invalid index name "l#1": it contains "#"; use 3–255 letters, digits, '_', '-' or '.'`,
    );
  });
});

describe('small flags', () => {
  it('--gsi-throughput', () => {
    expect(parseIndexThroughputFlag('byEmail:10/5')).toEqual({ name: 'byEmail', read: 10, write: 5 });
    expect(usageOf(() => parseIndexThroughputFlag('byEmail'))).toContain('expected INDEX:READ/WRITE');
  });
  it('--tag', () => {
    expect(parseTagFlag('env=prod')).toEqual(['env', 'prod']);
    expect(parseTagFlag('note=a=b')).toEqual(['note', 'a=b']);
    expect(parseTagFlag('empty=')).toEqual(['empty', '']);
    expect(usageOf(() => parseTagFlag('=x'))).toContain('expected KEY=VALUE');
  });
  it('--stream', () => {
    expect(parseStreamFlag('new-and-old-images')).toBe('NEW_AND_OLD_IMAGES');
    expect(parseStreamFlag('KEYS_ONLY')).toBe('KEYS_ONLY');
    expect(parseStreamFlag('off')).toBeNull();
    expect(usageOf(() => parseStreamFlag('all'))).toContain('use new-image, old-image');
  });
  it('--table-class', () => {
    expect(parseTableClassFlag('standard-ia')).toBe('STANDARD_INFREQUENT_ACCESS');
    expect(parseTableClassFlag('STANDARD')).toBe('STANDARD');
    expect(usageOf(() => parseTableClassFlag('glacier'))).toContain('use standard or standard-ia');
  });
});

describe('specFromFlags (create-table)', () => {
  it("defaults the partition key to the lab's username:S and leaves billing out (on-demand)", () => {
    expect(specFromFlags('users', {})).toEqual({
      name: 'users',
      partitionKey: { name: 'username', type: 'S' },
    });
    expect(specFromFlags('events', { pk: 'id:S', sk: 'at:N', rcu: 5, wcu: 3, tag: ['env=dev'] })).toEqual({
      name: 'events',
      partitionKey: { name: 'id', type: 'S' },
      sortKey: { name: 'at', type: 'N' },
      billing: { mode: 'PROVISIONED', read: 5, write: 3 },
      tags: { env: 'dev' },
    });
  });

  it('refuses capacity without a provisioned table, with the flag that fixes it', () => {
    expect(() => specFromFlags('users', { billing: 'on-demand', rcu: 5 })).toThrow(
      expect.objectContaining({ code: 'usage.invalid' }),
    );
    expect(() => specFromFlags('users', { rcu: 5 })).toThrow(
      /provisioned billing needs both --rcu and --wcu/,
    );
  });
});

describe('parseUntagFlag', () => {
  it('takes any key but none', () => {
    expect(parseUntagFlag('team')).toBe('team');
    expect(parseUntagFlag('a=b c')).toBe('a=b c');
    expect(() => parseUntagFlag('')).toThrow(
      '--untag "": give the key of the tag to remove, such as --untag team',
    );
  });
});
