/** What every API handler is given: the request, its path parameters and the server's options. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clients } from '../../../core/clients.js';
import type { UiServerOptions } from '../options.js';

export interface ApiContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path's parameters (`:name`), decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  clients: Clients;
  opts: UiServerOptions;
  /** The target refuses writes (AWS without --allow-writes). */
  readOnly: boolean;
}

/** A handler answers with a value sent as JSON (status 200), or sends the answer itself (undefined). */
export type Handler = (ctx: ApiContext) => Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/api/tables/:name/item`: `:x` matches one path segment. */
  path: string;
  /** Changes data or tables: refused on a read-only target. */
  write: boolean;
  handler: Handler;
}
