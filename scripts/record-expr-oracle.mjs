// Records DynamoDB Local's answers to the expression cases of src/engine/expr/oracle/cases.mjs into
// src/engine/expr/oracle/answers.json, which src/engine/expr/oracle.test.ts replays against the
// engine's expression code. Run inside a loopback-only namespace with DynamoDB Local on :8000:
//   node scripts/record-expr-oracle.mjs [endpoint] && npx biome format --write src/engine/expr/oracle/answers.json
import { writeFileSync } from 'node:fs';
import { CASES, ITEM, KEY_TABLE, LEGACY_CASES, TABLE } from '../src/engine/expr/oracle/cases.mjs';

const endpoint = process.argv[2] ?? 'http://127.0.0.1:8000';
async function call(op, body) {
  const r = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${op}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  return JSON.parse(await r.text());
}

await call('CreateTable', {
  TableName: TABLE,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
});
await call('CreateTable', {
  TableName: KEY_TABLE,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
});

const answers = [];
for (const c of [...CASES, ...LEGACY_CASES]) {
  const common = {
    ...(c.names ? { ExpressionAttributeNames: c.names } : {}),
    ...(c.values ? { ExpressionAttributeValues: c.values } : {}),
  };
  let r;
  if (c.op !== undefined) {
    // A legacy-parameter request, sent as it is (table, key and item filled in).
    await call('PutItem', { TableName: TABLE, Item: c.item ?? ITEM });
    const body = { TableName: c.op === 'Query' ? KEY_TABLE : TABLE, ...c.params };
    if (c.op === 'UpdateItem') Object.assign(body, { Key: { pk: { S: 'a' } }, ReturnValues: 'ALL_NEW' });
    if (c.op === 'PutItem') body.Item = c.item ?? ITEM;
    r = await call(c.op, body);
  } else if (c.k !== undefined) {
    r = await call('Query', {
      TableName: KEY_TABLE,
      KeyConditionExpression: c.k,
      ...(c.f ? { FilterExpression: c.f } : {}),
      ...(c.p ? { ProjectionExpression: c.p } : {}),
      ...common,
    });
  } else if (c.u === undefined) {
    await call('PutItem', { TableName: TABLE, Item: c.item ?? ITEM });
    r = await call('Scan', {
      TableName: TABLE,
      ...(c.f !== undefined ? { FilterExpression: c.f } : {}),
      ...(c.p !== undefined ? { ProjectionExpression: c.p } : {}),
      ...common,
    });
  } else {
    await call('PutItem', { TableName: TABLE, Item: c.item ?? ITEM });
    r = await call('UpdateItem', {
      TableName: TABLE,
      Key: { pk: { S: 'a' } },
      UpdateExpression: c.u,
      ...(c.c !== undefined ? { ConditionExpression: c.c } : {}),
      ReturnValues: 'ALL_NEW',
      ...common,
    });
  }
  const answer = r.__type
    ? { error: r.Message ?? r.message, type: r.__type.split('#')[1] }
    : c.op === 'PutItem' || c.op === 'Query'
      ? { ok: true }
      : c.op === 'Scan'
        ? { items: r.Items }
        : c.op === 'UpdateItem'
          ? { item: r.Attributes }
          : c.k !== undefined
            ? { ok: true }
            : c.u === undefined
              ? { items: r.Items }
              : { item: r.Attributes };
  answers.push({ case: c, answer });
}
writeFileSync(
  new URL('../src/engine/expr/oracle/answers.json', import.meta.url),
  `${JSON.stringify(answers, null, 1)}\n`,
);
console.log(`${answers.length} answers recorded`);
