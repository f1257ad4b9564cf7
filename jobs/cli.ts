#!/usr/bin/env node
/**
 * The `sluice` command: `run` runs a job file as a batch job or a stream, `replay` replays
 * historical Parquet through it in event-time order on simulated time, `checkpoint
 * inspect` shows what a streaming query's checkpoint holds, `gen` writes the seeded
 * transaction data set, `worker` serves the stage tasks of drivers started with `--redis`. `sluice --help`, `sluice <command> --help` and `sluice --version`
 * print help and the version. Exit codes: 0 done, 1 the job or command failed, 2 a mistake
 * on the command line (printed with a pointer to the command's `--help`).
 */
import { SluiceError } from '../common/errors.js';
import { CHECKPOINT_INSPECT_SPEC, checkpointInspectCommand } from './cli/checkpoint-command.js';
import type { CommandSpec, ParsedArgs } from './cli/cli-flags.js';
import { formatHelp, parseFlags, UsageError } from './cli/cli-flags.js';
import { GEN_SPEC, genCommand } from './cli/gen-command.js';
import { parseSpeed, REPLAY_SPEC } from './cli/replay-command.js';
import { RUN_SPEC, runCommand } from './cli/run-command.js';
import { sluiceVersion } from './cli/sluice-version.js';
import { WORKER_SPEC, workerCommand } from './cli/worker-command.js';
import { closestName } from '../common/closest-name.js';

interface Command {
  readonly spec: CommandSpec;
  readonly run: (args: ParsedArgs) => Promise<void>;
}

const COMMANDS: readonly Command[] = [
  { spec: RUN_SPEC, run: (args) => runCommand(args) },
  { spec: REPLAY_SPEC, run: (args) => runCommand(args, { spec: REPLAY_SPEC, parseSpeed }) },
  { spec: CHECKPOINT_INSPECT_SPEC, run: checkpointInspectCommand },
  { spec: GEN_SPEC, run: genCommand },
  { spec: WORKER_SPEC, run: workerCommand },
];

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  return [
    'Usage: sluice <command> [options]',
    '',
    'Sluice runs micro-batch stream processing jobs on Apache Arrow, in the spirit of Spark Structured Streaming.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}  ${c.spec.short}`),
    '',
    'Options:',
    "  -h, --help     Show this help; `sluice <command> --help` shows a command's options.",
    '  -v, --version  Print the version.',
    '',
    'Examples:',
    ...COMMANDS.map((c) => `  ${c.spec.examples[0]}`),
  ].join('\n');
}

/** Finds the command the words name (`checkpoint inspect` takes two); the rest are its arguments. */
function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } {
  for (const command of COMMANDS) {
    const words = command.spec.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  const given = argv[0] === 'checkpoint' && argv[1] !== undefined && !argv[1].startsWith('-') ? `checkpoint ${argv[1]}` : (argv[0] as string);
  // Match the whole name or its first word ('checkpont' -> 'checkpoint inspect').
  const byWord = new Map(COMMANDS.flatMap((c) => [[c.spec.name, c.spec.name] as const, [c.spec.name.split(' ')[0] as string, c.spec.name] as const]));
  const match = closestName(given, byWord.keys()) ?? closestName(given.split(' ')[0] as string, byWord.keys());
  const closest = match === undefined ? undefined : byWord.get(match);
  const hint = closest === undefined ? '' : ` Did you mean 'sluice ${closest}'?`;
  throw new UsageError(`Unknown command '${given}'.${hint} Commands: ${COMMANDS.map((c) => c.spec.name).join(', ')}.`, '');
}

async function main(argv: readonly string[]): Promise<void> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(`${topHelp()}\n`);
    return;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    process.stdout.write(`${sluiceVersion()}\n`);
    return;
  }
  if (first.startsWith('-')) {
    const hint = closestName(first, ['--help', '--version']);
    throw new UsageError(
      `Unknown option '${first}'.${hint === undefined ? '' : ` Did you mean '${hint}'?`} Give a command first: sluice <command> [options].`,
      '',
    );
  }
  const { command, rest } = findCommand(argv);
  const args = parseFlags(command.spec, rest);
  if (args.help) {
    process.stdout.write(`${formatHelp(command.spec)}\n`);
    return;
  }
  await command.run(args);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    if (e instanceof UsageError) {
      const help = e.command === '' ? 'sluice --help' : `sluice ${e.command} --help`;
      process.stderr.write(`sluice: ${e.message}\nRun '${help}' for usage.\n`);
      process.exit(2);
    }
    process.stderr.write(`sluice: ${e instanceof SluiceError ? `[${e.code}] ` : ''}${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
