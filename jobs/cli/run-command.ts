import { availableParallelism } from 'node:os';
import { invalidArgument } from '../../common/errors.js';
import type { StreamTrigger } from '../../dataframe/data-stream-writer.js';
import { Sluice } from '../../engine/session/sluice.js';
import { parseInterval } from '../../scheduler/parse-interval.js';
import { checkRedisUrl } from '../../engine/distributed/bullmq-task-runner.js';
import { loadJob } from '../load-job.js';
import type { JobMode } from '../run-job.js';
import { runJob } from '../run-job.js';
import type { CommandSpec, ParsedArgs } from './cli-flags.js';
import { choiceFlag, positiveIntFlag, UsageError } from './cli-flags.js';
import type { LogFormat } from './query-progress-reporter.js';
import { QueryProgressReporter } from './query-progress-reporter.js';

/** `sluice run`: the flags and examples shown by `sluice run --help`. */
export const RUN_SPEC: CommandSpec = {
  name: 'run',
  positionals: ['<job file>'],
  short: 'Run a job file (.js or .ts) as a batch job or a stream, with live progress.',
  summary:
    'Runs a job module (default export made with defineJob) as a batch job or a stream over the same code. ' +
    'A stream runs until SIGINT/SIGTERM, then stops after the batch in progress and exits 0. ' +
    'Progress goes to stderr: a live line per query on a terminal, one JSON object per line otherwise.',
  flags: [
    {
      name: 'mode',
      kind: 'value',
      placeholder: 'batch|stream|available-now',
      help: 'Read everything once, stream until stopped, or stream what exists then stop.',
      defaultText: 'batch',
    },
    { name: 'input', kind: 'list', placeholder: '[name=]<folder>', help: "A job input's folder; the name may be left out when the job has one input." },
    { name: 'output', kind: 'value', placeholder: '<folder>', help: 'Result folder of a Parquet sink.' },
    { name: 'checkpoint', kind: 'value', placeholder: '<folder>', help: 'Checkpoint folder (stream modes; needed for a Parquet sink).' },
    { name: 'trigger', kind: 'value', placeholder: "'<interval>'", help: "Stream trigger interval, e.g. '10 seconds'.", defaultText: 'back to back' },
    { name: 'max-files-per-trigger', kind: 'value', placeholder: '<n>', help: 'Files admitted per batch in stream modes.', defaultText: 'all new files' },
    { name: 'sink-option', kind: 'list', placeholder: '<key>=<value>', help: "A sink option overriding the job's own (e.g. a Kafka sink's topic)." },
    { name: 'workers', kind: 'value', placeholder: '<n>', help: 'Worker threads.', defaultText: 'number of cores' },
    {
      name: 'redis',
      kind: 'value',
      placeholder: '<url>',
      help: "Run the job's tasks on `sluice worker` processes through this Redis (redis://host:port) instead of local threads.",
      defaultText: 'local threads',
    },
    { name: 'queue', kind: 'value', placeholder: '<name>', help: 'With --redis: the queue the workers serve (sluice worker --queue).', defaultText: 'sluice' },
    {
      name: 'shared-storage',
      kind: 'value',
      placeholder: '<folder>',
      help: 'With --redis: a folder all workers reach, for large task results.',
      defaultText: 'results stay in Redis',
    },
    {
      name: 'ui',
      kind: 'value',
      placeholder: '<port>',
      help: 'Serve the live dashboard on http://127.0.0.1:<port>/ (0 picks a free port).',
      defaultText: 'no dashboard',
    },
    {
      name: 'log',
      kind: 'value',
      placeholder: 'auto|text|json',
      help: 'Progress format: auto is a live line on a terminal and JSON lines otherwise.',
      defaultText: 'auto',
    },
  ],
  examples: [
    'sluice run dist/jobs/examples/spend-by-user.js --input data/transactions --output out/spend',
    'sluice run jobs/examples/fraud-alerts.ts --mode stream --input tx=data/incoming --output out/alerts --checkpoint ckpt/alerts',
    'sluice run job.js --mode available-now --input data --output out --checkpoint ckpt --max-files-per-trigger 1 --log json',
    'sluice run job.js --input data --output out --redis redis://10.0.0.5:6379 --shared-storage /mnt/sluice',
  ],
};

/** The parsed options of `sluice run`. */
export interface RunOptions {
  readonly jobFile: string;
  readonly mode: JobMode;
  /** Input folders by name; a bare path is stored under `''` (the job's only input). */
  readonly inputs: Readonly<Record<string, string>>;
  readonly output?: string;
  readonly checkpoint?: string;
  readonly trigger?: StreamTrigger;
  readonly maxFilesPerTrigger?: number;
  readonly workers?: number;
  /** `--redis <url>`: the session's master (tasks go to `sluice worker` processes). */
  readonly redis?: string;
  /** `--queue <name>` (with `--redis`). */
  readonly queue?: string;
  /** `--shared-storage <folder>` (with `--redis`). */
  readonly sharedStorage?: string;
  /** Sink options from `--sink-option key=value` (override the job's own). */
  readonly sinkOptions?: Readonly<Record<string, string>>;
  /** Port of the live dashboard (`--ui <port>`, 0 for a free one); no dashboard when absent. */
  readonly ui?: number;
  /** Replay: event-time ms per wall ms, or 'max'. */
  readonly speed?: number | 'max';
  /** Replay: the reorder bound, e.g. '1 hour'. */
  readonly reorderBound?: string;
  readonly log: LogFormat;
}

/**
 * Turns parsed `sluice run` (or, with `replay` set, `sluice replay`) arguments into
 * {@link RunOptions}; {@link UsageError} on mistakes.
 */
export function runOptions(args: ParsedArgs, replay?: { spec: CommandSpec; parseSpeed: (raw: string) => number | 'max' }): RunOptions {
  const spec = replay?.spec ?? RUN_SPEC;
  const [jobFile, ...extra] = args.positionals;
  if (jobFile === undefined) throw new UsageError(`sluice ${spec.name} needs a job file: sluice ${spec.name} <job file> [options].`, spec.name);
  if (extra.length > 0) throw new UsageError(`sluice ${spec.name} takes one job file; unexpected '${extra[0]}'.`, spec.name);
  const v = args.values;
  const inputs: Record<string, string> = {};
  for (const raw of (v.input as readonly string[] | undefined) ?? []) {
    const eq = raw.indexOf('=');
    if (eq > 0) inputs[raw.slice(0, eq)] = raw.slice(eq + 1);
    else inputs[''] = raw;
  }
  const out: { -readonly [K in keyof RunOptions]?: RunOptions[K] } = {};
  const sinkOptions: Record<string, string> = {};
  for (const raw of (v['sink-option'] as readonly string[] | undefined) ?? []) {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new UsageError(`--sink-option needs <key>=<value>, got '${raw}'.`, spec.name);
    sinkOptions[raw.slice(0, eq)] = raw.slice(eq + 1);
  }
  if (Object.keys(sinkOptions).length > 0) out.sinkOptions = sinkOptions;
  if (typeof v.output === 'string') out.output = v.output;
  if (typeof v.checkpoint === 'string') out.checkpoint = v.checkpoint;
  if (typeof v.trigger === 'string') {
    try {
      out.trigger = { kind: 'processingTime', intervalMs: parseInterval(v.trigger) };
    } catch (e) {
      throw new UsageError(`--trigger: ${e instanceof Error ? e.message : String(e)}`, spec.name);
    }
  }
  if (typeof v['max-files-per-trigger'] === 'string') out.maxFilesPerTrigger = positiveIntFlag(spec, 'max-files-per-trigger', v['max-files-per-trigger']);
  if (typeof v.workers === 'string') out.workers = positiveIntFlag(spec, 'workers', v.workers);
  if (typeof v.redis === 'string') {
    try {
      out.redis = checkRedisUrl(v.redis, '--redis');
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e), spec.name);
    }
  }
  if (typeof v.queue === 'string') {
    if (out.redis === undefined) throw new UsageError('--queue only applies with --redis <url>.', spec.name);
    if (!/^[A-Za-z0-9_-]+$/.test(v.queue)) throw new UsageError(`--queue must be letters, digits, '_' or '-', got '${v.queue}'.`, spec.name);
    out.queue = v.queue;
  }
  if (typeof v['shared-storage'] === 'string') {
    if (out.redis === undefined) throw new UsageError('--shared-storage only applies with --redis <url>.', spec.name);
    out.sharedStorage = v['shared-storage'];
  }
  if (typeof v.ui === 'string') {
    const port = Number(v.ui);
    if (v.ui.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--ui needs a port from 0 to 65535 (0 picks a free port), got '${v.ui}'.`, spec.name);
    out.ui = port;
  }
  if (replay !== undefined) {
    if (typeof v.speed === 'string') out.speed = replay.parseSpeed(v.speed);
    if (typeof v['reorder-bound'] === 'string') {
      try {
        parseInterval(v['reorder-bound']);
      } catch (e) {
        throw new UsageError(`--reorder-bound: ${e instanceof Error ? e.message : String(e)}`, spec.name);
      }
      out.reorderBound = v['reorder-bound'];
    }
  }
  const mode: JobMode =
    replay !== undefined
      ? 'replay'
      : choiceFlag(RUN_SPEC, 'mode', typeof v.mode === 'string' ? v.mode : 'batch', ['batch', 'stream', 'available-now'] as const);
  const log = choiceFlag(RUN_SPEC, 'log', typeof v.log === 'string' ? v.log : 'auto', ['auto', 'text', 'json'] as const);
  return { ...out, jobFile, mode, inputs, log };
}

/**
 * Runs `sluice run`: loads the job, runs it, reports progress on stderr and a summary at
 * the end. Resolves when the batch job or `available-now` stream is done, or when a stream
 * stopped on SIGINT/SIGTERM; rejects with the query's error when it failed.
 */
export async function runCommand(args: ParsedArgs, replay?: Parameters<typeof runOptions>[1]): Promise<void> {
  const cmd = runOptions(args, replay);
  const job = await loadJob(cmd.jobFile);
  const names = Object.keys(job.inputs);
  const inputs: Record<string, string> = { ...cmd.inputs };
  if (inputs[''] !== undefined) {
    if (names.length !== 1) throw invalidArgument(`Job '${job.name}' has inputs ${names.join(', ')}: name them, --input <name>=<folder>.`);
    inputs[names[0] as string] = inputs[''];
    delete inputs[''];
  }
  const reporter = new QueryProgressReporter(process.stderr, cmd.log, job.name);
  const builder = Sluice.builder()
    .workers(cmd.workers ?? availableParallelism())
    .appName(job.name)
    .config('sluice.streaming.stopOnSignal', false)
    // Streams show the per-query line; the batch-action bar would fight it for the terminal line.
    .config('sluice.ui.showConsoleProgress', cmd.mode === 'batch');
  if (cmd.ui !== undefined) builder.ui(cmd.ui);
  if (cmd.redis !== undefined) builder.master(cmd.redis);
  if (cmd.sharedStorage !== undefined) builder.config('sluice.distributed.sharedStorage', cmd.sharedStorage);
  if (cmd.queue !== undefined) builder.config('sluice.distributed.queue', cmd.queue);
  const sluice = await builder.getOrCreate();
  if (sluice.ui !== null) reporter.note('dashboard', { url: sluice.ui.url }, `sluice: dashboard at ${sluice.ui.url}`);
  sluice.streams.addListener(reporter);
  const started = Date.now();
  let failed: unknown = null;
  try {
    const run = await runJob(sluice, job, { ...cmd, inputPaths: inputs });
    const query = run.query;
    if (query !== null && cmd.mode === 'stream') {
      const stop = (): void => void query.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await query.awaitTermination();
    }
  } catch (e) {
    failed = e;
  } finally {
    await sluice.stop();
  }
  // Listener events are delivered on a microtask after the query's own promises settle.
  await new Promise((r) => setImmediate(r));
  reporter.summary({ job: job.name, mode: cmd.mode, durationMs: Date.now() - started, failed: failed !== null });
  if (failed !== null) throw failed;
}
