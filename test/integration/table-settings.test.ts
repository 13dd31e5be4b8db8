// Issue 21, part E: `plan -o json` says what the text says; update-table rebuilds a GSI in one
// command with --allow-replace and checks attribute types itself; specs carry OnDemandThroughput,
// WarmThroughput, SSE and the resource policy (or say in one line that the endpoint cannot).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { findTable } from '../../src/core/control/describeTable.js';
import { listTables } from '../../src/core/control/listTables.js';
import { readTableState } from '../../src/core/spec/tableState.js';
import { cli, engineName, errorMessages, expectOk, testClients, uniqueName } from '../helpers.js';

const clients = testClients();
const engine = engineName();
const EMBEDDED = engine === 'embedded';
const LOCAL = engine === 'dynamodb-local';
const ENGINE_NAME = EMBEDDED ? "ddbctl's embedded engine" : LOCAL ? 'DynamoDB Local' : undefined;
const prefix = uniqueName('set');
const name = (s: string) => `${prefix}-${s}`;
const dir = mkdtempSync(join(tmpdir(), 'ddbctl-settings-'));

afterAll(async () => {
  for (const t of await listTables(clients, { prefix })) {
    try {
      await cli(['delete-table', t, '--yes', '--no-wait', '-q']);
    } catch {}
  }
  clients.destroy();
});

function specFile(file: string, text: string | object): string {
  const path = join(dir, file);
  writeFileSync(path, typeof text === 'string' ? text : JSON.stringify(text, null, 2));
  return path;
}

describe('plan -o json', () => {
  it('names the engine even when nothing changes', async () => {
    const t = name('same');
    const file = specFile('same.yaml', `name: ${t}\npartitionKey: id:S\n`);
    expectOk(await cli(['apply', file, '--yes', '-q']));
    const r = await cli(['plan', file, '-o', 'json']);
    expectOk(r);
    const doc = JSON.parse(r.stdout);
    expect(doc.tables[0]).toMatchObject({ table: t, exists: true, steps: [], replacement: false });
    if (ENGINE_NAME) expect(doc.tables[0].engine).toBe(ENGINE_NAME);
    else expect(typeof doc.tables[0].engine).toBe('string');
  });

  it('says "replacement": true for a GSI rebuilt (labelled REPLACEMENT)', async () => {
    const t = name('rebuild');
    const gsi = (projection: string) =>
      `name: ${t}\npartitionKey: id:S\ngsis:\n  - name: byEmail\n    partitionKey: email:S\n    projection: ${projection}\n`;
    expectOk(await cli(['apply', specFile('r1.yaml', gsi('ALL')), '--yes', '-q']));
    const file = specFile('r2.yaml', gsi('KEYS_ONLY'));
    const text = await cli(['plan', file]);
    expect(text.stdout).toContain('[REPLACEMENT] delete GSI byEmail');
    const doc = JSON.parse((await cli(['plan', file, '-o', 'json'])).stdout);
    expect(doc.tables[0].steps.map((s: { label: string }) => s.label)).toEqual([
      'REPLACEMENT',
      'REPLACEMENT',
    ]);
    expect(doc.tables[0].replacement).toBe(true);
    expect(doc.tables[0].tableReplaced).toBe(false);
  });
});

describe('update-table changes a GSI', () => {
  it('without --allow-replace it says to pass it and changes nothing; with it, the GSI is removed then added', async () => {
    const t = name('upd');
    expectOk(await cli(['create-table', t, '--pk', 'id:S', '--gsi', 'byEmail:email:S', '-q']));
    for (const args of [
      ['--add-gsi', 'byEmail:email:S:keys-only'],
      ['--remove-gsi', 'byEmail', '--add-gsi', 'byEmail:email:S:keys-only'],
    ]) {
      const r = await cli(['update-table', t, ...args]);
      // The same refusal (and exit code) as apply's without --allow-replace.
      expect(r.code).toBe(1);
      expect(errorMessages(r)).toEqual([
        expect.stringMatching(
          /delete GSI byEmail to rebuild it \(projection ALL → KEYS_ONLY\).*pass --allow-replace to rebuild it$/,
        ),
      ]);
      expect(errorMessages(r)[0]).not.toContain("'ddbctl apply'");
    }
    const before = await findTable(clients, t);
    expect(before?.GlobalSecondaryIndexes?.[0]?.Projection?.ProjectionType).toBe('ALL');

    const r = await cli([
      'update-table',
      t,
      '--add-gsi',
      'byEmail:email:S:keys-only',
      '--allow-replace',
      '--wait',
    ]);
    expectOk(r);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      `updated: ${t}: delete GSI byEmail to rebuild it (projection ALL → KEYS_ONLY)`,
      `updated: ${t}: re-create GSI byEmail (email:S, projection KEYS_ONLY) — backfills existing items`,
    ]);
    const after = await findTable(clients, t);
    expect(
      after?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.Projection?.ProjectionType, g.IndexStatus]),
    ).toEqual([['byEmail', 'KEYS_ONLY', 'ACTIVE']]);
  });

  it('an attribute-type clash with an LSI is refused by update-table itself, before anything is sent', async () => {
    const t = name('lsi');
    expectOk(await cli(['create-table', t, '--pk', 'id:S', '--sk', 'sk:S', '--lsi', 'byAt:at:N', '-q']));
    const r = await cli(['update-table', t, '--add-gsi', 'byAt2:at:S']);
    expect(r.code).toBe(2);
    expect(errorMessages(r)).toEqual([
      `ddbctl: error: --add-gsi byAt2: attribute "at" is S here but N as the sort key of LSI byAt of table ${t}; an attribute has one type per table: write at:N`,
    ]);
  });
});

describe('specs carry on-demand limits, warm throughput, SSE and the resource policy', () => {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: '*' }],
  };

  it('each setting is planned, or listed as a step this endpoint cannot run: never dropped', async () => {
    const t = name('all');
    const file = specFile('all.json', {
      TableName: t,
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'email', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byEmail',
          KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
          OnDemandThroughput: { MaxReadRequestUnits: 10, MaxWriteRequestUnits: 10 },
        },
      ],
      OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 },
      WarmThroughput: { ReadUnitsPerSecond: 15000, WriteUnitsPerSecond: 5000 },
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/users' },
      ResourcePolicy: JSON.stringify(policy),
    });
    const r = await cli(['plan', file]);
    // DynamoDB Local has no resource policies, warm throughput or KMS keys: the plan says so. The
    // embedded engine has them all.
    expect(r.code).toBe(EMBEDDED ? 0 : 1);
    const cannot = r.stdout.split('\n').filter((l) => l.includes('✗'));
    const e = ENGINE_NAME ?? 'this endpoint';
    expect(cannot).toEqual(
      EMBEDDED
        ? []
        : [
            `  ✗ [cannot run here] set warm throughput (table: read 15000/s, write 5000/s): ${e} does not support warm throughput (WarmThroughput)`,
            `  ✗ [cannot run here] encryption AWS owned key → KMS key alias/users: ${e} does not support encryption with a KMS key (SSESpecification)`,
            `  ✗ [cannot run here] put the resource policy: ${e} does not support resource-based policies (PutResourcePolicy)`,
          ],
    );
    if (LOCAL) expect(r.stdout).toContain('on-demand limits max read 100, max write 50');
    const doc = JSON.parse((await cli(['plan', file, '-o', 'json'])).stdout);
    expect(doc.tables[0].unsupported.length).toBe(cannot.length);

    if (EMBEDDED) {
      const made = await cli(['create-table', '--spec', file, '-q', '-o', 'json']);
      expect(made.code, made.stderr).toBe(0);
      const arn = (await findTable(clients, t))?.TableArn as string;
      const got = await clients.ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
      expect(JSON.parse(got.Policy as string)).toEqual(policy);
      return;
    }
    // create-table does what it can, then says (even with -q) what it did not: exit 1, as apply.
    const created = await cli(['create-table', '--spec', file, '-q', '-o', 'json']);
    expect(created.code, created.stderr).toBe(1);
    const result = JSON.parse(created.stdout);
    expect(result).toMatchObject({ outcome: 'created', table: { TableName: t } });
    expect(result.notApplied).toHaveLength(cannot.length);
    const [error, ...more] = errorMessages(created);
    expect(more).toEqual([]);
    expect(error).toMatch(
      new RegExp(
        `^ddbctl: error: table ${t} was created without ${cannot.length === 1 ? 'a setting' : `${cannot.length} settings`} this endpoint cannot apply: `,
      ),
    );
    for (const line of cannot) {
      expect(error).toContain(line.replace('  ✗ [cannot run here] ', '').split(': ')[0]);
    }
    expect(error).toContain(
      `the rest was done. Take ${cannot.length === 1 ? 'it' : 'them'} out of ${file}, or create the table on an endpoint that can`,
    );
    expect((await findTable(clients, t))?.TableName).toBe(t);
  });

  // DynamoDB Local and the embedded engine keep OnDemandThroughput (table and GSIs) from
  // CreateTable and change the table's through UpdateTable.
  it('on-demand limits are applied, changed, and kept through a copy-and-swap replacement', async () => {
    const t = name('odt');
    const yaml = (sortKey: string, maxRead: number) =>
      [
        `name: ${t}`,
        'partitionKey: id:S',
        sortKey,
        `onDemandThroughput: {maxRead: ${maxRead}, maxWrite: 50}`,
        'gsis:',
        '  - name: byEmail',
        '    partitionKey: email:S',
        '    onDemandThroughput: {maxRead: 10, maxWrite: 10}',
        '',
      ].join('\n');
    expectOk(await cli(['apply', specFile('o1.yaml', yaml('', 100)), '--yes', '-q']));
    let d = await findTable(clients, t);
    expect(d?.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 });
    expect(d?.GlobalSecondaryIndexes?.[0]?.OnDemandThroughput).toEqual({
      MaxReadRequestUnits: 10,
      MaxWriteRequestUnits: 10,
    });

    const changed = await cli(['apply', specFile('o2.yaml', yaml('', 200)), '--yes']);
    expectOk(changed);
    expect(changed.stdout).toContain(
      'update on-demand limits max read 100, max write 50 → max read 200, max write 50',
    );
    d = await findTable(clients, t);
    expect(d?.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 200, MaxWriteRequestUnits: 50 });

    // A key change with a spec that leaves the limits out: the new table keeps the live ones.
    const replace = specFile('o3.yaml', `name: ${t}\npartitionKey: id:S\nsortKey: at:N\n`);
    expectOk(await cli(['apply', replace, '--yes', '--allow-replace', '-q']));
    d = await findTable(clients, t);
    expect(d?.KeySchema?.map((k) => k.AttributeName)).toEqual(['id', 'at']);
    expect(d?.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 200, MaxWriteRequestUnits: 50 });
    expect(d?.GlobalSecondaryIndexes?.[0]?.OnDemandThroughput).toEqual({
      MaxReadRequestUnits: 10,
      MaxWriteRequestUnits: 10,
    });
  });

  it('a verbatim AWS CLI skeleton is accepted: its placeholders ignored with a note on stderr', async () => {
    const t = name('skel');
    const file = specFile('skel.json', {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      TableName: t,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      LocalSecondaryIndexes: [
        {
          IndexName: '',
          KeySchema: [{ AttributeName: '', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL', NonKeyAttributes: [''] },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { Enabled: false, SSEType: 'KMS', KMSMasterKeyId: '' },
      Tags: [{ Key: '', Value: '' }],
      WarmThroughput: { ReadUnitsPerSecond: 0, WriteUnitsPerSecond: 0 },
      ResourcePolicy: '',
      OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 },
      GlobalTableSourceArn: '',
      GlobalTableSettingsReplicationMode: 'ENABLED',
    });
    const r = await cli(['apply', file, '--yes']);
    expectOk(r);
    expect(r.stderr).toContain(
      `ddbctl: ${file}: ignored the empty or inapplicable fields of the AWS CLI skeleton: LocalSecondaryIndexes[0], LocalSecondaryIndexes, SSESpecification.KMSMasterKeyId, Tags[0], Tags, WarmThroughput, ResourcePolicy, OnDemandThroughput, GlobalTableSourceArn, GlobalTableSettingsReplicationMode`,
    );
    expect((await findTable(clients, t))?.TableStatus).toBe('ACTIVE');
    // The note covers fields that were no placeholders (GlobalTableSettingsReplicationMode): it is
    // a warning, which -q does not silence, in each command that reads a spec.
    for (const args of [
      ['apply', file, '--yes'],
      ['plan', file],
      ['create-table', '--spec', file],
    ]) {
      const quiet = await cli([...args, '-q']);
      expect(quiet.stderr, args.join(' ')).toContain(
        `ddbctl: ${file}: ignored the empty or inapplicable fields of the AWS CLI skeleton: `,
      );
    }
  });

  // NOTE: no engine refuses GetResourcePolicy for lack of permission (AWS does, for a role without
  // dynamodb:GetResourcePolicy): the refusal is injected into the SDK client for that one operation.
  it('a table whose policy may not be read: the policy is unknown, reading the table still works', async () => {
    const t = name('denied');
    expectOk(await cli(['create-table', t, '--pk', 'id:S', '-q']));
    const denied = testClients();
    denied.ddb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetResourcePolicyCommand') {
          throw Object.assign(new Error('User is not authorized to perform: dynamodb:GetResourcePolicy'), {
            name: 'AccessDeniedException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'denyGetResourcePolicy' },
    );
    try {
      const state = await readTableState(denied, t);
      expect(state?.table.TableName).toBe(t);
      expect(state?.resourcePolicy).toBeUndefined();
    } finally {
      denied.destroy();
    }
  });
});
