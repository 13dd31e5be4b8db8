/** Export a table to a file (the server streams it) and import a file into it, with progress. */
import { useEffect, useState } from 'preact/hooks';
import { api, enc, upload } from './api.js';
import { ErrorLine, Field, messageOf } from './shared.js';
import { confirmWrite, useTarget } from './target.js';

const FORMATS = ['ndjson', 'json', 'csv', 'ddb-json'] as const;

interface Job {
  done: boolean;
  written: number;
  failed: number;
  error?: string;
}

export function Transfer({ name }: { name: string }) {
  const target = useTarget();
  const [exportFormat, setExportFormat] = useState<string>('ndjson');
  const [importFormat, setImportFormat] = useState<string>('ndjson');
  const [file, setFile] = useState<File>();
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
        `/tables/${enc(name)}/import?format=${enc(importFormat)}`,
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
        <a
          class="button"
          data-testid="export-download"
          href={`/api/tables/${enc(name)}/export?format=${enc(exportFormat)}`}
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
        <p role="status" data-testid="import-progress" data-done={String(job.done)}>
          {job.done ? 'Done: ' : 'Importing… '}
          {job.written} written{job.failed ? `, ${job.failed} failed` : ''}
          {job.error ? ` — ${job.error}` : ''}
        </p>
      )}
    </section>
  );
}
