import { Command } from '@commander-js/extra-typings';
import { stringifyItem, toPlainValue } from '../../core/data/codec.js';
import { type LabStep, runLab } from '../../core/lab.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { tableArg, timeoutOption } from './_options.js';

export default function lab(cli: Cli) {
  return new Command('lab')
    .description(
      'Run the DynamoDB lab end to end: create (or reuse) the table, wait for ACTIVE, list tables, ' +
        'insert the sample item, read it back and verify every attribute and type ' +
        '[API: CreateTable, DescribeTable, TagResource, ListTables, PutItem, GetItem, DeleteTable]',
    )
    .option('--table-name <name>', 'table to create or reuse', tableArg, 'Users')
    .option('--cleanup', 'delete the table at the end and wait until it is gone')
    .addOption(timeoutOption())
    .action(async (opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const steps: LabStep[] = [];
      const report = await withClients(cli, g, (clients) =>
        runLab(
          clients,
          {
            tableName: opts.tableName,
            cleanup: !!opts.cleanup,
            timeoutSeconds: opts.timeout,
            clock: cli.clock,
          },
          (s) => {
            steps.push(s);
            render(cli, g, { kind: 'steps', lines: describeStep(s), scripts: 'none' });
          },
        ),
      );
      render(cli, g, {
        kind: 'report',
        json: {
          ...report,
          item: report.item ? toPlainValue(report.item) : null,
          steps: steps.map((s) => s.step),
        },
        people: [
          !report.item
            ? `✗ item username=ada not found in ${report.table} after the put`
            : report.kept
              ? '✗ lab done but --cleanup left the table (see step 6)'
              : report.ok
                ? '✓ lab passed'
                : '✗ lab failed: the item read back differs from the one inserted',
        ],
      });
      if (!report.ok) cli.exitCode = 1;
    });
}

function describeStep(s: LabStep): string[] {
  switch (s.step) {
    case 'create': {
      const keys = (s.table.KeySchema ?? []).map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ');
      const tp = s.table.ProvisionedThroughput;
      return s.outcome === 'created'
        ? [
            `1. created table ${s.table.TableName}: key ${keys}, ${tp?.ReadCapacityUnits}/${tp?.WriteCapacityUnits} read/write units`,
          ]
        : [`1. table ${s.table.TableName} already exists (status ${s.table.TableStatus}): reusing it`];
    }
    case 'wait':
      return [`2. table is ${s.status} (waited ${s.seconds.toFixed(1)} s)`];
    case 'tags':
      if (s.foreign) {
        return [
          `   tags: left as they are (the table existed before this run, not made by the lab)${
            s.result.supported
              ? `: ${
                  Object.entries(s.result.tags)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(', ') || 'none'
                }`
              : ''
          }`,
        ];
      }
      return s.result.supported
        ? [
            `   tags: ${Object.entries(s.result.tags)
              .map(([k, v]) => `${k}=${v}`)
              .join(
                ', ',
              )}${s.result.added.length ? ` (applied after creation: ${s.result.added.join(', ')})` : ''}`,
          ]
        : [`   tags: not applied: ${s.result.reason}`];
    case 'list':
      return [
        `3. tables (${s.tables.length}):`,
        ...s.tables.map((t) => `   ${t === s.table ? '*' : ' '} ${t}`),
      ];
    case 'put':
      return [`4. put item: ${stringifyItem(s.item)}`];
    case 'get': {
      const lines = [`5. read back: ${stringifyItem(s.item)}`];
      for (const c of s.checks) {
        lines.push(
          `   ${c.equal ? '✓' : '✗'} ${c.name}: ${c.expectedType}${c.equal ? '' : ` → ${c.actualType ?? 'missing'}`}`,
        );
      }
      return lines;
    }
    case 'delete':
      return [`6. deleted the table (gone after ${s.seconds.toFixed(1)} s)`];
    case 'keep':
      return [`6. not deleted: ${s.reason}`];
  }
}
