/**
 * Export (a download, streamed as the scan goes) and import (the file uploaded, then written by a
 * job the page polls), through the library's exportItems / importItems and the formats of
 * `ddbctl export` / `ddbctl import`.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { exportItems } from '../../../core/transfer/exportItems.js';
import {
  createItemWriter,
  type EncodedPage,
  FORMATS,
  type Format,
  parseTypes,
  readItemBatches,
} from '../../../core/transfer/formats/index.js';
import { importItems } from '../../../core/transfer/importItems.js';
import { readBody, UiError } from '../http.js';
import type { ApiContext, Route } from './context.js';

/** An upload is held in memory while its import runs: at most this much. */
const MAX_IMPORT_BYTES = 256 * 1024 * 1024;
/** Finished jobs kept for the page to read, the oldest dropped first. */
const MAX_JOBS = 100;

export interface Job {
  done: boolean;
  read: number;
  written: number;
  failed: number;
  /** The first reasons of rejected records (line and why). */
  rejects: { line: number; reason: string }[];
  error?: { code: string; message: string };
}

/** The jobs of one server (import runs), by id. */
export class Jobs {
  private readonly jobs = new Map<string, Job>();

  start(run: (job: Job) => Promise<void>): string {
    const id = randomUUID();
    const job: Job = { done: false, read: 0, written: 0, failed: 0, rejects: [] };
    this.jobs.set(id, job);
    for (const [old, j] of this.jobs) {
      if (this.jobs.size <= MAX_JOBS) break;
      if (j.done) this.jobs.delete(old);
    }
    void run(job)
      .catch((e: { code?: string; message?: string }) => {
        job.error = { code: e.code ?? 'internal', message: e.message ?? String(e) };
      })
      .finally(() => {
        job.done = true;
      });
    return id;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }
}

function formatOf(ctx: ApiContext): Format {
  const f = ctx.query.get('format') ?? 'ndjson';
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw new UiError(400, 'usage.invalid', `format ${JSON.stringify(f)}: use one of ${FORMATS.join(', ')}`);
  }
  return f as Format;
}

const EXTENSIONS: Record<Format, string> = {
  ndjson: 'ndjson',
  json: 'json',
  csv: 'csv',
  'ddb-json': 'ddb.json',
};
const TYPES: Record<Format, string> = {
  ndjson: 'application/x-ndjson',
  json: 'application/json',
  csv: 'text/csv',
  'ddb-json': 'application/x-ndjson',
};

async function exportTable(ctx: ApiContext) {
  const table = ctx.params.name as string;
  const format = formatOf(ctx);
  const columns = ctx.query
    .get('columns')
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const writer = createItemWriter(ctx.res, { format, ...(columns?.length ? { columns } : {}), end: true });
  // NOTE: the headers go with the first byte: a table that does not exist is still a JSON error.
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    ctx.res.writeHead(200, {
      'Content-Type': `${TYPES[format]}; charset=utf-8`,
      'Content-Disposition': `attachment; filename="${table}.${EXTENSIONS[format]}"`,
      'Cache-Control': 'no-store',
    });
  };
  await exportItems(
    ctx.clients,
    table,
    async (page: EncodedPage) => {
      start();
      await writer.writeEncoded(page);
    },
    { prepare: (page) => writer.encodePage(page), segments: 1 },
  );
  start();
  // NOTE: CSV has one set of columns (?columns=, else the first item's): items of other shapes are
  // left out, as `ddbctl export --format csv` leaves them out; ndjson and ddb-json take any shape.
  await writer.close();
  return undefined;
}

async function importTable(ctx: ApiContext, jobs: Jobs) {
  const table = ctx.params.name as string;
  const format = formatOf(ctx);
  const typesText = ctx.query.get('types');
  const types = typesText ? parseTypes(typesText) : undefined;
  const body = await readBody(ctx.req, MAX_IMPORT_BYTES);
  const job = jobs.start(async (j) => {
    const records = readItemBatches(Readable.from([body]), { format, ...(types ? { types } : {}) });
    const r = await importItems(ctx.clients, table, records, {
      onProgress: (p) => {
        j.read = p.read;
        j.written = p.written;
        j.failed = p.rejected;
      },
      onReject: (x) => {
        if (j.rejects.length < 20) j.rejects.push({ line: x.line, reason: x.reason });
      },
    });
    j.read = r.read;
    j.written = r.written;
    j.failed = r.rejected;
    if (r.stopped) j.error = { code: r.stopped.code, message: r.stopped.message };
  });
  return { job };
}

async function jobOf(ctx: ApiContext, jobs: Jobs) {
  const job = jobs.get(ctx.params.id as string);
  if (!job) throw new UiError(404, 'ui.notFound', 'no such job (jobs end with the server)');
  return job;
}

/** The routes of export, import and jobs, with the jobs of one server. */
export function transferRoutes(jobs: Jobs): Route[] {
  return [
    { method: 'GET', path: '/api/tables/:name/export', write: false, handler: exportTable },
    {
      method: 'POST',
      path: '/api/tables/:name/import',
      write: true,
      handler: (ctx) => importTable(ctx, jobs),
    },
    { method: 'GET', path: '/api/jobs/:id', write: false, handler: (ctx) => jobOf(ctx, jobs) },
  ];
}
