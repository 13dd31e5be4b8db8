import { Command, Option } from '@commander-js/extra-typings';
import { getKeySchema } from '../../core/data/keySchema.js';
import { updateItem } from '../../core/data/updateItem.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { conditionOptions, parseKeyArgs } from './_input.js';
import { collect, conditionOption, ddbJsonOption, namesOption, tableArg, valuesOption } from './_options.js';

export default function updateCommand(cli: Cli) {
  return new Command('update')
    .description(
      'Update attributes of one item (created when missing) and print it [API: UpdateItem]\n' +
        "Examples: --set 'age = 37' --set 'logins = logins + 1' --add 'roles {\"$set\":[\"ops\"]}' --remove email",
    )
    .argument('<table>', 'table name', tableArg)
    .argument('<key...>', 'the key: attr=value pairs or JSON')
    .option(
      '--set <action>',
      'path = value | path = a + b | path = if_not_exists(p, v) (repeatable)',
      collect,
      [] as string[],
    )
    .option('--add <action>', 'path value: add to a number or a set (repeatable)', collect, [] as string[])
    .option('--remove <path>', 'remove an attribute or list element (repeatable)', collect, [] as string[])
    .option('--delete <action>', 'path set: remove elements from a set (repeatable)', collect, [] as string[])
    .option(
      '--append <action>',
      'path = value: append to a list, created when missing (repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '--if-not-exists <action>',
      'path = value: set only when the attribute does not exist (repeatable)',
      collect,
      [] as string[],
    )
    .option('--expression <expr>', 'a raw UpdateExpression with your own --names/--values placeholders')
    .addOption(conditionOption())
    .addOption(namesOption())
    .addOption(valuesOption())
    .addOption(ddbJsonOption())
    .addOption(
      new Option('--return <what>', 'what to print')
        .choices(['new', 'old', 'updated-new', 'updated-old', 'none'] as const)
        .default('new' as const),
    )
    .action(async (table, keyArgs, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const condition = conditionOptions(opts);
      const r = await withClients(cli, g, async (clients) => {
        const key = parseKeyArgs(keyArgs, await getKeySchema(clients, table), !!opts.ddbJson);
        return updateItem(clients, table, key, {
          actions: {
            set: opts.set,
            add: opts.add,
            remove: opts.remove,
            delete: opts.delete,
            append: opts.append,
            setIfNotExists: opts.ifNotExists,
          },
          ...(opts.expression !== undefined ? { expression: opts.expression } : {}),
          ...condition,
          returnValues: opts.return,
        });
      });
      // NOTE: nothing to show for people when nothing was asked back (--return none); null for scripts.
      render(cli, g, r.item ? { kind: 'item', item: r.item } : { kind: 'report', json: null, people: [] });
    });
}
