// The rules of --resume, with no file and no engine: what a resume accepts and what it refuses, and how it says so.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DdbError } from '../errors.js';
import type { ExportCheckpoint, ImportCheckpoint } from './checkpoint.js';
import {
  checkExportResume,
  checkImportResume,
  checkpointTarget,
  checkResumeOptions,
  checkResumeOutput,
  resumableOn,
  typesText,
} from './resume.js';

const where = { kind: 'embedded', where: '/data' } as const;
const into = { name: 'T', key: { partitionKey: { name: 'id', type: 'S' } } } as const;

const imported: ImportCheckpoint = {
  kind: 'import',
  table: 'T',
  target: where,
  into,
  input: { path: '/in.csv', size: 1234 },
  format: 'csv',
  options: { '--format': 'csv', '--types': 'age:N' },
  offset: 600,
  line: 7,
  rejectsBytes: 0,
  written: 12345,
  rejected: 0,
  updated: '2030-01-01T00:00:00.000Z',
};

const exported: ExportCheckpoint = {
  kind: 'export',
  table: 'T',
  target: where,
  from: into,
  format: 'ndjson',
  options: { '--format': 'ndjson', '--filter': '' },
  output: '/out.ndjson',
  outputBytes: 5000,
  items: 2000,
  scan: { segments: 4, next: 2, open: [{ segment: 1 }] },
  updated: '2030-01-01T00:00:00.000Z',
};

/** The usage error `fn` throws: its message. */
function refusal(fn: () => void, code = 'usage.invalid'): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DdbError);
    expect((e as DdbError).code).toBe(code);
    return (e as DdbError).message;
  }
  throw new Error('not refused');
}

describe('checkImportResume', () => {
  const run = {
    resume: true,
    table: 'T',
    input: { path: '/in.csv', size: 1234 },
    shaping: { '--format': 'csv', '--types': 'age:N' },
  };

  it('accepts a start with no checkpoint, and a resume of the same import', () => {
    expect(() => checkImportResume('cp.json', undefined, { ...run, resume: false })).not.toThrow();
    expect(() => checkImportResume('cp.json', imported, run)).not.toThrow();
  });

  it('refuses a checkpoint left without --resume, and --resume without one', () => {
    expect(refusal(() => checkImportResume('cp.json', imported, { ...run, resume: false }))).toBe(
      'an unfinished import into T on the embedded engine (data dir /data) left cp.json (12,345 written); pass --resume to continue it there, or delete it to start over',
    );
    expect(refusal(() => checkImportResume('cp.json', undefined, run))).toBe(
      '--resume: no checkpoint at cp.json; a run stopped with --checkpoint FILE resumes with the same --checkpoint FILE; with none, run without --resume to start',
    );
  });

  it('refuses another table, input file or input size', () => {
    const other = (why: string, how = 'delete it to start over') =>
      `cp.json belongs to an import of /in.csv (1234 bytes) into T, not this one: ${why}; ${how}`;
    const own =
      'give this run a --checkpoint of its own (the stopped import into T resumes from this one), or delete it to start over';
    expect(refusal(() => checkImportResume('cp.json', imported, { ...run, table: 'U' }))).toBe(
      other('it was into table T, and this one is into U', own),
    );
    // Without --resume too: "pass --resume" would only lead to this refusal.
    expect(refusal(() => checkImportResume('cp.json', imported, { ...run, table: 'U', resume: false }))).toBe(
      other('it was into table T, and this one is into U', own),
    );
    expect(
      refusal(() =>
        checkImportResume('cp.json', imported, { ...run, input: { path: '/b.csv', size: 1234 } }),
      ),
    ).toBe(other('this one reads /b.csv'));
    expect(
      refusal(() => checkImportResume('cp.json', imported, { ...run, input: { path: '/in.csv', size: 1 } })),
    ).toBe(other('the file has 1 byte now (changed since the stopped run: its offsets mean nothing in it)'));
  });

  it('refuses other item-shaping options; a checkpoint of an earlier ddbctl is checked on its format alone', () => {
    expect(
      refusal(() =>
        checkImportResume('cp.json', imported, { ...run, shaping: { ...run.shaping, '--types': '' } }),
      ),
    ).toBe(
      '--resume: the stopped run (checkpoint cp.json) had --types age:N, and this one has no --types; resume with the same --types age:N, or drop --resume and delete cp.json to start over',
    );
    const { options: _, ...older } = imported;
    expect(() =>
      checkImportResume('cp.json', older, { ...run, shaping: { ...run.shaping, '--types': '' } }),
    ).not.toThrow();
    expect(
      refusal(() =>
        checkImportResume('cp.json', older, { ...run, shaping: { ...run.shaping, '--format': 'ndjson' } }),
      ),
    ).toMatch(/had --format csv, and this one has --format ndjson/);
  });
});

describe('checkExportResume', () => {
  const run = {
    resume: true,
    table: 'T',
    output: '/out.ndjson',
    shaping: { '--format': 'ndjson', '--filter': '' },
  };

  it('accepts a start with no checkpoint, and a resume of the same export', () => {
    expect(() => checkExportResume('cp.json', undefined, { ...run, resume: false })).not.toThrow();
    expect(() => checkExportResume('cp.json', exported, run)).not.toThrow();
  });

  it('refuses a checkpoint left without --resume, --resume without one, another table or output', () => {
    expect(refusal(() => checkExportResume('cp.json', exported, { ...run, resume: false }))).toBe(
      'an unfinished export of T on the embedded engine (data dir /data) left cp.json (2,000 items); pass --resume to continue it there, or delete it to start over',
    );
    expect(refusal(() => checkExportResume('cp.json', undefined, run))).toBe(
      '--resume: no checkpoint at cp.json; a run stopped with --checkpoint FILE resumes with the same --checkpoint FILE; with none, run without --resume to start',
    );
    expect(refusal(() => checkExportResume('cp.json', exported, { ...run, output: '/x.ndjson' }))).toBe(
      'cp.json belongs to another export (T → /out.ndjson): this one is to /x.ndjson; delete it to start over',
    );
    expect(refusal(() => checkExportResume('cp.json', exported, { ...run, table: 'U', resume: false }))).toBe(
      'cp.json belongs to another export (T → /out.ndjson): it was of table T, and this one is of U; delete it to start over',
    );
    expect(
      refusal(() =>
        checkExportResume('cp.json', exported, { ...run, shaping: { ...run.shaping, '--filter': 'a = 1' } }),
      ),
    ).toMatch(/had no --filter, and this one has --filter 'a = 1'; resume with no --filter/);
  });

  it('refuses an output shorter than the checkpoint counts; a longer one is cut back by the caller', () => {
    expect(() => checkResumeOutput('out.ndjson', 5000, exported, 'cp.json')).not.toThrow();
    expect(() => checkResumeOutput('out.ndjson', 9000, exported, 'cp.json')).not.toThrow();
    expect(refusal(() => checkResumeOutput('out.ndjson', 4999, exported, 'cp.json'), 'input.file')).toBe(
      'cannot resume: out.ndjson holds 4,999 bytes, fewer than the 5,000 of the 2,000 items the checkpoint counts (it was cut or rewritten after the export stopped); delete cp.json and export again',
    );
  });
});

describe('what a checkpoint records of its run', () => {
  it('the target: the absolute data dir, memory, the endpoint or the region (never credentials)', () => {
    expect(checkpointTarget({ kind: 'embedded', dataDir: 'd', region: 'us-east-1' })).toEqual({
      kind: 'embedded',
      where: resolve('d'),
    });
    expect(checkpointTarget({ kind: 'embedded', dataDir: null, region: 'us-east-1' }).where).toBe('memory');
    expect(
      checkpointTarget({
        kind: 'endpoint',
        endpoint: 'http://127.0.0.1:8000',
        region: 'r',
        source: '--endpoint-url',
      }),
    ).toEqual({ kind: 'endpoint', where: 'http://127.0.0.1:8000' });
    expect(checkpointTarget({ kind: 'aws', region: 'eu-west-1', credentialsFrom: 'environment' })).toEqual({
      kind: 'aws',
      where: 'eu-west-1',
    });
  });

  it('a run on the in-memory engine cannot be resumed', () => {
    expect(resumableOn({ kind: 'embedded', dataDir: null, region: 'us-east-1' })).toBe(false);
    expect(resumableOn({ kind: 'embedded', dataDir: 'd', region: 'us-east-1' })).toBe(true);
    expect(resumableOn({ kind: 'aws', region: 'eu-west-1', credentialsFrom: 'environment' })).toBe(true);
  });

  it('column types as sorted text, the same types the same text', () => {
    expect(typesText({ b: 'JSON', a: 'N' })).toBe('a:N,b:JSON');
    expect(typesText(undefined)).toBe('');
  });

  it('options compared one by one, each refusal naming the option and both values', () => {
    expect(() => checkResumeOptions('cp', { '--names': '' }, { '--names': '' })).not.toThrow();
    expect(refusal(() => checkResumeOptions('cp', { '--columns': 'a,b' }, { '--columns': "it's" }))).toBe(
      `--resume: the stopped run (checkpoint cp) had --columns a,b, and this one has --columns 'it'\\''s'; resume with the same --columns a,b, or drop --resume and delete cp to start over`,
    );
  });
});
