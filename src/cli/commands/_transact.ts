/** What transact and transact-get share: reading the list argument, and a cancellation for scripts. */
import { toPlainValue } from '../../core/data/codec.js';
import type { CancellationReason } from '../../core/data/transact/index.js';
import { isDdbError } from '../../core/errors.js';
import type { Cli, GlobalOptions, Io } from '../context.js';
import { render } from '../output/render.js';
import { plainItem, rawItem } from '../output/result.js';
import { readJsonArgument } from './_input.js';

/** The text of a FILE|- argument holding a list (JSON array or NDJSON); an inline JSON array too. */
export async function readListArgument(
  io: Io,
  arg: string,
  what: string,
): Promise<{ text: string; where: string }> {
  if (arg.trimStart().startsWith('[')) return { text: arg, where: what };
  return readJsonArgument(io, arg, what);
}

/**
 * A cancelled transaction, for scripts: each action's reason on stdout (the error line is on
 * stderr, exit code 1). -o raw: DynamoDB's own CancellationReasons. Other errors print nothing.
 */
export function printCancellation(cli: Cli, g: GlobalOptions, e: unknown): never {
  if (isDdbError(e, 'transaction.cancelled')) {
    const reasons = (e.details?.reasons ?? []) as CancellationReason[];
    const json = {
      ok: false,
      cancelled: true,
      reasons: reasons.map((r) => ({
        ...r,
        key: toPlainValue(r.key),
        ...(r.item ? { item: plainItem(r.item) } : {}),
      })),
    };
    render(cli, g, {
      kind: 'report',
      json,
      raw: [
        {
          CancellationReasons: reasons.map((r) => ({
            Code: r.code,
            ...(r.message ? { Message: r.message } : {}),
            ...(r.item ? { Item: rawItem(r.item) } : {}),
          })),
        },
      ],
      people: [],
    });
  }
  throw e;
}
