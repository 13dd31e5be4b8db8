/** Options and helpers shared by several commands. */
import { Option } from '@commander-js/extra-typings';
import { DdbError } from '../../core/errors.js';

export function positiveInt(flag: string): (v: string) => number {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1) {
      throw new DdbError('usage.invalid', {
        message: `${flag} ${JSON.stringify(v)}: expected a whole number ≥ 1`,
      });
    }
    return Number(v);
  };
}

export const timeoutOption = () =>
  new Option('--timeout <seconds>', 'give up waiting after this many seconds')
    .default(300)
    .argParser(positiveInt('--timeout'));

/** A TCP port; 0 picks a free one. */
export function port(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) {
    throw new DdbError('usage.invalid', {
      message: `--port ${JSON.stringify(v)}: expected 0–65535 (0 picks a free port)`,
    });
  }
  return n;
}
