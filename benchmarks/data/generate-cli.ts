/**
 * The flags of the dataset generator CLI (`generate.js`): their table, the `--help` text, and
 * a parser that turns argv into a dataset request or a one-line error (never a stack trace).
 */
import { closestName } from '../../common/closest-name.js';
import type { DatasetRequest, DatasetResult } from './write-dataset.js';
import { DEFAULT_TRANSACTION_OPTIONS, ROW_GROUP_ROWS } from './transaction-options.js';

/** One flag of the generator: its name (without `--`), default shown in help, and meaning. */
export interface GenerateFlag {
  readonly name: string;
  /** The value placeholder in the help text (`N`, `DIR`...). */
  readonly value: string;
  /** The default as shown in the help, or `required`. */
  readonly defaultText: string;
  readonly meaning: string;
}

/** Every flag the generator accepts, in the order the help lists them. */
export const GENERATE_FLAGS: readonly GenerateFlag[] = [
  { name: 'rows', value: 'N', defaultText: 'required', meaning: 'number of transaction rows' },
  { name: 'out', value: 'DIR', defaultText: 'required', meaning: 'output folder (reused when its _manifest.json matches, else rewritten)' },
  { name: 'files', value: 'K', defaultText: '1', meaning: 'number of Parquet files the rows are split into (contiguous slices in arrival order)' },
  { name: 'seed', value: 'S', defaultText: String(DEFAULT_TRANSACTION_OPTIONS.seed), meaning: 'generator seed: the same seed and flags give the same rows' },
  { name: 'cards', value: 'C', defaultText: String(DEFAULT_TRANSACTION_OPTIONS.cards), meaning: 'number of distinct card ids' },
  { name: 'merchants', value: 'M', defaultText: String(DEFAULT_TRANSACTION_OPTIONS.merchants), meaning: 'number of merchants (m0..m{M-1})' },
  { name: 'rate', value: 'R', defaultText: String(DEFAULT_TRANSACTION_OPTIONS.rate), meaning: 'mean arrivals per second (sets the event-time span)' },
  { name: 'row-group-rows', value: 'N', defaultText: String(ROW_GROUP_ROWS), meaning: 'rows per Parquet row group' },
  { name: 'help', value: '', defaultText: '', meaning: 'print this help and exit' },
];

/** The outcome of {@link parseGenerateArgs}. */
export type GenerateArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly request: DatasetRequest }
  | { readonly kind: 'error'; readonly message: string };

/** The `--help` text: usage, every flag with its default, and examples. */
export function generateHelpText(): string {
  const rows = GENERATE_FLAGS.map((f) => {
    const left = `  --${f.name}${f.value === '' ? '' : ` ${f.value}`}`;
    const def = f.defaultText === '' ? '' : ` (${f.defaultText === 'required' ? 'required' : `default ${f.defaultText}`})`;
    return `${left.padEnd(26)}${f.meaning}${def}`;
  });
  return [
    'Writes the benchmark dataset: transactions as part-NNNNN.parquet, the merchants dimension in _merchants/, and _manifest.json.',
    '',
    'usage: node dist/benchmarks/data/generate.js --rows N --out DIR [flags]',
    '',
    'flags:',
    ...rows,
    '',
    'examples:',
    '  node dist/benchmarks/data/generate.js --rows 10000000 --files 10 --out .bench-data/tx10m',
    '  node dist/benchmarks/data/generate.js --rows 1000000 --files 10000 --out .bench-data/small-files --seed 7',
    '',
  ].join('\n');
}

/**
 * Parses the generator's argv (without node and the script). `--help`/`-h` anywhere wins;
 * an unknown flag, a missing value, a non-numeric or non-positive number, or a missing
 * required flag gives an error message that names the flag (and the closest valid one).
 */
export function parseGenerateArgs(argv: readonly string[]): GenerateArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const names = GENERATE_FLAGS.filter((f) => f.value !== '').map((f) => f.name);
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) return { kind: 'error', message: `unexpected argument '${arg}': flags start with '--' (see --help).` };
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (!names.includes(name)) {
      const close = closestName(name, names);
      return {
        kind: 'error',
        message: `unknown flag '--${name}'.${close === undefined ? '' : ` Did you mean '--${close}'?`} Flags: ${names.map((n) => `--${n}`).join(', ')}, --help.`,
      };
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '' || value.startsWith('--')) return { kind: 'error', message: `flag '--${name}' needs a value (see --help).` };
    given.set(name, value);
  }
  for (const required of ['rows', 'out']) {
    if (!given.has(required))
      return { kind: 'error', message: `missing required flag '--${required}'. usage: generate.js --rows N --out DIR [flags] (see --help).` };
  }
  const numbers: Record<string, number> = {};
  for (const [name, text] of given) {
    if (name === 'out') continue;
    const n = Number(text);
    const mayBeZero = name === 'seed';
    if (!Number.isFinite(n) || !Number.isInteger(n) || n < (mayBeZero ? 0 : 1)) {
      return { kind: 'error', message: `flag '--${name}' must be a ${mayBeZero ? 'non-negative' : 'positive'} integer, got '${text}'.` };
    }
    numbers[name] = n;
  }
  const request: DatasetRequest = {
    out: given.get('out') as string,
    rows: numbers.rows as number,
    files: numbers.files ?? 1,
    seed: numbers.seed ?? DEFAULT_TRANSACTION_OPTIONS.seed,
    ...(numbers.cards === undefined ? {} : { cards: numbers.cards }),
    ...(numbers.merchants === undefined ? {} : { merchants: numbers.merchants }),
    ...(numbers.rate === undefined ? {} : { rate: numbers.rate }),
    ...(numbers['row-group-rows'] === undefined ? {} : { rowGroupRows: numbers['row-group-rows'] }),
  };
  return { kind: 'run', request };
}

/** The one-line report of a generator run: what was written (rows, files, size, time, stats), or that the data set was already there. */
export function describeDatasetResult(result: DatasetResult, out: string): string {
  const m = result.manifest;
  return result.generated
    ? `generated ${m.rows} rows -> ${out} (${m.transactionFiles.length} files, ${(m.bytesOnDisk / 2 ** 20).toFixed(1)} MiB) in ${result.seconds.toFixed(1)} s; ` +
        `late=${m.stats.lateEvents} out_of_order=${m.stats.outOfOrderRows} distinct_cards=${m.stats.distinctCards}\n`
    : `${out} already holds ${m.rows} rows with these parameters; nothing to do\n`;
}
