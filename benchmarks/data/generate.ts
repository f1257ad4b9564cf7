/**
 * CLI: writes the benchmark dataset (transactions + merchants + `_manifest.json`), the same
 * command as `sluice gen` (its flags and `--help` come from there).
 *
 *   node dist/benchmarks/data/generate.js --rows 10000000 --files 10 --out .bench-data/tx10m [--seed 42]
 *     [--cards 1000000] [--merchants 50000] [--rate 200]
 *
 * Does nothing when the folder already holds a dataset with the same parameters.
 */
import { formatHelp, parseFlags, UsageError } from '../../jobs/cli/cli-flags.js';
import { GEN_SPEC, genCommand } from '../../jobs/cli/gen-command.js';

try {
  const args = parseFlags(GEN_SPEC, process.argv.slice(2));
  if (args.help) process.stdout.write(`${formatHelp(GEN_SPEC)}\n`);
  else await genCommand(args);
} catch (e) {
  process.stderr.write(`generate: ${e instanceof Error ? e.message : String(e)}\n${e instanceof UsageError ? "Run 'sluice gen --help' for usage.\n" : ''}`);
  process.exit(e instanceof UsageError ? 2 : 1);
}
