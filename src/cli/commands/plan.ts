import { Command } from '@commander-js/extra-typings';
import { prepareSpecs, unmatchedError } from '../../core/spec/apply.js';
import { readSpecFile } from '../../core/spec/tableSpec.js';
import { type Cli, type GlobalOptions, warn, withClients } from '../context.js';
import { render } from '../output/render.js';
import { capsKind, planJson, planLines } from './_tables.js';

export default function planCommand(cli: Cli) {
  return new Command('plan')
    .description(
      'Print the ordered steps that would make the live tables match a spec file; changes nothing [API: DescribeTable, ListTagsOfResource, DescribeTimeToLive, DescribeContinuousBackups]',
    )
    .argument('<spec>', 'spec file: YAML or JSON; ddbctl format, CreateTable input or describe-table output')
    .addHelpText(
      'after',
      '\nEach step is labelled: [in place]; [slow (backfill)] for a new GSI; [limited] for changes DynamoDB\n' +
        'rations (billing switches, throughput decreases, TTL and table class changes: the note says how);\n' +
        '[REPLACEMENT] for a key schema or LSI change (copy-and-swap) or a GSI rebuilt (apply needs\n' +
        '--allow-replace). Steps the endpoint cannot do are listed as [cannot run here], with why, and the\n' +
        'plan then exits 1: applied there, the tables would not match the spec. Fields the spec leaves\n' +
        'out are unmanaged: they never produce a step.\n' +
        'Only when a step needs it, the endpoint is asked what it supports, with requests naming a table\n' +
        'that does not exist (nothing is created or changed).',
    )
    .action(async (file, _opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const specs = await readSpecFile(file, (m) => warn(cli, m));
      const plans = await withClients(cli, g, (clients, target) =>
        prepareSpecs(clients, specs, { kind: capsKind(target) }),
      );
      const tables = plans.map(planJson);
      render(cli, g, { kind: 'report', json: { tables }, lines: tables, people: plans.flatMap(planLines) });
      // A plan with steps this endpoint cannot run cannot reach the spec: exit 1, as apply would.
      const unmatched = unmatchedError(plans, false);
      if (unmatched) throw unmatched;
    });
}
