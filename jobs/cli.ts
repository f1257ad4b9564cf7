#!/usr/bin/env node
/**
 * The `sluice` command: `sluice run <job file> --mode batch|stream|available-now --input <folder>
 * --output <folder> --checkpoint <folder> [--ui <port>]` runs a job module (default export made with
 * `defineJob`) in either mode over the same code; `sluice replay <job file> --input <parquet>
 * --speed <N|max>` replays Parquet through it in event-time order and exits at the end.
 * In stream mode it runs until SIGINT or
 * SIGTERM, then stops the query gracefully (the batch in progress finishes) and exits 0.
 */
import { availableParallelism } from 'node:os';
import { invalidArgument, SluiceError } from '../common/errors.js';
import { loadJob } from './load-job.js';
import { Sluice } from '../engine/session/sluice.js';
import { parseCliArgs, USAGE } from './parse-cli-args.js';
import { runJob } from './run-job.js';

async function main(argv: readonly string[]): Promise<void> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const cmd = parseCliArgs(argv);
  const job = await loadJob(cmd.jobFile);
  const names = Object.keys(job.inputs);
  const inputs: Record<string, string> = { ...cmd.inputs };
  if (inputs[''] !== undefined) {
    if (names.length !== 1) throw invalidArgument(`Job '${job.name}' has inputs ${names.join(', ')}: name them, --input <name>=<folder>.`);
    inputs[names[0] as string] = inputs[''];
    delete inputs[''];
  }
  const builder = Sluice.builder()
    .workers(cmd.workers ?? availableParallelism())
    .appName(job.name)
    .config('sluice.streaming.stopOnSignal', false);
  if (cmd.ui !== undefined) builder.ui(cmd.ui);
  const sluice = await builder.getOrCreate();
  if (sluice.ui !== null) process.stderr.write(`sluice: dashboard at ${sluice.ui.url}\n`);
  try {
    const run = await runJob(sluice, job, { ...cmd, inputPaths: inputs });
    const query = run.query;
    if (query !== null && cmd.mode === 'stream') {
      const stop = (): void => void query.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await query.awaitTermination();
    }
  } finally {
    await sluice.stop();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`sluice: ${e instanceof SluiceError ? `[${e.code}] ` : ''}${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
