import { resolve } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { DdbError } from '../../core/errors.js';
import { describeTarget, sameTarget, type Target, type TargetFlags } from '../../core/target.js';
import { type CopyTableResult, copyTable } from '../../core/transfer/copyTable.js';
import { plural } from '../../core/util/plural.js';
import { commandLine } from '../commandLine.js';
import { type Cli, type GlobalOptions, resolveFlags, withTargets } from '../context.js';
import {
  callsJson,
  callsParts,
  count,
  createProgress,
  inFlightWords,
  line,
  ofTotal,
} from '../output/progress.js';
import { render } from '../output/render.js';
import { positiveInt, segmentsArg, tableArg } from './_options.js';

type Side = 'from' | 'to';
type SideOptions = {
  [K in `${Side}EndpointUrl` | `${Side}Region` | `${Side}Profile` | `${Side}DataDir`]?: string;
} & { [K in `${Side}Local` | `${Side}Aws`]?: boolean };

/** A side's target: its own --from-... or --to-... flags, or else the global target flags. */
function sideFlags(g: GlobalOptions, o: SideOptions, side: Side): TargetFlags {
  const own: TargetFlags = {
    ...(o[`${side}EndpointUrl`] ? { endpointUrl: o[`${side}EndpointUrl`] } : {}),
    // NOTE: the embedded engine of the global --data-dir (or --memory) when one is given: a
    // `--data-dir D ... --to-local` meant D, not ./.ddbctl.
    ...(o[`${side}Local`]
      ? { local: true, ...(g.dataDir ? { dataDir: g.dataDir } : {}), ...(g.memory ? { memory: true } : {}) }
      : {}),
    ...(o[`${side}Aws`] ? { aws: true } : {}),
    ...(o[`${side}DataDir`] ? { dataDir: o[`${side}DataDir`] } : {}),
  };
  const chosen = Object.keys(own).length > 0;
  const base: TargetFlags = chosen
    ? own
    : {
        ...(g.endpointUrl ? { endpointUrl: g.endpointUrl } : {}),
        ...(g.local ? { local: true } : {}),
        ...(g.aws ? { aws: true } : {}),
        ...(g.dataDir ? { dataDir: g.dataDir } : {}),
        ...(g.memory ? { memory: true } : {}),
      };
  const region = o[`${side}Region`] ?? g.region;
  const profile = o[`${side}Profile`] ?? g.profile;
  return { ...base, ...(region ? { region } : {}), ...(profile ? { profile } : {}) };
}

/** The side's own flags name it: any --from-... (or --to-...) flag, a region or profile too. */
function named(o: SideOptions, side: Side): boolean {
  return !!(
    o[`${side}EndpointUrl`] ||
    o[`${side}Local`] ||
    o[`${side}Aws`] ||
    o[`${side}DataDir`] ||
    o[`${side}Profile`] ||
    o[`${side}Region`]
  );
}

/**
 * NOTE: one side named and the other not would send the other to the default target, which is
 * AWS whenever credentials are in the environment: a copy to (or from) AWS nobody named. The
 * unnamed side must be named, by its own flags or by a global target flag.
 */
function checkBothNamed(g: GlobalOptions, o: SideOptions): void {
  const from = named(o, 'from');
  const to = named(o, 'to');
  if (from === to || g.endpointUrl || g.local || g.aws || g.dataDir || g.memory) return;
  const [unnamed, role] = from ? (['to', 'destination'] as const) : (['from', 'source'] as const);
  throw new DdbError('usage.invalid', {
    message: `the ${from ? 'source' : 'destination'} is named but not the ${role}: add --${unnamed}-local, --${unnamed}-endpoint-url URL, --${unnamed}-aws or --${unnamed}-region REGION (or a global --local / --endpoint-url / --aws for it); ddbctl does not pick the ${role} from the environment's credentials`,
  });
}

/**
 * A side's own region on the embedded engine: it has no regions (one data dir, one set of tables),
 * so the copy would go where the user did not mean (`--data-dir D copy-table A B --to-region
 * eu-west-1` copied into D). Refused, saying how to name AWS's region.
 */
function checkRegionHasMeaning(o: SideOptions, side: Side, t: Target): void {
  const region = o[`${side}Region`];
  if (!region || t.kind !== 'embedded') return;
  const role = side === 'from' ? 'source' : 'destination';
  throw new DdbError('usage.invalid', {
    message: `--${side}-region ${region} names a region, but the ${role} is the ${describeTarget(t)}, which has none (one set of tables): add --${side}-aws for DynamoDB in ${region} (or --${side}-endpoint-url URL), or leave --${side}-region out`,
  });
}

/** A copy of a table onto itself would rewrite every item and call it a copy: refused. */
function checkNotItself(from: Target, to: Target, src: string, dst: string): void {
  if (src !== dst || !sameTarget(from, to, (d) => resolve(d))) return;
  throw new DdbError('usage.invalid', {
    message: `the source and the destination are the same table ${src} on the ${describeTarget(from)}: a copy onto itself would only rewrite every item; name another destination table or target`,
  });
}

function sideOptions(cmd: Command, side: Side) {
  const w = side === 'from' ? 'source' : 'destination';
  return cmd
    .option(`--${side}-endpoint-url <url>`, `${w} endpoint`)
    .option(
      `--${side}-local`,
      `${w} is the embedded engine (of the global --data-dir or --memory when given)`,
    )
    .option(`--${side}-aws`, `${w} is Amazon DynamoDB`)
    .option(`--${side}-region <region>`, `${w} region (of AWS or an endpoint: the embedded engine has none)`)
    .option(`--${side}-profile <name>`, `${w} AWS profile`)
    .option(`--${side}-data-dir <dir>`, `${w} embedded engine data dir`);
}

export default function copyTableCommand(cli: Cli) {
  const cmd = new Command('copy-table')
    .description(
      "Copy every item of SRC into DST, between any two targets; DST is created with SRC's schema when it " +
        'does not exist, and the counts are verified at the end [API: Scan, BatchWriteItem, CreateTable]\n' +
        'Example: ddbctl copy-table Users Users --from-local --to-aws --to-region eu-west-1\n' +
        'Name both sides or neither: any --from-... flag (a region or profile too) names the source, and then ' +
        'the destination must be named too (--to-local, --to-endpoint-url, --to-aws, --to-region, or a global ' +
        'target flag); it is never taken from credentials. A copy of a table onto itself is refused.\n' +
        "DST gets SRC's settings that CreateTable takes (billing and on-demand limits, indexes, stream, table " +
        'class, deletion protection, KMS key; not tags, TTL, PITR or a resource policy); one it cannot take is ' +
        "named in a note. An existing DST must have SRC's key schema: it is checked before anything is read.\n" +
        'Ctrl-C stops it with a line saying what was written and whether DST was created (exit 130); ' +
        'the same command again writes every item anew.',
    )
    .argument('<src>', 'source table', tableArg)
    .argument('<dst>', 'destination table', tableArg)
    .addOption(new Option('--segments <n>', 'parallel scan segments').default(4).argParser(segmentsArg))
    .addOption(
      new Option(
        '--concurrency <n>',
        'BatchWriteItem calls in flight, fixed (to an endpoint at most 128, its connections), still paced on throttling (default: adapts, from 16 up to 128, cut back and paced on throttling)',
      ).argParser(positiveInt('--concurrency')),
    );
  sideOptions(cmd as unknown as Command, 'from');
  sideOptions(cmd as unknown as Command, 'to');
  return cmd.action(async (src, dst, opts, c) => {
    const g = c.optsWithGlobals() as GlobalOptions;
    const o = opts as typeof opts & SideOptions;
    checkBothNamed(g, o);
    const from = sideFlags(g, o, 'from');
    const to = sideFlags(g, o, 'to');
    // Both sides decided before anything is opened: a copy onto itself is refused here.
    const fromTarget = await resolveFlags(cli, from);
    const toTarget = await resolveFlags(cli, to);
    checkRegionHasMeaning(o, 'from', fromTarget);
    checkRegionHasMeaning(o, 'to', toTarget);
    checkNotItself(fromTarget, toTarget, src, dst);
    // One target is opened once (the embedded engine's data dir takes one lock).
    const same = sameTarget(fromTarget, toTarget, (d) => resolve(d));
    const progress = createProgress(cli, { quiet: g.quiet });
    const r = await withTargets(
      cli,
      g,
      same ? [from] : [from, to],
      async ([a, b], signal) =>
        copyTable(
          { clients: a!.clients, table: src },
          { clients: (b ?? a)!.clients, table: dst },
          {
            segments: opts.segments,
            concurrency: opts.concurrency,
            signal,
            clock: cli.clock,
            onProgress: (p) => {
              if (!progress.enabled) return;
              const at = ofTotal(p.written, p.written, p.total);
              progress.update(
                `copy ${src} → ${dst}`,
                [
                  `${at.text} written`,
                  `${count(p.read)} read`,
                  `${count(p.retried)} retried`,
                  ...callsParts(p.concurrency),
                ],
                { items: p.written, fraction: at.fraction },
              );
            },
          },
        ),
      same ? ['source and destination'] : ['source', 'destination'],
      { interruptible: true },
    )
      .finally(() => progress.done())
      .catch((e: unknown) => {
        // A copy that stopped or left items unwritten still ends with its report (what was read,
        // written, counted), then its error: the error says why and how to go on.
        const d = e instanceof DdbError ? e.details : undefined;
        if (d && typeof d.written === 'number') {
          report({
            ...(d as Partial<CopyTableResult> & Pick<CopyTableResult, 'created' | 'read' | 'written'>),
            failed: Array.isArray(d.failed) ? (d.failed as CopyTableResult['failed']) : [],
          });
        }
        throw e;
      });
    /** The report: a line for people on stdout, or one document for scripts (-o json). */
    function report(r: Partial<CopyTableResult> & Pick<CopyTableResult, 'created' | 'read' | 'written'>) {
      const counts =
        r.sourceCount != null && r.destinationCount != null
          ? `: ${count(r.sourceCount)} in the source, ${count(r.destinationCount)} in the destination`
          : ` of ${plural(r.read, 'item')} read`;
      render(cli, g, {
        kind: 'report',
        json: {
          created: r.created,
          read: r.read,
          written: r.written,
          failed: r.failed?.length ?? 0,
          sourceCount: r.sourceCount ?? null,
          destinationCount: r.destinationCount ?? null,
          seconds: r.seconds ?? null,
          ...(r.concurrency ? { concurrency: callsJson(r.concurrency) } : {}),
          ...(r.notCarried ? { notCarried: r.notCarried } : {}),
          ...(r.interrupted ? { interrupted: true } : {}),
        },
        people: r.interrupted
          ? []
          : [
              `copied ${plural(r.written, 'item')} from ${src} to ${dst}${r.created ? ' (created)' : ''}${counts}${r.seconds !== undefined ? `, ${r.seconds.toFixed(1)} s` : ''}${r.concurrency ? `, ${line('', callsParts(r.concurrency, true))}` : ''}`,
            ],
      });
    }
    report(r);
    if (r.notCarried) {
      // A setting dropped is said, also with --quiet: the copy is not what the source is.
      cli.io.stderr.write(
        `ddbctl: note: ${dst} was created without ${src}'s ${r.notCarried.join(', ')}: the destination's engine does not support ${r.notCarried.length > 1 ? 'them' : 'it'}\n`,
      );
    }
    if (r.interrupted) {
      // One report of what is done and how to go on (also with --quiet); exit 130 as for any Ctrl-C.
      cli.io.stderr.write(
        `ddbctl: copy-table ${src} → ${dst} interrupted: ${plural(r.written, 'item')} written of ${count(r.read)} read (${inFlightWords(r.inFlight, 'writes')}); ${dst} ${r.created ? 'was created by this run' : 'existed before this run'}; the same command again writes every item anew: ${commandLine(c)}\n`,
      );
      cli.exitCode = 130;
    }
  });
}
