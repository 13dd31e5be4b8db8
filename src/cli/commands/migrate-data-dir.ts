import { Command } from '@commander-js/extra-typings';
import { createClients } from '../../core/clients.js';
import { DdbError } from '../../core/errors.js';
import type { Target } from '../../core/target.js';
import { copyTables } from '../../core/transfer/copyTables.js';
import { plural } from '../../core/util/plural.js';
import type { LegacyMigration } from '../../engine/index.js';
import { commandLine } from '../commandLine.js';
import {
  type Cli,
  embeddedClients,
  type GlobalOptions,
  notice,
  resolveFlags,
  warn,
  withSignals,
} from '../context.js';
import { count, createProgress, ofTotal } from '../output/progress.js';
import { render } from '../output/render.js';

export default function migrateDataDirCommand(cli: Cli) {
  return new Command('migrate-data-dir')
    .description(
      "Carry a data dir of ddbctl's previous embedded engine (dynalite's LevelDB files in <data-dir>/db) over to " +
        'this engine, exactly: every table re-created with its keys, indexes, billing, throughput and tags, every ' +
        'item copied, the counts verified; then <data-dir>/db is moved aside to <data-dir>/db.dynalite-<time> ' +
        '(never deleted) [API: ListTables, DescribeTable, CreateTable, Scan, BatchWriteItem, TagResource]\n' +
        'Example: ddbctl migrate-data-dir --data-dir ./.ddbctl\n' +
        'It reads the old files with dynalite 4.0.0, the previous engine; when that is ' +
        'missing, it says how to install it. A failure, or Ctrl-C (exit 130), leaves ' +
        '<data-dir>/db untouched, removes the partial new store and names the tables ' +
        'that arrived and those that did not; the same command again starts afresh.',
    )
    .action(async (_opts, c) => {
      const g = c.optsWithGlobals() as GlobalOptions;
      if (g.endpointUrl || g.aws || g.memory) {
        throw new DdbError('usage.invalid', {
          message:
            'migrate-data-dir carries an embedded engine data dir over: pass --data-dir DIR (or nothing, for DDBCTL_DATA_DIR or ./.ddbctl), not --endpoint-url, --aws or --memory',
        });
      }
      const target = (await resolveFlags(cli, { ...g, local: true })) as Target & { kind: 'embedded' };
      const { openLegacyMigration } = await import('../../engine/index.js');
      const progress = createProgress(cli, { quiet: g.quiet });
      let m: LegacyMigration | undefined;
      let settled = false;
      const abandon = async () => {
        if (!m || settled) return undefined;
        settled = true;
        return m.abandon();
      };
      const r = await withSignals(
        abandon,
        async (signal) => {
          m = await openLegacyMigration({
            dataDir: target.dataDir as string,
            region: target.region,
            onWait: (w) => notice(cli, g, w),
            onWarning: (w) => notice(cli, g, w),
          });
          const from = createClients({
            region: target.region,
            endpoint: m.legacyEndpoint,
            credentials: 'local',
            env: cli.io.env,
            label: `the previous engine (${m.legacyDir})`,
          });
          const to = embeddedClients(m.engine, target, { env: cli.io.env });
          notice(cli, g, `source: ${from.label.replace(/^the /, '')}, dynalite, read only`);
          notice(cli, g, `destination: ${to.label.replace(/^the /, '')}, a new store in ${m.storeDir}`);
          try {
            const r = await copyTables(from, to, {
              signal,
              clock: cli.clock,
              onProgress: (p) => {
                const at = ofTotal(p.written, p.written, p.total);
                progress.update(`${p.table} (${p.index}/${p.tables})`, [
                  `${at.text} written`,
                  `${count(p.read)} read`,
                ]);
              },
              onTable: (t) => {
                progress.done();
                notice(cli, g, `${t.table}: ${plural(t.items, 'item')} copied, counts verified`);
              },
            });
            if (r.interrupted) return { ...r, problem: await abandon() };
            settled = true;
            return { ...r, movedTo: await m.finish() };
          } catch (e) {
            const problem = await abandon();
            if (e instanceof DdbError) {
              // NOTE: Error.message is writable; the code, cause and details stay the error's own.
              e.message = `${e.message}. ${m.legacyDir} is untouched; ${problem ?? `the partial copy in ${m.storeDir} was removed`}; once the cause is fixed, the same command again starts afresh: ${commandLine(c)}`;
            }
            throw e;
          } finally {
            from.destroy();
            to.destroy();
          }
        },
        { interruptible: true },
      ).finally(() => progress.done());
      const items = r.copied.reduce((n, t) => n + t.items, 0);
      render(cli, g, {
        kind: 'report',
        json: { dataDir: m?.dataDir, ...r },
        people: r.interrupted
          ? []
          : [
              `carried ${plural(r.copied.length, 'table')} (${plural(items, 'item')}) of data dir ${m?.dataDir} over to this engine; the previous engine's files were moved aside to ${'movedTo' in r ? r.movedTo : ''}`,
            ],
      });
      if (r.interrupted) {
        // One report of what is done (also with --quiet); exit 130 as for any Ctrl-C.
        warn(
          cli,
          `migrate-data-dir interrupted: ${m?.legacyDir} is untouched; ${'problem' in r && r.problem ? r.problem : `the partial copy in ${m?.storeDir} was removed`}; tables copied before the stop: ${r.copied.map((t) => t.table).join(', ') || 'none'}; not copied: ${r.notCopied.join(', ')}; the same command again starts afresh: ${commandLine(c)}`,
        );
        cli.exitCode = 130;
      }
    });
}
