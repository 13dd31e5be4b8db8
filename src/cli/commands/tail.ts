import { Command, Option } from '@commander-js/extra-typings';
import { stringifyJson, toPlainValue } from '../../core/data/codec.js';
import { type StreamChange, tailStream } from '../../core/stream/tail.js';
import { plural } from '../../core/util/plural.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { render } from '../output/render.js';
import { rawItem } from '../output/result.js';
import { tableArg } from './_options.js';

/** A change as one JSON line: items in ddbctl's plain JSON (exact numbers, sets and binary tagged). */
function changeLine(c: StreamChange): Record<string, unknown> {
  return {
    event: c.event,
    keys: toPlainValue(c.keys),
    ...(c.new ? { new: toPlainValue(c.new) } : {}),
    ...(c.old ? { old: toPlainValue(c.old) } : {}),
    ...(c.time ? { time: c.time } : {}),
    sequence: c.sequence,
    ...(c.ttl ? { ttl: true } : {}),
  };
}

/** A change as DynamoDB Streams sent its record (-o raw): items in DynamoDB JSON, binary as base64. */
function rawRecord(c: StreamChange): Record<string, unknown> {
  const d = c.record.dynamodb ?? {};
  return {
    ...c.record,
    dynamodb: {
      ...d,
      ...(d.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: d.ApproximateCreationDateTime.getTime() / 1000 }
        : {}),
      Keys: rawItem(c.keys),
      ...(c.new ? { NewImage: rawItem(c.new) } : {}),
      ...(c.old ? { OldImage: rawItem(c.old) } : {}),
    },
  };
}

export default function tailCommand(cli: Cli) {
  return new Command('tail')
    .description(
      "Follow a table's stream like tail -f: one change a line as JSON {event, keys, new, old, time, sequence, " +
        'ttl (true for a deletion by TTL)}, from now or from the oldest record kept, across shards, until Ctrl-C ' +
        '(exit 130) [API: DescribeTable, DescribeStream, GetShardIterator, GetRecords]',
    )
    .argument(
      '<table>',
      'table name (its stream must be on: update-table TABLE --stream new-and-old-images)',
      tableArg,
    )
    .addOption(
      new Option(
        '--from <where>',
        'latest: changes made from now; trim-horizon: from the oldest record kept (24 h)',
      )
        .choices(['latest', 'trim-horizon'] as const)
        .default('latest' as const),
    )
    .addHelpText(
      'after',
      '\nOutput: -o table (default) and ndjson print one change a line; -o json a document a change;\n' +
        "-o raw each record as DynamoDB Streams sends it. Images are there as the stream's view type\n" +
        'keeps them (keys-only: keys alone).\n\n' +
        'Examples:\n' +
        '  ddbctl tail users\n' +
        '  ddbctl tail users --from trim-horizon | jq -c .keys',
    )
    .action(async (table, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const r = await withClients(
        cli,
        g,
        (clients, _target, signal) =>
          tailStream(clients, table, {
            from: opts.from,
            signal,
            clock: cli.clock,
            onReady: () => notice(cli, g, `following ${table} from ${opts.from} (Ctrl-C to stop)`),
            onChange: (c) => {
              const line = changeLine(c);
              // One change a line for people and -o ndjson; -o json: a document a change; -o raw: the record.
              render(cli, g, {
                kind: 'report',
                json: line,
                raw: [rawRecord(c)],
                people: [stringifyJson(line)],
              });
            },
          }),
        // NOTE: other commands write to the table meanwhile: on the embedded engine they use this
        // one's engine (served on loopback while tail runs) instead of waiting for tail to end; a
        // tail using another's engine takes the data dir over when that one stops.
        { interruptible: true, share: 'tail' },
      );
      notice(cli, g, `tail ${table} stopped after ${plural(r.changes, 'change')}`);
      if (r.interrupted) cli.exitCode = 130;
    });
}
