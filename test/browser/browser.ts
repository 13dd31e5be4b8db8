// Shared by the browser tests: Debian's chromium driven by playwright-core, and `ddbctl ui`'s server
// started in-process against the engine of the run (test/setup/engine.ts).
// NOTE: playwright-core never downloads a browser (that is the `playwright` package's install step);
// the tests drive the chromium the system has, at CHROMIUM, and are skipped, saying so, without it.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createTable, waitForTable } from '../../src/index.js';
import { startUiServer, type UiTarget } from '../../src/ui/server/index.js';
import { endpoint, testClients } from '../helpers.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** Why the browser tests do not run here, or undefined when they do. */
export const skipReason = hasChromium
  ? undefined
  : `${CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)`;

const root = resolve(import.meta.dirname, '../..');

/**
 * A headless chromium. `hosts` are names the browser resolves to 127.0.0.1 (a foreign Host header,
 * as a DNS-rebinding page sends, without touching any resolver of the machine).
 */
export function launchBrowser(opts: { hosts?: string[] } = {}): Promise<Browser> {
  const rules = (opts.hosts ?? []).map((h) => `MAP ${h} 127.0.0.1`).join(', ');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      // The tests run as root in CI, where chromium's sandbox cannot start.
      '--no-sandbox',
      // Nothing but the pages under test: no update checks, field trials or safe-browsing lists.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--no-first-run',
      '--metrics-recording-only',
      ...(rules ? [`--host-resolver-rules=${rules}`] : []),
    ],
  });
}

/** A page of a fresh browser context (own cookies), in a fixed size and colour scheme. */
export async function newPage(
  browser: Browser,
  opts: { colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'light',
  });
  // A control that does not appear fails its step in 10 s, naming it, not the whole test at 60 s.
  context.setDefaultTimeout(10_000);
  return { context, page: await context.newPage() };
}

/** Where a screenshot goes: docs/screenshots when DDBCTL_UPDATE_SCREENSHOTS=1 (for the README), else a temp dir. */
export function screenshotPath(name: string): string {
  const dir =
    process.env.DDBCTL_UPDATE_SCREENSHOTS === '1'
      ? join(root, 'docs/screenshots')
      : join(tmpdir(), 'ddbctl-ui-screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** A plain page on another loopback port: another origin (the attacker's page of the CSRF tests). */
export async function otherOrigin(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((res) => server.close(() => res())),
  };
}

export interface Ui {
  /** The URL `ddbctl ui` prints: the origin and `/?token=...`. */
  url: string;
  /** http://127.0.0.1:PORT, without the token. */
  origin: string;
  close(): Promise<void>;
  /** Every request the server answered: what reached it, whatever the browser showed the page. */
  requests: { method: string; path: string; status: number }[];
}

/**
 * The UI's server, in-process, on 127.0.0.1 and a free port, for the engine of the run, serving the
 * built app (dist/ui, made by the project's global setup: `npm run build`).
 */
export async function startUi(opts: { allowWrites?: boolean; target?: UiTarget } = {}): Promise<Ui> {
  const requests: Ui['requests'] = [];
  const server = await startUiServer({
    clients: testClients(),
    target: opts.target ?? { kind: 'endpoint', label: `endpoint ${endpoint()}` },
    host: '127.0.0.1',
    port: 0,
    allowWrites: opts.allowWrites ?? true,
    staticDir: join(root, 'dist/ui'),
    onEvent: (e) => {
      if (e.type === 'request') requests.push({ method: e.method, path: e.path, status: e.status });
    },
  });
  return { ...server, requests };
}

/** A browser, the UI's server, and a page of it opened at `hash` (after the token's swap). */
export interface UiSession {
  browser: Browser;
  ui: Ui;
  page: Page;
  /** Close the browser and stop the server. */
  close(): Promise<void>;
}

export async function openUi(hash = '', opts: Parameters<typeof startUi>[0] = {}): Promise<UiSession> {
  const browser = await launchBrowser();
  const ui = await startUi(opts);
  const { page } = await newPage(browser);
  await page.goto(`${ui.url}${hash}`);
  return {
    browser,
    ui,
    page,
    close: async () => {
      await browser.close();
      await ui.close();
    },
  };
}

/** What a page's own script sees of a fetch: status 0 and type 'error' when the browser refused it. */
export interface PageFetch {
  status: number;
  type: string;
  body: string;
}

/** `fetch(url, init)` run by the page's script, as any script of that page's origin could. */
export function pageFetch(page: Page, url: string, init: RequestInit = {}): Promise<PageFetch> {
  return page.evaluate(
    async ([u, i]) => {
      try {
        const r = await fetch(u, i);
        return { status: r.status, type: r.type as string, body: await r.text() };
      } catch (e) {
        return { status: 0, type: 'error', body: String(e) };
      }
    },
    [url, init] as const,
  );
}

/** An on-demand table keyed by `id` (S) on the run's engine, once it is active. */
export async function tableById(name: string): Promise<void> {
  const clients = testClients();
  await createTable(clients, {
    tableName: name,
    partitionKey: { name: 'id', type: 'S' },
    throughput: 'on-demand',
  });
  await waitForTable(clients, name, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
}

export { endpoint, root, testClients };
