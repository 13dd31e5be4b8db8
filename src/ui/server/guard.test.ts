import type { IncomingMessage } from 'node:http';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { isSelect } from './api/partiql.js';
import { canonicalText, itemIn } from './ddbJson.js';
import {
  allowedHosts,
  checkOrigin,
  cookieToken,
  hostRule,
  isOurHost,
  newCookieName,
  newToken,
  sameToken,
  sessionCookie,
} from './guard.js';

describe('the session token and cookie', () => {
  it('makes a new 32-character URL-safe token each time', () => {
    const a = newToken();
    expect(a).toMatch(/^[\w-]{32}$/);
    expect(newToken()).not.toBe(a);
  });

  it('reads its cookie among others, and compares tokens exactly', () => {
    expect(cookieToken('a=1; ddbctl_ui_ab12=T0k; b=2', 'ddbctl_ui_ab12')).toBe('T0k');
    expect(cookieToken('xddbctl_ui_ab12=T0k', 'ddbctl_ui_ab12')).toBeUndefined();
    // Another UI's cookie (another start) is not this one's session.
    expect(cookieToken('ddbctl_ui_cd34=T0k', 'ddbctl_ui_ab12')).toBeUndefined();
    expect(cookieToken(undefined, 'ddbctl_ui_ab12')).toBeUndefined();
    expect(newCookieName()).toMatch(/^ddbctl_ui_[0-9a-f]{12}$/);
    expect(newCookieName()).not.toBe(newCookieName());
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abd', 'abc')).toBe(false);
    expect(sameToken('ab', 'abc')).toBe(false);
    expect(sameToken(undefined, 'abc')).toBe(false);
    expect(sessionCookie('T', 'ddbctl_ui_ab12')).toBe('ddbctl_ui_ab12=T; HttpOnly; SameSite=Strict; Path=/');
  });
});

describe('allowedHosts', () => {
  it('takes the local names and the bound host, with our port or none, never another name', () => {
    const a = allowedHosts('127.0.0.1', 5000);
    for (const h of ['localhost:5000', '127.0.0.1:5000', '[::1]:5000', 'localhost'])
      expect(a.has(h)).toBe(true);
    for (const h of [
      'evil.example:5000',
      'localhost:5001',
      '127.0.0.2:5000',
      'localhost.evil.example:5000',
    ]) {
      expect(a.has(h)).toBe(false);
    }
    expect(allowedHosts('::1', 7).has('[::1]:7')).toBe(true);
    expect(allowedHosts('My-Host.lan', 7).has('my-host.lan:7')).toBe(true);
  });
});

describe('isOurHost and checkOrigin', () => {
  it('takes any address (never a name) on a wildcard bind, with our port', () => {
    const any = hostRule('0.0.0.0', 80);
    for (const h of ['192.168.1.5:80', '[fe80::1]:80', 'localhost:80']) expect(isOurHost(h, any)).toBe(true);
    for (const h of ['192.168.1.5:81', 'nas.lan:80', '1.2.3.4.evil.example:80', '192.168.1.5']) {
      expect(isOurHost(h, any)).toBe(false);
    }
    expect(isOurHost('192.168.1.5:80', hostRule('127.0.0.1', 80))).toBe(false);
  });

  it('takes a write whose Origin is the address it came to, and nothing else', () => {
    const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
    expect(() => checkOrigin(req({ host: '127.0.0.1:80', origin: 'http://127.0.0.1:80' }))).not.toThrow();
    for (const origin of ['http://localhost:80', 'http://127.0.0.1:81', 'https://127.0.0.1:80', 'null']) {
      expect(() => checkOrigin(req({ host: '127.0.0.1:80', origin }))).toThrow(/Origin/);
    }
    expect(() => checkOrigin(req({ host: '127.0.0.1:80' }))).toThrow(/Origin/);
  });
});

describe('isSelect', () => {
  it('tells a SELECT from the statements that write', () => {
    expect(isSelect('SELECT * FROM "t"')).toBe(true);
    expect(isSelect('  select a FROM t')).toBe(true);
    expect(isSelect('-- read\n/* all */ SELECT * FROM t')).toBe(true);
    for (const s of [
      'INSERT INTO t VALUE {}',
      'UPDATE t SET a=1',
      'DELETE FROM t',
      'selector',
      'EXISTS(SELECT 1)',
    ]) {
      expect(isSelect(s)).toBe(false);
    }
  });
});

describe('canonicalText', () => {
  it('is equal for the same item whatever the order of attributes and set members, or a number written otherwise', () => {
    const a = itemIn(
      { a: { SS: ['x', 'y'] }, n: { N: '1.50' }, m: { M: { b: { NS: ['2', '10'] }, a: { N: '1' } } } },
      'a',
    );
    const b = itemIn(
      { m: { M: { a: { N: '1' }, b: { NS: ['10', '2.0'] } } }, n: { N: '1.5' }, a: { SS: ['y', 'x'] } },
      'b',
    );
    expect(canonicalText(a)).toBe(canonicalText(b));
    expect(canonicalText({ n: new NumberValue('1.5') })).not.toBe(canonicalText({ n: '1.5' }));
    expect(canonicalText({ l: [1, 2].map((x) => new NumberValue(String(x))) })).not.toBe(
      canonicalText({ l: [2, 1].map((x) => new NumberValue(String(x))) }),
    );
  });
});
