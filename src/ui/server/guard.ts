/**
 * The UI server's security, in one place: the session (a random token in the printed URL swapped
 * for an HttpOnly SameSite=Strict cookie), the Host header (against DNS rebinding: a page of
 * another site whose name is made to resolve to 127.0.0.1 sends its own name as Host), the Origin
 * of writes (against cross-site requests), and the headers every answer carries (a strict CSP, no
 * CORS headers ever, no referrer: the URL holds the token).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { hostInUrl } from '../../core/util/listen.js';
import { UiError } from './http.js';

/**
 * A session cookie's name, new at each start. NOTE: browsers keep cookies apart by host, not by
 * port: two UIs open at once in one browser would overwrite one fixed name's cookie, and the first
 * would lose its session.
 */
export function newCookieName(): string {
  return `ddbctl_ui_${randomBytes(6).toString('hex')}`;
}

/** A new session token: 192 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Whether `given` is the token, in time that does not depend on where they differ. */
export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session cookie's value in a Cookie header, if any. */
export function cookieToken(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(token: string, name: string): string {
  return `${name}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Host names that always mean this machine. */
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The names a request may carry in its Host header: the local names and the bound host, each with
 * this server's port (or without a port).
 */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set([...LOCAL_NAMES, hostInUrl(boundHost).toLowerCase()]);
  const out = new Set<string>();
  for (const n of names) {
    out.add(n);
    out.add(`${n}:${port}`);
  }
  return out;
}

/** The host names a request may carry, and whether any IP address may be one (a wildcard bind). */
export interface HostRule {
  names: Set<string>;
  port: number;
  /**
   * Bound to every interface (0.0.0.0, ::): the page is opened at any of the machine's addresses.
   * NOTE: an IP address is never a DNS rebinding: only a name can be made to resolve to us.
   */
  anyAddress: boolean;
}

export function hostRule(boundHost: string, port: number): HostRule {
  return {
    names: allowedHosts(boundHost, port),
    port,
    anyAddress: boundHost === '0.0.0.0' || boundHost === '::',
  };
}

/** Whether a Host header (or an origin's host) is ours. */
export function isOurHost(host: string, rule: HostRule): boolean {
  const h = host.toLowerCase();
  if (rule.names.has(h)) return true;
  if (!rule.anyAddress) return false;
  const m = /^(\[[0-9a-f:.]+\]|[0-9.]+):(\d+)$/.exec(h);
  return !!m && Number(m[2]) === rule.port && isIP((m[1] as string).replace(/^\[|\]$/g, '')) !== 0;
}

/** Refuses a request whose Host header is not one of ours (DNS rebinding). */
export function checkHost(req: IncomingMessage, rule: HostRule): void {
  if (!isOurHost(req.headers.host ?? '', rule)) {
    throw new UiError(
      403,
      'ui.host',
      `refused: the Host header ${JSON.stringify(req.headers.host ?? '')} is not this server's; open the URL ddbctl ui printed`,
    );
  }
}

/**
 * Refuses a write whose Origin is not the page's own: this server, at the address the request
 * came to (its Host, checked before).
 * NOTE: browsers send Origin on every POST, PUT and DELETE made by fetch; a request without one
 * is not from our page, so it is refused too.
 */
export function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  const own = `http://${(req.headers.host ?? '').toLowerCase()}`;
  if (origin?.toLowerCase() !== own || req.headers['sec-fetch-site'] === 'cross-site') {
    throw new UiError(
      403,
      'ui.origin',
      `refused: a write must come from this server's own page (Origin ${JSON.stringify(origin ?? '')})`,
    );
  }
}

/** Refuses a request without the session cookie (or with another token). */
export function checkSession(req: IncomingMessage, token: string, cookie: string): void {
  if (!sameToken(cookieToken(req.headers.cookie, cookie), token)) {
    throw new UiError(
      401,
      'ui.session',
      'no session: open the URL with the token that ddbctl ui printed (each start makes a new one)',
    );
  }
}

/**
 * Headers on every answer. NOTE: no Access-Control-* header ever: a page of another origin can
 * neither read an answer nor send a non-simple request. `default-src 'self'` keeps every script,
 * style, font and connection to this server; inline scripts are refused.
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; img-src 'self' data:",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}
