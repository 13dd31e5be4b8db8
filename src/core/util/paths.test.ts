// makeDirs: `mkdir -p` that makes every missing folder from the top down and fails at once where
// node's own recursive mkdir would loop (a folder under /proc).
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirs } from './paths.js';

const dir = mkdtempSync(join(tmpdir(), 'ddbctl-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeDirs', () => {
  it('makes every missing folder, and leaves one that is there as it is', () => {
    const deep = join(dir, 'a', 'b', 'c');
    makeDirs(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    writeFileSync(join(deep, 'kept'), 'x');
    makeDirs(deep);
    makeDirs(`${deep}/`);
    expect(existsSync(join(deep, 'kept'))).toBe(true);
  });

  it('throws the error of the folder it could not make: a file in the way, or one the file system refuses', () => {
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    expect(() => makeDirs(file)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => makeDirs(join(file, 'x', 'y'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    // Linux: mkdir under /proc says ENOENT (node's recursive mkdir retries it for ever).
    if (existsSync('/proc/self'))
      expect(() => makeDirs('/proc/ddbctl-none/x')).toThrow(
        expect.objectContaining({ code: 'ENOENT', path: '/proc/ddbctl-none' }),
      );
  });
});
