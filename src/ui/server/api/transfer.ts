/**
 * Export and import through the library's exportItems / importItems and the formats of
 * `ddbctl export` / `ddbctl import`. The page exports with a job (POST .../export): the file is
 * written to a temporary file while the page polls the job for items written and left out, then
 * downloaded (GET /api/jobs/:id/file); a CSV export's left-out items can be downloaded too, as
 * `ddbctl export --format csv` writes them to its rejects file. GET .../export streams the file
 * directly (for scripts). Import: the file uploaded, then written by a job the page polls.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringifyItem } from '../../../core/data/codec.js';
import { getKeySchema } from '../../../core/data/keySchema.js';
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

/** Reasons of rejected records a job keeps for the page (the count has them all). */
const MAX_REJECT_REASONS = 20;

export interface Job {
  kind: 'import' | 'export';
  done: boolean;
  /** Import: records read from the file; export: items the scan read. */
  read: number;
  written: number;
  /** Import: records rejected; export: items left out of the file (CSV: not in its columns). */
  failed: number;
  /**
   * Import: the first rejected records, each its line and why. Export: why items were left out, one
   * entry per distinct reason (the first ones) with how many items it left out.
   */
  rejects: { line?: number; reason: string; count?: number }[];
  /** Export, once done: where to download the file, and the left-out items (ndjson: reason, item). */
  file?: string;
  rejectsFile?: string;
  error?: { code: string; message: string };
}

/** An export job's files on disk, and how to send them. */
interface JobFiles {
  file: { path: string; name: string; type: string };
  rejects?: { path: string; name: string; type: string };
}

/** The jobs of one server (imports and exports), by id; an export's files live in a temp dir. */
export class Jobs {
  private readonly jobs = new Map<string, Job>();
  private readonly files = new Map<string, JobFiles>();
  private dir: Promise<string> | undefined;

  start(kind: Job['kind'], run: (job: Job, id: string) => Promise<void>): string {
    const id = randomUUID();
    const job: Job = { kind, done: false, read: 0, written: 0, failed: 0, rejects: [] };
    this.jobs.set(id, job);
    for (const [old, j] of this.jobs) {
      if (this.jobs.size <= MAX_JOBS) break;
      if (j.done) this.drop(old);
    }
    void run(job, id)
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

  /** This server's temp dir (made on first use, removed by close()). */
  tempDir(): Promise<string> {
    this.dir ??= mkdtemp(join(tmpdir(), 'ddbctl-ui-'));
    return this.dir;
  }

  setFiles(id: string, files: JobFiles): void {
    this.files.set(id, files);
  }

  filesOf(id: string): JobFiles | undefined {
    return this.files.get(id);
  }

  private drop(id: string): void {
    this.jobs.delete(id);
    const f = this.files.get(id);
    this.files.delete(id);
    for (const p of [f?.file.path, f?.rejects?.path]) if (p) void rm(p, { force: true });
  }

  /** Remove every export's files (the server stops). */
  async close(): Promise<void> {
    if (this.dir) await rm(await this.dir, { recursive: true, force: true });
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

function columnsOf(ctx: ApiContext): string[] | undefined {
  const columns = ctx.query
    .get('columns')
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return columns?.length ? columns : undefined;
}

/** The download of a table's export: its file name and content type. */
function fileOf(table: string, format: Format) {
  return { name: `${table}.${EXTENSIONS[format]}`, type: `${TYPES[format]}; charset=utf-8` };
}

/**
 * GET .../export: the file streamed as the scan goes. NOTE: a CSV item outside the columns cannot
 * be told once the download has started: the download is then broken off (the browser shows it
 * failed), never completed without the item; before the first byte, it is a 409 saying why.
 */
async function exportTable(ctx: ApiContext) {
  const table = ctx.params.name as string;
  const format = formatOf(ctx);
  const columns = columnsOf(ctx);
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
      if (page.rejects.length > 0) {
        throw new UiError(
          409,
          'transfer.rejected',
          `${page.rejects[0]?.reason}; export from the page, which writes the other items and lists these`,
        );
      }
      start();
      await writer.writeEncoded(page);
    },
    { prepare: (page) => writer.encodePage(page), segments: 1 },
  );
  start();
  await writer.close();
  return undefined;
}

/**
 * POST .../export: an export job writing a temp file. CSV has one set of columns (?columns=, else
 * the first item's): items of other shapes are left out and counted, their reasons and the items
 * kept, as `ddbctl export --format csv` does; ndjson, json and ddb-json take any shape.
 * ?pageSize= sets the items per Scan call (smaller pages report progress more often).
 */
async function startExport(ctx: ApiContext, jobs: Jobs) {
  const table = ctx.params.name as string;
  const format = formatOf(ctx);
  const columns = columnsOf(ctx);
  const pageSizeText = ctx.query.get('pageSize');
  const pageSize = pageSizeText === null ? undefined : Number(pageSizeText);
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1)) {
    throw new UiError(
      400,
      'usage.invalid',
      `pageSize ${JSON.stringify(pageSizeText)}: expected a whole number ≥ 1`,
    );
  }
  const dir = await jobs.tempDir();
  const job = jobs.start('export', async (j, id) => {
    const path = join(dir, `${id}.${EXTENSIONS[format]}`);
    const rejectsPath = format === 'csv' ? join(dir, `${id}.rejects.ndjson`) : undefined;
    const out = createWriteStream(path);
    let rejectsOut: WriteStream | undefined;
    try {
      const writer = createItemWriter(out, { format, ...(columns ? { columns } : {}), end: true });
      await exportItems(
        ctx.clients,
        table,
        async (page: EncodedPage) => {
          await writer.writeEncoded(page);
          j.written += page.items;
          j.failed += page.rejects.length;
          for (const r of page.rejects) {
            // One entry a reason: a reason is often the same long text for many items.
            const same = j.rejects.find((x) => x.reason === r.reason);
            if (same) same.count = (same.count ?? 0) + 1;
            else if (j.rejects.length < MAX_REJECT_REASONS) j.rejects.push({ reason: r.reason, count: 1 });
            rejectsOut ??= createWriteStream(rejectsPath as string);
            // The line `ddbctl export` writes to its rejects file.
            rejectsOut.write(`{"reason":${JSON.stringify(r.reason)},"item":${stringifyItem(r.item)}}\n`);
          }
        },
        { prepare: (page) => writer.encodePage(page), segments: 1, ...(pageSize ? { pageSize } : {}) },
        (p) => {
          j.read = p.scanned;
        },
      );
      await writer.close();
    } finally {
      out.end();
      rejectsOut?.end();
      await Promise.all([finished(out), rejectsOut && finished(rejectsOut)].filter(Boolean));
    }
    jobs.setFiles(id, {
      file: { path, ...fileOf(table, format) },
      ...(rejectsOut && rejectsPath
        ? {
            rejects: {
              path: rejectsPath,
              name: `${table}.rejects.ndjson`,
              type: 'application/x-ndjson; charset=utf-8',
            },
          }
        : {}),
    });
    j.file = `/api/jobs/${id}/file`;
    if (rejectsOut) j.rejectsFile = `/api/jobs/${id}/rejects`;
  });
  return { job };
}

/** GET /api/jobs/:id/file and .../rejects: an export job's file, as a download. */
async function sendJobFile(ctx: ApiContext, jobs: Jobs, which: 'file' | 'rejects') {
  const files = jobs.filesOf(ctx.params.id as string);
  const f = files?.[which];
  if (!f) {
    throw new UiError(
      404,
      'ui.notFound',
      `no ${which === 'file' ? 'file' : 'left-out items'} for this job (an export that has not ended, or failed; jobs end with the server)`,
    );
  }
  const size = (await stat(f.path)).size;
  ctx.res.writeHead(200, {
    'Content-Type': f.type,
    'Content-Length': String(size),
    'Content-Disposition': `attachment; filename="${f.name}"`,
    'Cache-Control': 'no-store',
  });
  const input = createReadStream(f.path);
  input.pipe(ctx.res);
  await finished(ctx.res);
  return undefined;
}

async function importTable(ctx: ApiContext, jobs: Jobs) {
  const table = ctx.params.name as string;
  const format = formatOf(ctx);
  const typesText = ctx.query.get('types');
  const types = typesText ? parseTypes(typesText) : undefined;
  const body = await readBody(ctx.req, MAX_IMPORT_BYTES);
  const job = jobs.start('import', async (j) => {
    // The key first: a CSV header without its column stops the job at the header (as the CLI's).
    const schema = await getKeySchema(ctx.clients, table);
    const records = readItemBatches(Readable.from([body]), {
      format,
      key: schema,
      ...(types ? { types } : {}),
    });
    const r = await importItems(ctx.clients, table, records, {
      schema,
      onProgress: (p) => {
        j.read = p.read;
        j.written = p.written;
        j.failed = p.rejected;
      },
      onReject: (x) => {
        if (j.rejects.length < MAX_REJECT_REASONS) j.rejects.push({ line: x.line, reason: x.reason });
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
    {
      method: 'POST',
      path: '/api/tables/:name/export',
      write: false,
      handler: (ctx) => startExport(ctx, jobs),
    },
    { method: 'GET', path: '/api/jobs/:id', write: false, handler: (ctx) => jobOf(ctx, jobs) },
    {
      method: 'GET',
      path: '/api/jobs/:id/file',
      write: false,
      handler: (ctx) => sendJobFile(ctx, jobs, 'file'),
    },
    {
      method: 'GET',
      path: '/api/jobs/:id/rejects',
      write: false,
      handler: (ctx) => sendJobFile(ctx, jobs, 'rejects'),
    },
  ];
}
