// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell script, where ${...} is the shell's own
/**
 * Shell completion: the commander program read into a model (commands, their flags and their
 * arguments), and the model written as a bash, zsh or fish script. The program is the one list of
 * commands and flags: nothing here names a command or a flag. Table names come at completion time
 * from `ddbctl [global options] __complete tables` (commands/completion.ts), which answers quickly
 * or with nothing.
 */
import type { Command, Option } from '@commander-js/extra-typings';

/** What a flag's value or an argument is completed with. */
export type Completes = 'nothing' | 'table' | 'file' | readonly string[];

export interface FlagModel {
  /** Its spellings: `-o`, `--output`. */
  names: string[];
  /** Whether it takes a value (the next word), and what completes it. */
  value?: Completes;
}

export interface CommandModel {
  name: string;
  summary: string;
  flags: FlagModel[];
  /** What completes each argument; the last one repeats when it is variadic (`<key...>`). */
  args: Completes[];
  variadic: boolean;
}

export interface CompletionModel {
  /** The program's own options (valid before and after a command). */
  globals: FlagModel[];
  commands: CommandModel[];
}

/** Argument names that hold a table (`<table>`, copy-table's `<src>` and `<dst>`) or a file. */
const TABLE_ARGS = new Set(['table', 'src', 'dst']);
const FILE_ARGS = new Set(['file', 'spec']);

type AnyCommand = Command<unknown[], Record<string, unknown>, Record<string, unknown>>;

function flagModel(o: Option): FlagModel {
  const names = [o.short, o.long].filter((n): n is string => !!n);
  if (!(o.required || o.optional)) return { names };
  const choices = (o as { argChoices?: string[] }).argChoices;
  if (choices) return { names, value: choices };
  return { names, value: /<(file|dir|path)>/.test(o.flags) ? 'file' : 'nothing' };
}

/** The model of `program`, whose commands are all added (hidden ones are left out). */
export function completionModel(program: AnyCommand): CompletionModel {
  const commands = program.commands
    .filter((c) => !(c as unknown as { _hidden?: boolean })._hidden)
    .map((c) => {
      const args = c.registeredArguments;
      return {
        name: c.name(),
        summary: c.summary() || (c.description().split('\n')[0] ?? ''),
        flags: [...c.options.filter((o) => !o.hidden).map(flagModel), { names: ['-h', '--help'] }],
        args: args.map(
          (a): Completes =>
            a.argChoices?.length
              ? a.argChoices
              : TABLE_ARGS.has(a.name())
                ? 'table'
                : FILE_ARGS.has(a.name())
                  ? 'file'
                  : 'nothing',
        ),
        variadic: !!args.at(-1)?.variadic,
      };
    });
  const globals = [...program.options.filter((o) => !o.hidden).map(flagModel), { names: ['-h', '--help'] }];
  return { globals, commands };
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, model: CompletionModel): string {
  return shell === 'fish' ? fishScript(model) : bashScript(model, shell === 'zsh');
}

/** Words for a shell's single-quoted string (no name or flag here holds a quote; checked anyway). */
function words(list: readonly string[]): string {
  const text = list.join(' ');
  if (text.includes("'")) throw new Error(`completion: a quote in ${text}`);
  return text;
}

const valueFlags = (flags: FlagModel[]) => flags.filter((f) => f.value !== undefined);

/** A bash `case` pattern of flag names, `--a|--b`. */
const pattern = (flags: FlagModel[]) => flags.flatMap((f) => f.names).join('|');

function bashScript(m: CompletionModel, zsh: boolean): string {
  const gWords = words(m.globals.flatMap((f) => f.names));
  /** A `case` arm completing a flag's value. */
  const valueArm = (labels: string[], v: Completes) =>
    `${labels.join('|')}) ${
      typeof v === 'string' ? 'COMPREPLY=()' : `COMPREPLY=($(compgen -W '${words(v)}' -- "$cur"))`
    }; return ;;`;
  const cmdLabels = (c: CommandModel, f: FlagModel) => f.names.map((n) => `"${c.name} ${n}"`);
  const lines = [
    zsh
      ? '#compdef ddbctl\n# ddbctl completion for zsh: add to ~/.zshrc:  source <(ddbctl completion zsh)\n' +
        '# (zsh runs this bash completion through bashcompinit)\nautoload -U +X bashcompinit && bashcompinit'
      : '# ddbctl completion for bash: add to ~/.bashrc:  source <(ddbctl completion bash)',
    '',
    '# The global options that take a value (the next word).',
    '_ddbctl_global_value() {',
    '  case $1 in',
    `    ${pattern(valueFlags(m.globals)) || '--'}) return 0 ;;`,
    '  esac',
    '  return 1',
    '}',
    '',
    '# Whether flag $2 of command $1 takes a value (the next word).',
    '_ddbctl_takes_value() {',
    '  case "$1 $2" in',
    ...m.commands.flatMap((c) =>
      valueFlags(c.flags).map((f) => `    ${cmdLabels(c, f).join('|')}) return 0 ;;`),
    ),
    '  esac',
    '  _ddbctl_global_value "$2"',
    '}',
    '',
    '# What completes argument $2 (from 0) of command $1: table, file or nothing.',
    '_ddbctl_arg() {',
    '  case $1 in',
    ...m.commands.map((c) => {
      const arms = c.args.map((a, i) =>
        c.variadic && i === c.args.length - 1 ? `*) echo ${argWord(a)} ;;` : `${i}) echo ${argWord(a)} ;;`,
      );
      return `    ${c.name}) case $2 in ${[...arms, ...(c.variadic ? [] : ['*) echo nothing ;;'])].join(' ')} esac ;;`;
    }),
    '  esac',
    '}',
    '',
    '_ddbctl() {',
    ...(zsh
      ? [
          "  # bashcompinit's COMP_WORDS and COMP_CWORD count from 0, as bash's do: so do zsh's arrays here.",
          '  setopt localoptions ksharrays',
        ]
      : []),
    '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}',
    '  local cmd= pos=0 i w',
    '  local -a target=()',
    '  # The command, the arguments before the cursor, and the global options (for the table names).',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    w=${COMP_WORDS[i]}',
    '    case $w in',
    '      --local|--aws|--memory) target+=("$w") ;;',
    '      --*=*) _ddbctl_global_value "${w%%=*}" && target+=("$w") ;;',
    '      -*)',
    '        if _ddbctl_takes_value "$cmd" "$w" && ((i + 1 < COMP_CWORD)); then',
    '          ((i++))',
    "          # bash splits --flag=value at '=' (COMP_WORDBREAKS): the value is the word after it.",
    '          if [[ ${COMP_WORDS[i]} == = ]] && ((i + 1 < COMP_CWORD)); then ((i++)); fi',
    '          _ddbctl_global_value "$w" && target+=("$w" "${COMP_WORDS[i]}")',
    '        fi ;;',
    '      *) if [[ -z $cmd ]]; then cmd=$w; else ((pos++)); fi ;;',
    '    esac',
    '  done',
    '  if [[ $prev == -* ]] && ((COMP_CWORD > 1)) && _ddbctl_takes_value "$cmd" "$prev"; then',
    '    case "$cmd $prev" in',
    ...m.commands.flatMap((c) =>
      valueFlags(c.flags).map((f) => `      ${valueArm(cmdLabels(c, f), f.value as Completes)}`),
    ),
    '    esac',
    '    case $prev in',
    ...valueFlags(m.globals).map((f) => `      ${valueArm(f.names, f.value as Completes)}`),
    '    esac',
    '    COMPREPLY=()',
    '    return',
    '  fi',
    '  if [[ $cur == -* ]]; then',
    '    case $cmd in',
    ...m.commands.map(
      (c) =>
        // NOTE: once each: -h/--help is the command's and the program's.
        `      ${c.name}) COMPREPLY=($(compgen -W '${words([...new Set([...c.flags, ...m.globals].flatMap((f) => f.names))])}' -- "$cur")) ;;`,
    ),
    `      *) COMPREPLY=($(compgen -W '${gWords}' -- "$cur")) ;;`,
    '    esac',
    '    return',
    '  fi',
    '  if [[ -z $cmd ]]; then',
    `    COMPREPLY=($(compgen -W '${words(m.commands.map((c) => c.name))}' -- "$cur"))`,
    '    return',
    '  fi',
    '  case $(_ddbctl_arg "$cmd" "$pos") in',
    '    table) COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "${target[@]}" __complete tables 2>/dev/null)" -- "$cur")) ;;',
    '    words:*) w=$(_ddbctl_arg "$cmd" "$pos"); w=${w#words:}; COMPREPLY=($(compgen -W "${w//,/ }" -- "$cur")) ;;',
    // A file, or nothing known: COMPREPLY stays empty, and `-o default` completes file names.
    '    *) COMPREPLY=() ;;',
    '  esac',
    '}',
    '',
    'complete -o default -F _ddbctl ddbctl',
  ];
  return `${lines.join('\n')}\n`;
}

/** An argument's kind as the scripts' helper functions answer it: choices as `words:a,b,c`. */
const argWord = (a: Completes) => (typeof a === 'string' ? a : `words:${a.join(',')}`);

/** fish: the quoted description of a command, one line. */
function fishQuote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fishFlag(f: FlagModel, condition: string | undefined): string {
  const parts = ['complete -c ddbctl'];
  if (condition) parts.push(`-n ${fishQuote(condition)}`);
  for (const n of f.names) parts.push(n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`);
  const v = f.value;
  if (v === 'file') parts.push('-r -F');
  else if (v === 'nothing' || v === 'table') parts.push('-r -f');
  else if (v) parts.push(`-r -f -a ${fishQuote(v.join(' '))}`);
  return parts.join(' ');
}

function fishScript(m: CompletionModel): string {
  const names = m.commands.map((c) => c.name).join(' ');
  const gValue = valueFlags(m.globals).flatMap((f) => f.names);
  const lines = [
    '# ddbctl completion for fish: add to ~/.config/fish/config.fish:  ddbctl completion fish | source',
    '',
    '# The global options typed so far (for the table names), and the argument the cursor is at.',
    'function __ddbctl_target',
    '  set -l words (commandline -opc)',
    '  set -l out',
    '  set -l i 2',
    '  while test $i -le (count $words)',
    '    switch $words[$i]',
    `      case ${gValue.join(' ')}`,
    '        set out $out $words[$i] $words[(math $i + 1)]',
    '        set i (math $i + 1)',
    '      case --local --aws --memory',
    '        set out $out $words[$i]',
    `      case ${gValue
      .filter((n) => n.startsWith('--'))
      .map((n) => `'${n}=*'`)
      .join(' ')}`,
    '        set out $out $words[$i]',
    '    end',
    '    set i (math $i + 1)',
    '  end',
    '  printf "%s\\n" $out',
    'end',
    '',
    'function __ddbctl_tables',
    '  set -l words (commandline -opc)',
    '  command $words[1] (__ddbctl_target) __complete tables 2>/dev/null',
    'end',
    '',
    '# Whether the cursor is at an argument of `command` that holds a table.',
    'function __ddbctl_at_table -a command',
    '  set -l words (commandline -opc)',
    '  set -l seen 0',
    '  set -l pos -1',
    '  set -l i 2',
    '  while test $i -le (count $words)',
    '    set -l w $words[$i]',
    '    if string match -q -- "-*" $w',
    `      if contains -- $w ${gValue.join(' ')} (__ddbctl_value_flags $command)`,
    '        set i (math $i + 1)',
    '      end',
    '    else if test $seen -eq 0',
    '      set seen 1',
    '    else',
    '      set pos (math $pos + 1)',
    '    end',
    '    set i (math $i + 1)',
    '  end',
    '  set pos (math $pos + 1)',
    '  set -l kinds (__ddbctl_args $command)',
    '  if test $pos -lt (count $kinds)',
    '    test "$kinds[(math $pos + 1)]" = table',
    '  else',
    '    test "$kinds[-1]" = ... -a "$kinds[-2]" = table',
    '  end',
    'end',
    '',
    'function __ddbctl_value_flags -a command',
    '  switch $command',
    ...m.commands.map(
      (c) =>
        `    case ${c.name}\n      printf "%s\\n" ${valueFlags(c.flags)
          .flatMap((f) => f.names)
          .join(' ')}`,
    ),
    '  end',
    'end',
    '',
    'function __ddbctl_args -a command',
    '  switch $command',
    ...m.commands.map(
      (c) =>
        `    case ${c.name}\n      printf "%s\\n" ${[...c.args.map(argWord), ...(c.variadic ? ['...'] : [])].join(' ') || 'nothing'}`,
    ),
    '  end',
    'end',
    '',
    'complete -c ddbctl -f',
    ...m.globals.map((f) => fishFlag(f, undefined)),
    ...m.commands.map(
      (c) =>
        `complete -c ddbctl -n ${fishQuote(`not __fish_seen_subcommand_from ${names}`)} -a ${c.name} -d ${fishQuote(c.summary)}`,
    ),
    ...m.commands.flatMap((c) => {
      const seen = `__fish_seen_subcommand_from ${c.name}`;
      return [
        ...c.flags.map((f) => fishFlag(f, seen)),
        ...(c.args.includes('table')
          ? [
              `complete -c ddbctl -n ${fishQuote(`${seen}; and __ddbctl_at_table ${c.name}`)} -a '(__ddbctl_tables)'`,
            ]
          : []),
        ...(c.args.includes('file') ? [`complete -c ddbctl -n ${fishQuote(seen)} -F`] : []),
        ...c.args
          .filter((a): a is readonly string[] => typeof a !== 'string')
          .map((a) => `complete -c ddbctl -n ${fishQuote(seen)} -a ${fishQuote(a.join(' '))}`),
      ];
    }),
  ];
  return `${lines.join('\n')}\n`;
}
