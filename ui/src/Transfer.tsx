/** Export a table to a file (the server streams it) and import a file into it, with progress. */
import { useEffect, useState } from 'preact/hooks';
import { api, enc, upload } from './api.js';
import { ErrorLine, Field, messageOf } from './shared.js';
import { confirmWrite, useTarget } from './target.js';

const FORMATS = ['ndjson', 'json', 'csv', 'ddb-json'] as const;

/** An import's job as the server reports it (GET /api/jobs/:id). */
interface Job {
  done: boolean;
  read?: number;
  written: number;
  failed: number;
  rejects?: { line: number; reason: string }[];
  error?: { code?: string; message: string } | string;
}

export function Transfer({ name }: { name: string }) {
  const target = useTarget();
  const [exportFormat, setExportFormat] = useState<string>('ndjson');
  const [importFormat, setImportFormat] = useState<string>('ndjson');
  const [file, setFile] = useState<File>();
  const [columns, setColumns] = useState('');
  const [types, setTypes] = useState('');
  const [jobId, setJobId] = useState<string>();
  const [job, setJob] = useState<Job>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!jobId) return;
    let stop = false;
    const poll = async () => {
      try {
        const j = await api<Job>('GET', `/jobs/${enc(jobId)}`);
        if (stop) return;
        setJob(j);
        if (!j.done) setTimeout(poll, 400);
      } catch (e) {
        if (!stop) setError(messageOf(e));
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [jobId]);

  const start = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    if (!(await confirmWrite(target, `Import ${file.name} into ${name}`))) return;
    setError(undefined);
    setJob(undefined);
    try {
      const r = await upload<{ job: string | { id: string } }>(
        `/tables/${enc(name)}/import?format=${enc(importFormat)}${
          importFormat === 'csv' && types.trim() ? `&types=${enc(types.trim())}` : ''
        }`,
        file,
      );
      setJobId(typeof r.job === 'string' ? r.job : r.job.id);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section data-testid="table-transfer">
      <h3>Export</h3>
      <div class="row">
        <Field label="Format">
          <select
            data-testid="export-format"
            value={exportFormat}
            onChange={(e) => setExportFormat((e.target as HTMLSelectElement).value)}
          >
            {FORMATS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </Field>
        {exportFormat === 'csv' && (
          <Field label="Columns (default: the first item's)">
            <input
              data-testid="export-columns"
              placeholder="id,name,age"
              value={columns}
              onInput={(e) => setColumns((e.target as HTMLInputElement).value)}
            />
          </Field>
        )}
        <a
          class="button"
          data-testid="export-download"
          href={`/api/tables/${enc(name)}/export?format=${enc(exportFormat)}${
            exportFormat === 'csv' && columns.trim() ? `&columns=${enc(columns.trim())}` : ''
          }`}
          download={`${name}.${exportFormat === 'ddb-json' ? 'ddb.json' : exportFormat}`}
        >
          Download
        </a>
      </div>
      {!target?.readOnly && (
        <form onSubmit={start}>
          <h3>Import</h3>
          <div class="row">
            <Field label="File">
              <input
                type="file"
                data-testid="import-file"
                onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])}
              />
            </Field>
            <Field label="Format">
              <select
                data-testid="import-format"
                value={importFormat}
                onChange={(e) => setImportFormat((e.target as HTMLSelectElement).value)}
              >
                {FORMATS.map((f) => (
                  <option key={f}>{f}</option>
                ))}
              </select>
            </Field>
            {importFormat === 'csv' && (
              <Field label="Column types (as import --types)">
                <input
                  data-testid="import-types"
                  placeholder="age:N,active:BOOL"
                  value={types}
                  onInput={(e) => setTypes((e.target as HTMLInputElement).value)}
                />
              </Field>
            )}
            <button
              type="submit"
              class="primary"
              data-testid="import-start"
              disabled={!file || (job !== undefined && !job.done)}
            >
              Import
            </button>
          </div>
        </form>
      )}
      <ErrorLine error={error} testid="transfer-error" />
      {job && (
        <div role="status" data-testid="import-progress" data-done={String(job.done)}>
          <p>
            {job.done ? 'Done: ' : 'Importing… '}
            {job.read !== undefined ? `${job.read} read, ` : ''}
            {job.written} written{job.failed ? `, ${job.failed} rejected` : ''}
          </p>
          {job.error && (
            <p class="error" data-testid="import-error">
              {typeof job.error === 'string' ? job.error : job.error.message}
            </p>
          )}
          {(job.rejects?.length ?? 0) > 0 && (
            <ul data-testid="import-rejects">
              {job.rejects?.map((r) => (
                <li key={r.line}>
                  {r.reason.startsWith('line ') ? r.reason : `line ${r.line}: ${r.reason}`}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
