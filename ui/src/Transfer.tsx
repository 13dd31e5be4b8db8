/**
 * Export a table to a file and import a file into it, each a job of the server the page follows:
 * items written so far while it runs, then what was written and what was left out, and why.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, upload } from './api.js';
import { ErrorLine, Field, messageOf } from './shared.js';
import { confirmWrite, useTarget } from './target.js';

const FORMATS = ['ndjson', 'json', 'csv', 'ddb-json'] as const;

/** An import's or export's job as the server reports it (GET /api/jobs/:id). */
interface Job {
  done: boolean;
  read?: number;
  written: number;
  failed: number;
  /** Import: the first rejected lines; export: one entry per reason, with its count of items. */
  rejects?: { line?: number; reason: string; count?: number }[];
  /** Export, once done: the file's address, and the left-out items' (CSV). */
  file?: string;
  rejectsFile?: string;
  error?: { code?: string; message: string } | string;
}

const errorText = (e: Job['error']) => (typeof e === 'string' ? e : e?.message);

/** The job `jobId` as it runs (polled until done); errors of the polling go to `onError`. */
function useJob(jobId: string | undefined, onError: (message: string) => void): Job | undefined {
  // NOTE: kept with its id: right after jobId changes, the previous job's state is not this one's.
  const [state, setJob] = useState<{ id: string; job: Job }>();
  useEffect(() => {
    if (!jobId) return;
    let stop = false;
    const poll = async () => {
      try {
        const j = await api<Job>('GET', `/jobs/${enc(jobId)}`);
        if (stop) return;
        setJob({ id: jobId, job: j });
        if (!j.done) setTimeout(poll, 300);
      } catch (e) {
        if (!stop) onError(messageOf(e));
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [jobId]);
  return state && state.id === jobId ? state.job : undefined;
}

/** Save a file the server holds, as a link with `download` would. */
function download(href: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Export: a job writing the file on the server; the page shows it running, then downloads it. */
function Export({ name }: { name: string }) {
  const [format, setFormat] = useState<string>('ndjson');
  const [columns, setColumns] = useState('');
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<string>();
  const job = useJob(jobId, setError);
  const saved = useRef<string>();
  const running = jobId !== undefined && !job?.done;
  // The server lists the first reasons only: the items of the others are counted together.
  const others = (job?.failed ?? 0) - (job?.rejects ?? []).reduce((n, r) => n + (r.count ?? 1), 0);

  // NOTE: the file is saved by itself only when nothing was left out; otherwise the page says so
  // first, and the user chooses to save the file without those items (and the items apart).
  useEffect(() => {
    if (job?.done && job.file && !job.error && job.failed === 0 && saved.current !== jobId) {
      saved.current = jobId;
      download(job.file);
    }
  }, [job, jobId]);

  const start = async () => {
    setError(undefined);
    setJobId(undefined);
    try {
      const r = await api<{ job: string }>(
        'POST',
        `/tables/${enc(name)}/export?format=${enc(format)}${
          format === 'csv' && columns.trim() ? `&columns=${enc(columns.trim())}` : ''
        }`,
      );
      setJobId(r.job);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <div>
      <h3>Export</h3>
      <div class="row">
        <Field label="Format">
          <select
            data-testid="export-format"
            value={format}
            onChange={(e) => setFormat((e.target as HTMLSelectElement).value)}
          >
            {FORMATS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </Field>
        {format === 'csv' && (
          <Field label="Columns (default: the first item's)">
            <input
              data-testid="export-columns"
              placeholder="id,name,age"
              value={columns}
              onInput={(e) => setColumns((e.target as HTMLInputElement).value)}
            />
          </Field>
        )}
        <button type="button" class="primary" data-testid="export-start" disabled={running} onClick={start}>
          Export
        </button>
      </div>
      <ErrorLine error={error} testid="export-request-error" />
      {job && (
        <div role="status" data-testid="export-progress" data-done={String(job.done)}>
          <p>
            {job.done ? (job.error ? 'Stopped: ' : 'Done: ') : 'Exporting… '}
            {plural(job.written, 'item')} written
            {job.failed > 0 && `, ${plural(job.failed, 'item')} left out`}
            {job.done && !job.error && job.failed === 0 && ' (the download has started)'}
          </p>
          {job.error && (
            <p class="error" data-testid="export-error">
              {errorText(job.error)}
            </p>
          )}
          {job.failed > 0 && (
            <div class="warning" data-testid="export-left-out">
              <p>
                {plural(job.failed, 'item was', 'items were')} left out of the file: a CSV file has one set of
                columns{columns.trim() ? '' : " (the first item's)"}. Give every attribute as columns, or
                export as ndjson, which keeps every item.
              </p>
              <ul data-testid="export-rejects">
                {job.rejects?.map((r, i) => (
                  <li key={i}>
                    {plural(r.count ?? 1, 'item')} left out: {r.reason}
                  </li>
                ))}
                {others > 0 && (
                  <li>{plural(others, 'item')} left out for other reasons (in the items left out)</li>
                )}
              </ul>
            </div>
          )}
          {job.done && job.file && (
            <p class="row">
              <a class="button" data-testid="export-download" href={job.file} download>
                {job.failed > 0 ? `Download the ${plural(job.written, 'item')} written` : 'Download again'}
              </a>
              {job.rejectsFile && (
                <a class="button" data-testid="export-download-rejects" href={job.rejectsFile} download>
                  Download the items left out (ndjson, with why)
                </a>
              )}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

export function Transfer({ name }: { name: string }) {
  const target = useTarget();
  const [importFormat, setImportFormat] = useState<string>('ndjson');
  const [file, setFile] = useState<File>();
  const [types, setTypes] = useState('');
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<string>();
  const job = useJob(jobId, setError);

  const start = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    if (!(await confirmWrite(target, `Import ${file.name} into ${name}`))) return;
    setError(undefined);
    setJobId(undefined);
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
      <Export name={name} />
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
              {errorText(job.error)}
            </p>
          )}
          {(job.rejects?.length ?? 0) > 0 && (
            <ul data-testid="import-rejects">
              {job.rejects?.map((r) => (
                <li key={r.line}>
                  {r.reason.startsWith('line ') || r.line === undefined
                    ? r.reason
                    : `line ${r.line}: ${r.reason}`}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
