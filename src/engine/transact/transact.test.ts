/**
 * Transactions on the engine through a real DynamoDBClient: one commit per transaction (and none
 * when cancelled), reasons in DynamoDB's shape, tokens kept by the store and expired by the clock.
 * DynamoDB Local's answers themselves are compared in test/differential/transact.test.ts.
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { indexTree, itemTree } from '../catalog.js';
import { createTestTable } from '../ops/_testTables.js';
import { type Change, memoryStore, type Store } from '../store/index.js';
import { engineClient } from '../testClient.js';
import { TOKEN_TREE, TOKEN_TTL_MS } from './index.js';

/** A memory store that records each commit's changes. */
function countingStore(): Store & { commits: Change[][] } {
  const inner = memoryStore();
  const commits: Change[][] = [];
  return {
    commits,
    tree: (n) => inner.tree(n),
    treeNames: () => inner.treeNames(),
    commit: (c) => {
      commits.push([...c]);
      inner.commit(c);
    },
    close: () => inner.close(),
  };
}

async function setup(settings: { store?: Store; now?: () => number } = {}): Promise<DynamoDBClient> {
  const { ddb } = engineClient({
    ...(settings.store ? { store: settings.store } : {}),
    ...(settings.now ? { clock: { now: settings.now } } : {}),
  });
  await createTestTable(ddb, 'tab1', 'N', true);
  return ddb;
}

const key = (pk: string, sk = '1') => ({ pk: { S: pk }, sk: { N: sk } });
const write = (
  ddb: DynamoDBClient,
  input: Omit<TransactWriteItemsCommandInput, 'TransactItems'> & { TransactItems: unknown[] },
) => ddb.send(new TransactWriteItemsCommand(input as TransactWriteItemsCommandInput));

async function cancelled(p: Promise<unknown>): Promise<TransactionCanceledException> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(TransactionCanceledException);
  return e as TransactionCanceledException;
}

describe('TransactWriteItems', () => {
  it('writes every item and index entry of a transaction in one commit, and nothing when cancelled', async () => {
    const store = countingStore();
    const ddb = await setup({ store });
    const before = store.commits.length;
    await write(ddb, {
      TransactItems: [
        { Put: { TableName: 'tab1', Item: { ...key('a'), g: { S: 'x' } } } },
        { Put: { TableName: 'tab1', Item: { ...key('b'), g: { S: 'y' } } } },
        {
          Update: {
            TableName: 'tab1',
            Key: key('c'),
            UpdateExpression: 'SET n = :n',
            ExpressionAttributeValues: { ':n': { N: '1' } },
          },
        },
      ],
      ClientRequestToken: 'one-commit',
    });
    expect(store.commits.length - before).toBe(1);
    // The table, its GSI (the items have g) and the token: all in that one commit.
    const trees = new Set(store.commits.at(-1)!.map((c) => c.tree));
    expect([...trees].sort()).toEqual([indexTree('tab1', 'gsi'), itemTree('tab1'), TOKEN_TREE].sort());

    const n = store.commits.length;
    await cancelled(
      write(ddb, {
        TransactItems: [
          { Put: { TableName: 'tab1', Item: key('d') } },
          {
            ConditionCheck: {
              TableName: 'tab1',
              Key: key('a'),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    expect(store.commits.length).toBe(n);
    expect((await ddb.send(new GetItemCommand({ TableName: 'tab1', Key: key('d') }))).Item).toBeUndefined();
  });

  it('gives one reason per action in order: the old item when asked, an update refused on its value as ValidationError', async () => {
    const ddb = await setup();
    await write(ddb, {
      TransactItems: [{ Put: { TableName: 'tab1', Item: { ...key('a'), s: { S: 'text' } } } }],
    });
    const e = await cancelled(
      write(ddb, {
        TransactItems: [
          { Put: { TableName: 'tab1', Item: key('b') } },
          {
            ConditionCheck: {
              TableName: 'tab1',
              Key: key('a'),
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Update: {
              TableName: 'tab1',
              Key: key('a', '2'),
              UpdateExpression: 'SET n = n + :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
        ],
      }),
    );
    expect(e.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ValidationError]',
    );
    expect(e.CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed.',
        Item: { ...key('a'), s: { S: 'text' } },
      },
      {
        Code: 'ValidationError',
        Message: 'The provided expression refers to an attribute that does not exist in the item',
      },
    ]);
  });

  it('applies a token once for 10 minutes of the clock, keeps it in the store, then forgets it', async () => {
    let now = 1_000_000;
    const store = countingStore();
    const ddb = await setup({ store, now: () => now });
    const add = {
      TransactItems: [
        {
          Update: {
            TableName: 'tab1',
            Key: key('c'),
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
      ],
      ClientRequestToken: 'tok',
    };
    const n = async () =>
      (await ddb.send(new GetItemCommand({ TableName: 'tab1', Key: key('c') }))).Item?.n?.N;
    await write(ddb, add);
    now += TOKEN_TTL_MS - 1;
    await write(ddb, add);
    expect(await n()).toBe('1');
    await expect(
      write(ddb, { ...add, TransactItems: [{ Delete: { TableName: 'tab1', Key: key('c') } }] }),
    ).rejects.toMatchObject({
      name: 'IdempotentParameterMismatchException',
    });
    expect(store.tree(TOKEN_TREE).count).toBe(1);
    now += 1;
    await write(ddb, add);
    expect(await n()).toBe('2');
    // An expired token is dropped when another is written.
    now += TOKEN_TTL_MS;
    await write(ddb, { ...add, ClientRequestToken: 'other' });
    expect([...store.tree(TOKEN_TREE).entries()].map(([k]) => k)).toEqual(['other']);
  });
  it('takes a retry whose JSON objects list their members in another order as the same request', async () => {
    const ddb = await setup();
    const put = (item: Record<string, unknown>, values: Record<string, unknown>) =>
      write(ddb, {
        TransactItems: [
          {
            Put: {
              TableName: 'tab1',
              Item: item,
              ConditionExpression: 'attribute_not_exists(pk) OR v <> :a OR v <> :b',
              ExpressionAttributeValues: values,
            },
          },
        ],
        ClientRequestToken: 'reordered',
      });
    await put({ ...key('r'), v: { N: '1' }, w: { S: 'x' } }, { ':a': { N: '1' }, ':b': { N: '2' } });
    await put({ w: { S: 'x' }, v: { N: '1' }, ...key('r') }, { ':b': { N: '2' }, ':a': { N: '1' } });
    await expect(
      put({ ...key('r'), v: { N: '2' }, w: { S: 'x' } }, { ':a': { N: '1' }, ':b': { N: '2' } }),
    ).rejects.toMatchObject({ name: 'IdempotentParameterMismatchException' });
  });
});

describe('TransactGetItems', () => {
  it('refuses the whole request when the items read exceed 4 MB together', async () => {
    const ddb = await setup();
    const big = 'x'.repeat(390_000);
    for (let i = 0; i < 11; i++) {
      await ddb.send(new PutItemCommand({ TableName: 'tab1', Item: { ...key(`big${i}`), b: { S: big } } }));
    }
    const gets = (n: number) =>
      ddb.send(
        new TransactGetItemsCommand({
          TransactItems: Array.from({ length: n }, (_, i) => ({
            Get: { TableName: 'tab1', Key: key(`big${i}`) },
          })),
        }),
      );
    expect((await gets(10)).Responses).toHaveLength(10);
    await expect(gets(11)).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^Payload in response is too large\.\d+$/),
    });
  });

  it('answers items in the order asked, {} for a missing one, projected when asked', async () => {
    const ddb = await setup();
    await write(ddb, {
      TransactItems: [
        { Put: { TableName: 'tab1', Item: { ...key('a'), v: { N: '1' }, w: { S: 'w' } } } },
        { Put: { TableName: 'tab1', Item: { ...key('b'), v: { N: '2' } } } },
      ],
    });
    const out = await ddb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'tab1', Key: key('b') } },
          { Get: { TableName: 'tab1', Key: key('none') } },
          {
            Get: {
              TableName: 'tab1',
              Key: key('a'),
              ProjectionExpression: '#w',
              ExpressionAttributeNames: { '#w': 'w' },
            },
          },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(out.Responses).toEqual([
      { Item: { ...key('b'), v: { N: '2' } } },
      {},
      { Item: { w: { S: 'w' } } },
    ]);
    expect(out.ConsumedCapacity).toEqual([{ TableName: 'tab1', CapacityUnits: 6 }]);
  });
});
