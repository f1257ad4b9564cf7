/**
 * CLI: writes the benchmark dataset (transactions + merchants + `_manifest.json`).
 *
 *   node dist/benchmarks/data/generate.js --rows 10000000 --files 10 --out .bench-data/tx10m [--seed 42]
 *     [--cards 1000000] [--merchants 50000] [--rate 200] [--row-group-rows 131072]
 *   node dist/benchmarks/data/generate.js --help
 *
 * Does nothing when the folder already holds a dataset with the same parameters. The flags
 * are defined (with their defaults) in `generate-cli.ts`; bad flags print one line and exit 2.
 */
import { describeDatasetResult, generateHelpText, parseGenerateArgs } from './generate-cli.js';
import { ensureDataset } from './write-dataset.js';

const args = parseGenerateArgs(process.argv.slice(2));
if (args.kind === 'help') {
  process.stdout.write(generateHelpText());
  process.exit(0);
}
if (args.kind === 'error') {
  process.stderr.write(`generate.js: ${args.message}\n`);
  process.exit(2);
}
const out = args.request.out;
const result = await ensureDataset(args.request).catch((e: unknown) => {
  process.stderr.write(`generate.js: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
process.stderr.write(describeDatasetResult(result, out));
