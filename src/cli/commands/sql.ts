import { Command } from '@commander-js/extra-typings';
import { fromPlainValue, type ItemValue, parseLosslessJson } from '../../core/data/codec.js';
import { executeStatementInput, executeStatementPages } from '../../core/data/partiql.js';
import { DdbError } from '../../core/errors.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { collect, positiveInt } from './_options.js';

const EXAMPLES = `
Table and attribute names go in double quotes, strings in single quotes; values are best passed
as ? parameters, in order, each a JSON value (numbers exact; {"$set": [...]} for a set):
  ddbctl sql 'SELECT * FROM "Orders" WHERE id = ?' --param '"o1"'
  ddbctl sql "INSERT INTO \\"Orders\\" VALUE {'id': ?, 'total': ?}" --param '"o2"' --param 12.50
  ddbctl sql 'UPDATE "Orders" SET total = total + ? WHERE id = ?' --param 5 --param '"o1"'
A SELECT that fixes the partition key with = or IN reads as a query; any other reads the whole
table (a scan): cap it with --limit. Every engine runs it, the embedded one too.
`;

/** `--param` values: each one JSON value. */
export function parseParams(texts: readonly string[]): ItemValue[] {
  return texts.map((text, i) => {
    const long = text.length > 40;
    const where = `--param ${i + 1} (${JSON.stringify(long ? `${text.slice(0, 40)}…` : text)})`;
    // Text that starts as JSON does (an object, a list, a string, a number, a literal) is JSON
    // with a fault, said as such (a key given twice, nesting too deep); other text is most often a
    // string whose quotes the shell took.
    if (/^\s*([[{"]|-?\d|(true|false|null)\b)/.test(text))
      return fromPlainValue(parseLosslessJson(text, where, ''), where);
    let value: unknown;
    try {
      value = parseLosslessJson(text, where);
    } catch {
      throw new DdbError('input.json', {
        message: `${where}: not a JSON value; a string needs JSON quotes inside the shell's: ${long ? `--param '"…"'` : `--param '${JSON.stringify(text)}'`}`,
      });
    }
    return fromPlainValue(value, where);
  });
}

export default function sqlCommand(cli: Cli) {
  return new Command('sql')
    .description('Run one PartiQL statement: SELECT, INSERT, UPDATE or DELETE [API: ExecuteStatement]')
    .argument('<statement>', 'the PartiQL statement, such as \'SELECT * FROM "Orders" WHERE id = ?\'')
    .option('--param <json>', 'the value of the next ? as JSON: 5, \'"text"\', true (repeatable)', collect)
    .option('--limit <n>', 'at most N items in total (across pages)', positiveInt('--limit'))
    .option(
      '--page-size <n>',
      'items evaluated per request (ExecuteStatement Limit), a page size, not a total',
      positiveInt('--page-size'),
    )
    .option('--consistent', 'strongly consistent read')
    .addHelpText('after', EXAMPLES)
    .action(async (statement, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const stmtOpts = {
        params: parseParams(opts.param ?? []),
        ...(opts.limit === undefined ? {} : { limit: opts.limit }),
        ...(opts.pageSize === undefined ? {} : { pageSize: opts.pageSize }),
        ...(opts.consistent ? { consistent: true } : {}),
      };
      // Check before connecting: a bad statement or parameter count is a usage error that starts nothing.
      executeStatementInput(statement, stmtOpts);
      // NOTE: render writes nothing of a stream before its first page, so a statement the endpoint rejects
      // leaves stdout empty.
      const verb = /^\s*(\w+)/.exec(statement)?.[1]?.toUpperCase() ?? '';
      await withClients(cli, g, (clients) =>
        render(cli, g, {
          kind: 'items',
          pages: executeStatementPages(clients, statement, stmtOpts),
          people: {
            empty: verb === 'SELECT' ? '(no items)' : `executed ${verb || 'the statement'}`,
            tally: true,
          },
        }),
      );
    });
}
