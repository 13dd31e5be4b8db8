/**
 * The UI server's security, in one place: the session (a random token in the printed URL swapped
 * for an HttpOnly SameSite=Strict cookie), the Host header (against DNS rebinding: a page of
 * another site whose name is made to resolve to 127.0.0.1 sends its own name as Host), the Origin
 * of writes (against cross-site requests), and the headers every answer carries (a strict CSP, no
 * CORS headers ever, no referrer: the URL holds the token).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UiError } from './http.js';

export const COOKIE = 'ddbctl_ui';

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
export function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(token: string): string {
  return `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Host names that always mean this machine. */
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `host` as it appears in a Host header or URL (an IPv6 address in brackets). */
export function hostInUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

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

/** Refuses a request whose Host header is not one of ours (DNS rebinding). */
export function checkHost(req: IncomingMessage, allowed: Set<string>): void {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowed.has(host)) {
    throw new UiError(
      403,
      'ui.host',
      `refused: the Host header ${JSON.stringify(req.headers.host ?? '')} is not this server's; open the URL ddbctl ui printed`,
    );
  }
}

/**
 * Refuses a write whose Origin is not this server's own (with a name the Host check accepts).
 * NOTE: browsers send Origin on every POST, PUT and DELETE made by fetch; a request without one
 * is not from our page, so it is refused too.
 */
export function checkOrigin(req: IncomingMessage, allowed: Set<string>, port: number): void {
  const origin = req.headers.origin;
  let ok = false;
  if (origin) {
    try {
      const u = new URL(origin);
      const host = u.host.toLowerCase();
      ok = u.protocol === 'http:' && u.port === String(port) && allowed.has(host) && u.origin === origin;
    } catch {
      ok = false;
    }
  }
  if (!ok || req.headers['sec-fetch-site'] === 'cross-site') {
    throw new UiError(
      403,
      'ui.origin',
      `refused: a write must come from this server's own page (Origin ${JSON.stringify(origin ?? '')})`,
    );
  }
}

/** Refuses a request without the session cookie (or with another token). */
export function checkSession(req: IncomingMessage, token: string): void {
  if (!sameToken(cookieToken(req.headers.cookie), token)) {
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
