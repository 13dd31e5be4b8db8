// Shared by the browser tests: Debian's chromium driven by playwright-core, and `ddbctl ui`'s server
// started in-process against the engine of the run (test/setup/engine.ts).
// NOTE: playwright-core never downloads a browser (that is the `playwright` package's install step);
// the tests drive the chromium the system has, at CHROMIUM, and are skipped, saying so, without it.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
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

export { endpoint, root, testClients };
