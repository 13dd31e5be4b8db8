/** The table of contents: global options and every command. */
import { Command, Option } from '@commander-js/extra-typings';
import apply from './commands/apply.js';
import batchGet from './commands/batch-get.js';
import batchWrite from './commands/batch-write.js';
import copyTable from './commands/copy-table.js';
import createTable from './commands/create-table.js';
import deleteItem from './commands/delete.js';
import deleteTable from './commands/delete-table.js';
import describeTable from './commands/describe-table.js';
import exportCmd from './commands/export.js';
import get from './commands/get.js';
import importCmd from './commands/import.js';
import lab from './commands/lab.js';
import listTables from './commands/list-tables.js';
import migrateDataDir from './commands/migrate-data-dir.js';
import plan from './commands/plan.js';
import put from './commands/put.js';
import query from './commands/query.js';
import scan from './commands/scan.js';
import serve from './commands/serve.js';
import sql from './commands/sql.js';
import transact from './commands/transact.js';
import transactGet from './commands/transact-get.js';
import truncate from './commands/truncate.js';
import update from './commands/update.js';
import updateTable from './commands/update-table.js';
import wait from './commands/wait.js';
import type { Cli } from './context.js';

export const VERSION = '0.1.0';

export function buildProgram(cli: Cli) {
  const program = new Command('ddbctl')
    .description(
      'Automate Amazon DynamoDB tables. Runs on an embedded engine by default (no AWS account needed), ' +
        'on AWS when credentials resolve, or on any endpoint with --endpoint-url.',
    )
    .version(VERSION)
    .option(
      '--endpoint-url <url>',
      'any DynamoDB-compatible endpoint (also AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL)',
    )
    .option('--local', "use the embedded engine (ddbctl's own, in this process)")
    .option('--aws', 'use Amazon DynamoDB; fails when no credentials resolve')
    .option('--region <region>', 'AWS region (also AWS_REGION, AWS_DEFAULT_REGION, the profile)')
    .option('--profile <name>', 'AWS profile from the shared config/credentials files')
    .option('--data-dir <dir>', 'embedded engine data folder (env DDBCTL_DATA_DIR; default ./.ddbctl)')
    .option('--memory', 'embedded engine keeping nothing on disk')
    .addOption(
      new Option(
        '-o, --output <format>',
        "table for people; for scripts: json (one document, exact numbers), ndjson (one JSON value a line), raw (DynamoDB's own shapes, one a line)",
      )
        .choices(['table', 'json', 'ndjson', 'raw'] as const)
        .default('table' as const),
    )
    .option('-q, --quiet', 'no notices on stderr (the target line, progress)')
    .option('--debug', 'stack traces on errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => cli.io.stdout.write(s),
      writeErr: (s) => cli.io.stderr.write(s),
      outputError: (s, write) =>
        // One line, also when commander adds a suggestion ("(Did you mean scan?)") on a line of its own.
        write(
          `ddbctl: ${s
            .replace(/^error: /, 'error: ')
            .trimEnd()
            .replace(/\s*\n\s*/g, ' ')} (see 'ddbctl --help')\n`,
        ),
    });
  for (const make of [
    lab,
    createTable,
    wait,
    listTables,
    describeTable,
    deleteTable,
    updateTable,
    plan,
    apply,
    put,
    get,
    batchWrite,
    batchGet,
    update,
    deleteItem,
    query,
    scan,
    transact,
    transactGet,
    sql,
    importCmd,
    exportCmd,
    copyTable,
    truncate,
    serve,
    migrateDataDir,
  ]) {
    const cmd = make(cli);
    cmd.copyInheritedSettings(program);
    program.addCommand(cmd);
  }
  return program;
}
