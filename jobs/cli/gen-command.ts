import { describeDatasetResult, GENERATE_FLAGS, parseGenerateArgs } from '../../benchmarks/data/generate-cli.js';
import { ensureDataset } from '../../benchmarks/data/write-dataset.js';
import type { CommandSpec, ParsedArgs } from './cli-flags.js';
import { UsageError } from './cli-flags.js';

/**
 * `sluice gen`: the benchmark data set generator (`node dist/benchmarks/data/generate.js`)
 * under the `sluice` command. Its flags, defaults and value checks are the generator's own
 * (`benchmarks/data/generate-cli.ts`); only the help layout is the CLI's.
 */
export const GEN_SPEC: CommandSpec = {
  name: 'gen',
  positionals: [],
  short: 'Write the seeded card-transaction data set (Parquet).',
  summary:
    'Writes the seeded card-transaction data set: Parquet part files in arrival order, the merchants table in _merchants/, and _manifest.json. ' +
    'The same seed and flags give the same rows; a folder that already holds that data set is kept as it is. ' +
    'An existing --out folder must be empty or hold a data set.',
  flags: GENERATE_FLAGS.filter((f) => f.value !== '').map((f) => ({
    name: f.name,
    kind: 'value' as const,
    placeholder: `<${f.value}>`,
    help: `${f.meaning.charAt(0).toUpperCase()}${f.meaning.slice(1)}.`,
    ...(f.defaultText === 'required' ? { required: true } : { defaultText: f.defaultText }),
  })),
  examples: ['sluice gen --rows 1000000 --files 10 --out data/tx1m', 'sluice gen --rows 5000 --cards 100 --rate 50 --seed 7 --out /tmp/tx-small'],
};

/** Runs `sluice gen`; prints what it wrote (or that the data set was already there) on stderr. */
export async function genCommand(args: ParsedArgs): Promise<void> {
  if (args.positionals.length > 0) throw new UsageError(`sluice gen takes only flags; unexpected '${args.positionals[0]}'.`, GEN_SPEC.name);
  const argv = Object.entries(args.values).flatMap(([name, value]) => [`--${name}`, String(value)]);
  const parsed = parseGenerateArgs(argv);
  if (parsed.kind === 'error') throw new UsageError(parsed.message, GEN_SPEC.name);
  if (parsed.kind === 'help') return;
  const out = parsed.request.out;
  const result = await ensureDataset(parsed.request);
  process.stderr.write(describeDatasetResult(result, out));
}
