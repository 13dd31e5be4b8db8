import { DdbError } from '../../src/core/errors.js';

/** What `f` throws as "code: message" (a DdbError), or 'accepted' when it returns. */
export function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DdbError)) throw e;
    return `${e.code}: ${e.message}`;
  }
  return 'accepted';
}
