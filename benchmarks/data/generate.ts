/**
 * CLI: writes the benchmark dataset (transactions + merchants + `_manifest.json`).
 *
 *   node dist/benchmarks/data/generate.js --rows 10000000 --files 10 --out .bench-data/tx10m [--seed 42]
 *     [--cards 1000000] [--merchants 50000] [--rate 200]
 *
 * Does nothing when the folder already holds a dataset with the same parameters.
 */
import { parseArgs } from 'node:util';
import { ensureDataset } from './write-dataset.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    files: { type: 'string', default: '1' },
    out: { type: 'string' },
    seed: { type: 'string', default: '42' },
    cards: { type: 'string' },
    merchants: { type: 'string' },
    rate: { type: 'string' },
  },
  strict: true,
});

if (values.rows === undefined || values.out === undefined) {
  process.stderr.write('usage: generate.js --rows N --out DIR [--files K] [--seed S] [--cards C] [--merchants M] [--rate R]\n');
  process.exit(2);
}
const optional = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const result = await ensureDataset({
  out: values.out,
  rows: Number(values.rows),
  files: Number(values.files),
  seed: Number(values.seed),
  ...Object.fromEntries(
    Object.entries({ cards: optional(values.cards), merchants: optional(values.merchants), rate: optional(values.rate) }).filter(([, v]) => v !== undefined),
  ),
});
const m = result.manifest;
process.stderr.write(
  result.generated
    ? `generated ${m.rows} rows -> ${values.out} (${m.transactionFiles.length} files, ${(m.bytesOnDisk / 2 ** 20).toFixed(1)} MiB) in ${result.seconds.toFixed(1)} s; ` +
        `late=${m.stats.lateEvents} out_of_order=${m.stats.outOfOrderRows} distinct_cards=${m.stats.distinctCards}\n`
    : `${values.out} already holds ${m.rows} rows with these parameters; nothing to do\n`,
);
