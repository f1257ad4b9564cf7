import { closestName } from '../../common/closest-name.js';
import { SluiceError } from '../../common/errors.js';

/** One flag of a CLI command: `--name <value>` (or a bare switch when `kind` is `switch`). */
export interface FlagSpec {
  /** The long name without dashes, e.g. `checkpoint`. */
  readonly name: string;
  /** `value` takes one argument; `switch` takes none; `list` takes one and may repeat. */
  readonly kind: 'value' | 'switch' | 'list';
  /** The placeholder shown in help, e.g. `<folder>`. */
  readonly placeholder?: string;
  /** What the flag does (one line). */
  readonly help: string;
  /** The default, as shown in help (`none` when omitted). */
  readonly defaultText?: string;
  /** Shown as `(required)` instead of a default. */
  readonly required?: boolean;
}

/** A command: its positional arguments, flags and examples, for parsing and for `--help`. */
export interface CommandSpec {
  /** The words after `sluice`, e.g. `checkpoint inspect`. */
  readonly name: string;
  /** Positional arguments as shown in the usage line, e.g. `<job file>`. */
  readonly positionals: readonly string[];
  /** One line for `sluice --help`. */
  readonly short: string;
  readonly summary: string;
  readonly flags: readonly FlagSpec[];
  readonly examples: readonly string[];
}

/** Parsed command line: positional arguments, flag values (a list for `list` flags, `true` for switches). */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | true | readonly string[]>>;
  /** True when `--help` or `-h` was given. */
  readonly help: boolean;
}

/**
 * A mistake on the command line (unknown flag, missing value, bad value). The CLI prints
 * its message with a pointer to `--help` and exits 2, without a stack trace.
 */
export class UsageError extends SluiceError {
  constructor(
    message: string,
    /** The command whose help to point at. */
    readonly command: string,
  ) {
    super('INVALID_ARGUMENT', message);
  }
}

/**
 * Parses `argv` (the words after the command name) against `spec`: `--flag value`,
 * `--flag=value`, switches, `--` ending the flags, `-h`/`--help` (which wins over any
 * mistake on the line). Throws {@link UsageError}
 * naming the closest flag for an unknown one, and saying which value is missing for a
 * value flag given last or followed by another flag.
 */
export function parseFlags(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  // Help wins over every other mistake on the line.
  const dashDash = argv.indexOf('--');
  const flagPart = dashDash < 0 ? argv : argv.slice(0, dashDash);
  if (flagPart.includes('--help') || flagPart.includes('-h')) return { positionals: [], values: {}, help: true };
  const byName = new Map(spec.flags.map((f) => [f.name, f]));
  const positionals: string[] = [];
  const values: Record<string, string | true | string[]> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (word === '--help' || word === '-h') {
      help = true;
      continue;
    }
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = (eq > 0 ? word.slice(0, eq) : word).replace(/^--?/, '');
    const flag = byName.get(name);
    if (flag === undefined) throw new UsageError(unknownFlagMessage(spec, word.slice(0, eq > 0 ? eq : undefined)), spec.name);
    if (flag.kind === 'switch') {
      if (eq > 0) throw new UsageError(`--${name} is a switch and takes no value (got '${word}').`, spec.name);
      values[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = word.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(
          `--${name} needs a value: --${name} ${flag.placeholder ?? '<value>'}${next === undefined ? '' : ` (got the flag '${next}' instead)`}.`,
          spec.name,
        );
      }
      value = next;
      i++;
    }
    if (flag.kind === 'list') ((values[name] as string[] | undefined) ?? (values[name] = [])).push(value);
    else values[name] = value;
  }
  return { positionals, values, help };
}

function unknownFlagMessage(spec: CommandSpec, given: string): string {
  const names = spec.flags.map((f) => `--${f.name}`);
  const closest = closestName(given.startsWith('--') ? given : `--${given.replace(/^-/, '')}`, names);
  const hint = closest === undefined ? '' : ` Did you mean '${closest}'?`;
  return `Unknown option '${given}' for 'sluice ${spec.name}'.${hint}`;
}

/** The `--help` text of a command: usage, flags with their defaults, examples. */
export function formatHelp(spec: CommandSpec): string {
  const rows = spec.flags.map((f) => [`--${f.name}${f.kind === 'switch' ? '' : ` ${f.placeholder ?? '<value>'}`}`, f]);
  const width = Math.max(...rows.map(([left]) => (left as string).length), 10);
  const lines = [`Usage: sluice ${spec.name}${spec.positionals.length ? ` ${spec.positionals.join(' ')}` : ''} [options]`, '', spec.summary, '', 'Options:'];
  for (const [left, f] of rows) {
    const flag = f as FlagSpec;
    const def = flag.required === true ? ' (required)' : flag.kind === 'switch' ? '' : ` (default: ${flag.defaultText ?? 'none'})`;
    lines.push(`  ${(left as string).padEnd(width)}  ${flag.help}${flag.kind === 'list' ? ' Repeatable.' : ''}${def}`);
  }
  lines.push(`  ${'-h, --help'.padEnd(width)}  Show this help.`, '', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** A positive integer flag value, or a {@link UsageError} naming the flag. */
export function positiveIntFlag(spec: CommandSpec, flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} needs a positive integer, got '${raw}'.`, spec.name);
  return n;
}

/** A non-negative number flag value, or a {@link UsageError} naming the flag. */
export function nonNegativeNumberFlag(spec: CommandSpec, flag: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} needs a non-negative number, got '${raw}'.`, spec.name);
  return n;
}

/** One of `choices`, or a {@link UsageError} listing them. */
export function choiceFlag<T extends string>(spec: CommandSpec, flag: string, raw: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`--${flag} must be ${choices.join(', ')}; got '${raw}'.`, spec.name);
}
