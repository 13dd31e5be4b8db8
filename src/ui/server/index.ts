/**
 * `ddbctl ui`'s server: the web app and its JSON API over HTTP, on 127.0.0.1 by default. It
 * reaches the target through the library's operations only (no second DynamoDB code path), never
 * prints (it hands events to its caller), and keeps the credentials to itself: answers carry
 * items, tables and errors, never the clients' configuration.
 * Security (guard.ts): every request needs the session cookie, a Host of ours, and a write needs
 * our Origin; a read-only target (AWS without allowWrites) refuses writes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostInUrl, listenError } from '../../core/util/listen.js';
import type { ApiContext, Route } from './api/context.js';
import { itemRoutes } from './api/items.js';
import { partiqlRoutes } from './api/partiql.js';
import { readRoutes } from './api/read.js';
import { specRoutes } from './api/spec.js';
import { tableRoutes } from './api/tables.js';
import { Jobs, transferRoutes } from './api/transfer.js';
import {
  checkHost,
  checkOrigin,
  checkSession,
  type HostRule,
  hostRule,
  newCookieName,
  newToken,
  sameToken,
  sessionCookie,
  setSecurityHeaders,
} from './guard.js';
import { errorBody, sendJson, statusOf, UiError } from './http.js';
import type { UiServerOptions } from './options.js';
import { sendStatic } from './static.js';

export type { UiEvent, UiServerOptions, UiTarget } from './options.js';

export interface UiServer {
  /** The URL to open, with the session token: `http://127.0.0.1:PORT/?token=T`. */
  url: string;
  /** The URL without the token (for messages that may be logged). */
  origin: string;
  close(): Promise<void>;
}

/** The API of one server (its import and export jobs, and their files, are its own). */
function routes(jobs: Jobs): Route[] {
  return [
    ...tableRoutes,
    ...readRoutes,
    ...itemRoutes,
    ...partiqlRoutes,
    ...specRoutes,
    ...transferRoutes(jobs),
  ];
}

/** A route's path as a pattern: `:x` is one segment. */
function compile(route: Route): { route: Route; re: RegExp; names: string[] } {
  const names: string[] = [];
  const re = new RegExp(
    `^${route.path.replace(/:([a-z]+)/g, (_, n: string) => {
      names.push(n);
      return '([^/]+)';
    })}$`,
  );
  return { route, re, names };
}

export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = newToken();
  const cookie = newCookieName();
  const readOnly = opts.target.kind === 'aws' && !opts.allowWrites;
  const jobs = new Jobs();
  const compiled = routes(jobs).map(compile);
  let allowed: HostRule = hostRule(host, 0);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://ui.invalid');
    const method = req.method ?? 'GET';
    try {
      checkHost(req, allowed);
      // The page opened with the printed URL: swap the token for the cookie, and drop it from the address bar.
      const given = url.searchParams.get('token');
      if (method === 'GET' && url.pathname === '/' && given !== null) {
        if (!sameToken(given, token)) {
          throw new UiError(
            401,
            'ui.session',
            'this token is not the current one: open the URL ddbctl ui printed last',
          );
        }
        res.writeHead(302, {
          Location: '/',
          'Set-Cookie': sessionCookie(token, cookie),
          'Cache-Control': 'no-store',
        });
        res.end();
        return;
      }
      checkSession(req, token, cookie);
      if (method !== 'GET' && method !== 'HEAD') checkOrigin(req);
      if (!url.pathname.startsWith('/api/')) {
        if ((method === 'GET' || method === 'HEAD') && (await sendStatic(res, opts.staticDir, url.pathname)))
          return;
        throw new UiError(404, 'ui.notFound', `no page ${url.pathname}`);
      }
      await api(req, res, url, method);
    } catch (e) {
      const status = statusOf(e);
      if (status === 500) opts.onEvent?.({ type: 'error', method, path: url.pathname, error: e });
      // NOTE: pages too answer {error: {code, message}}: one shape for every refusal (the browser
      // tests read the code of a page refused for its Host).
      if (res.headersSent) res.destroy();
      else sendJson(res, status, errorBody(e));
    } finally {
      opts.onEvent?.({ type: 'request', method, path: url.pathname, status: res.statusCode });
    }
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL, method: string) => {
    let pathFound = false;
    for (const { route, re, names } of compiled) {
      const m = re.exec(url.pathname);
      if (!m) continue;
      pathFound = true;
      if (route.method !== method) continue;
      if (route.write && readOnly) {
        throw new UiError(
          403,
          'ui.readOnly',
          'refused: this UI is read-only on AWS; start it with --allow-writes to change data or tables',
        );
      }
      const params: Record<string, string> = {};
      for (const [i, n] of names.entries()) {
        try {
          params[n] = decodeURIComponent(m[i + 1] as string);
        } catch {
          throw new UiError(400, 'usage.invalid', `${url.pathname}: the path is not valid URL encoding`);
        }
      }
      const ctx: ApiContext = {
        req,
        res,
        params,
        query: url.searchParams,
        clients: opts.clients,
        opts,
        readOnly,
      };
      const out = await route.handler(ctx);
      if (out !== undefined && !res.headersSent) sendJson(res, 200, out);
      return;
    }
    throw pathFound
      ? new UiError(405, 'ui.method', `${method} is not an operation of ${url.pathname}`)
      : new UiError(404, 'ui.notFound', `no API ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(listenError(e, host, `cannot serve the UI at ${hostInUrl(host)}:${opts.port ?? 0}`)),
    );
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowed = hostRule(host, port);
  // NOTE: a browser reaches 0.0.0.0 or :: as 127.0.0.1; the page is then opened there.
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : hostInUrl(host);
  const origin = `http://${shown}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => jobs.close()),
  };
}
