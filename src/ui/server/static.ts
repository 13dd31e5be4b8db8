/** The built web app (dist/ui), served as files; `/` is its index.html. */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ddbctl ui</title></head>
<body><h1>ddbctl ui: the web app is not built</h1>
<p>This ddbctl has no <code>dist/ui</code>. In a checkout of ddbctl, run <code>npm run build</code>, then start <code>ddbctl ui</code> again.
The API under <code>/api/</code> works without it.</p></body></html>`;

/** Send the file of `dir` that `path` names (`/` → index.html); false when there is none. */
export async function sendStatic(res: ServerResponse, dir: string, path: string): Promise<boolean> {
  let rel: string;
  try {
    rel = path === '/' ? 'index.html' : decodeURIComponent(path).replace(/^\/+/, '');
  } catch {
    return false; // Not a path (a stray %): no such file.
  }
  const file = normalize(join(dir, rel));
  // NOTE: never a file outside the app's folder (`/../../etc/passwd`, encoded or not).
  if (file !== normalize(dir) && !file.startsWith(normalize(dir) + sep)) return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    if (path !== '/') return false;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(NOT_BUILT);
    return true;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
  });
  res.end(body);
  return true;
}
