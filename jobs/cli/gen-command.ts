import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_TRANSACTION_OPTIONS } from '../../benchmarks/data/transaction-options.js';
import { ensureDataset } from '../../benchmarks/data/write-dataset.js';
import { SluiceError } from '../../common/errors.js';
import type { CommandSpec, ParsedArgs } from './cli-flags.js';
import { nonNegativeNumberFlag, positiveIntFlag, UsageError } from './cli-flags.js';

const D = DEFAULT_TRANSACTION_OPTIONS;

/** `sluice gen` (also `node dist/benchmarks/data/generate.js`): the seeded card-transaction data set. */
export const GEN_SPEC: CommandSpec = {
  name: 'gen',
  positionals: [],
  short: 'Write the seeded card-transaction data set (Parquet).',
  summary:
    'Writes the seeded card-transaction data set: Parquet part files in arrival order, the merchants table in _merchants/, and _manifest.json. ' +
    'The same seed and flags give the same rows; a folder that already holds that data set is kept as it is.',
  flags: [
    { name: 'rows', kind: 'value', placeholder: '<n>', help: 'Number of transactions.', required: true },
    { name: 'out', kind: 'value', placeholder: '<folder>', help: 'Folder to write; an existing folder must be empty or hold a data set.', required: true },
    { name: 'files', kind: 'value', placeholder: '<n>', help: 'Number of Parquet part files.', defaultText: '1' },
    { name: 'seed', kind: 'value', placeholder: '<n>', help: 'Random seed.', defaultText: String(D.seed) },
    { name: 'rate', kind: 'value', placeholder: '<rows/s>', help: 'Mean arrivals per second of event time.', defaultText: String(D.rate) },
    { name: 'cards', kind: 'value', placeholder: '<n>', help: 'Distinct card ids.', defaultText: String(D.cards) },
    { name: 'merchants', kind: 'value', placeholder: '<n>', help: 'Distinct merchants.', defaultText: String(D.merchants) },
  ],
  examples: ['sluice gen --rows 1000000 --files 10 --out data/tx1m', 'sluice gen --rows 5000 --cards 100 --rate 50 --seed 7 --out /tmp/tx-small'],
};

/** Refuses to replace a folder that is neither empty nor a data set (ensureDataset deletes what it regenerates). */
async function checkOut(out: string): Promise<void> {
  const names = await readdir(out).catch(() => null);
  if (names === null || names.length === 0 || names.includes('_manifest.json')) return;
  throw new SluiceError(
    'INVALID_ARGUMENT',
    `--out '${out}' is a folder with other files in it (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}) and no _manifest.json; ` +
      'sluice gen replaces the folder it writes, so give an empty or new folder.',
  );
}

/** Runs `sluice gen`; prints what it wrote (or that the data set was already there) on stderr. */
export async function genCommand(args: ParsedArgs): Promise<void> {
  const v = args.values;
  const str = (name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
  if (args.positionals.length > 0) throw new UsageError(`sluice gen takes no arguments besides flags; unexpected '${args.positionals[0]}'.`, GEN_SPEC.name);
  const rowsRaw = str('rows');
  const out = str('out');
  if (rowsRaw === undefined || out === undefined) throw new UsageError(`sluice gen needs --rows <n> and --out <folder>.`, GEN_SPEC.name);
  const rows = positiveIntFlag(GEN_SPEC, 'rows', rowsRaw);
  const num = (name: string, parse: typeof positiveIntFlag): Record<string, number> => {
    const raw = str(name);
    return raw === undefined ? {} : { [name]: parse(GEN_SPEC, name, raw) };
  };
  const seed = str('seed');
  if (seed !== undefined && !Number.isSafeInteger(Number(seed))) throw new UsageError(`--seed needs an integer, got '${seed}'.`, GEN_SPEC.name);
  const rate = num('rate', nonNegativeNumberFlag);
  if (rate.rate === 0) throw new UsageError(`--rate needs a positive number of rows per second, got '${str('rate')}'.`, GEN_SPEC.name);
  await checkOut(out);
  const result = await ensureDataset({
    out,
    rows,
    files: str('files') === undefined ? 1 : positiveIntFlag(GEN_SPEC, 'files', str('files') as string),
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...rate,
    ...num('cards', positiveIntFlag),
    ...num('merchants', positiveIntFlag),
  });
  const m = result.manifest;
  process.stderr.write(
    result.generated
      ? `generated ${m.rows} rows -> ${out} (${m.transactionFiles.length} files, ${(m.bytesOnDisk / 2 ** 20).toFixed(1)} MiB) in ${result.seconds.toFixed(1)} s; ` +
          `late=${m.stats.lateEvents} out_of_order=${m.stats.outOfOrderRows} distinct_cards=${m.stats.distinctCards}\n`
      : `${out} already holds ${m.rows} rows with these parameters; nothing to do (${join(out, '_manifest.json')})\n`,
  );
}
