// An Io for unit tests of the CLI's output: what a command writes, captured; the terminal's
// widths and whether it is one, chosen by the test.
import { PassThrough } from 'node:stream';
import type { Io } from '../../src/cli/context.js';

export function fakeIo(term: { isTTY?: boolean; columns?: number; stderrColumns?: number } = {}): {
  io: Io;
  out: () => string;
  err: () => string;
} {
  const text = { out: '', err: '' };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d) => {
    text.out += d;
  });
  stderr.on('data', (d) => {
    text.err += d;
  });
  const io: Io = { stdout, stderr, stdin: new PassThrough(), env: {}, isTTY: !!term.isTTY };
  if (term.columns) io.columns = term.columns;
  if (term.stderrColumns) io.stderrColumns = term.stderrColumns;
  return { io, out: () => text.out, err: () => text.err };
}
