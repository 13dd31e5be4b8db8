// Issue 21, part E: `plan -o json` says what the text says; update-table rebuilds a GSI in one
// command with --allow-replace and checks attribute types itself; specs carry OnDemandThroughput,
// WarmThroughput, SSE and the resource policy (or say in one line that the endpoint cannot).
// GSI changes through UpdateTable run on DynamoDB Local only: dynalite ignores them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTable } from '../../src/core/control/describeTable.js';
import { listTables } from '../../src/core/control/listTables.js';
import { cli, engineName, errorMessages, expectOk, testClients, uniqueName } from '../helpers.js';

const clients = testClients();
const engine = engineName();
const EMBEDDED = engine === 'embedded';
const LOCAL = engine === 'dynamodb-local';
const ENGINE_NAME = EMBEDDED ? 'dynalite' : LOCAL ? 'DynamoDB Local' : undefined;
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

  // dynalite cannot change GSIs: there the rebuild is listed as unsupported, not as steps.
  it.skipIf(EMBEDDED)('says "replacement": true for a GSI rebuilt (labelled REPLACEMENT)', async () => {
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
  // NOTE: GSI create/delete through UpdateTable: DynamoDB Local only (dynalite ignores both).
  it.skipIf(EMBEDDED)(
    'without --allow-replace it says to pass it and changes nothing; with it, the GSI is removed then added',
    async () => {
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
    },
  );

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
