import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalidArgument } from '../common/errors.js';
import type { DataFrame } from '../dataframe/data-frame.js';
import type { StreamTrigger } from '../dataframe/data-stream-writer.js';
import type { StreamingQuery } from '../dataframe/streaming-query.js';
import type { Sluice } from '../engine/session/sluice.js';
import { ReplayClock } from '../scheduler/replay-clock.js';
import type { JobDefinition, JobInput } from './job-definition.js';

/**
 * How to run a job: `batch` reads everything once; `stream` runs until stopped;
 * `available-now` streams what exists, then stops; `replay` streams existing Parquet in
 * event-time order on simulated processing time, then stops.
 */
export type JobMode = 'batch' | 'stream' | 'available-now' | 'replay';

/** Default trigger interval of a replay, in event time: 1 minute. */
export const DEFAULT_REPLAY_TRIGGER_MS = 60_000;

/** Options of {@link runJob}. */
export interface RunJobOptions {
  readonly mode: JobMode;
  /** Input folders by input name. */
  readonly inputPaths: Readonly<Record<string, string>>;
  /** Output folder of a parquet sink. */
  readonly output?: string;
  /** Checkpoint folder (stream modes). */
  readonly checkpoint?: string;
  /** Stream-mode trigger (default back to back). */
  readonly trigger?: StreamTrigger;
  /** Files admitted per batch in stream modes. */
  readonly maxFilesPerTrigger?: number;
  /** Replay: event-time ms played per wall ms (60: an hour per minute), or `'max'` (default). */
  readonly speed?: number | 'max';
  /** Replay: the reorder bound (see the replay source's `reorderBound`), e.g. `'1 hour'`. */
  readonly reorderBound?: string;
  /** Sink options that override the job's (e.g. a Kafka sink's bootstrap servers and topic). */
  readonly sinkOptions?: Readonly<Record<string, string | number | boolean>>;
}

/** What {@link runJob} returns: the stream's query (stream modes) or null (batch). */
export interface JobRun {
  readonly query: StreamingQuery | null;
}

async function readInput(sluice: Sluice, name: string, input: JobInput, path: string, options: RunJobOptions): Promise<DataFrame> {
  const streaming = options.mode !== 'batch';
  const maxFiles = options.maxFilesPerTrigger;
  if (options.mode === 'replay' && input.static !== true) {
    if (input.format !== 'parquet')
      throw invalidArgument(`Replay reads Parquet, but input '${name}' is ${input.format}: convert it to Parquet, or run the job with --mode stream.`);
    const reader = sluice.readStream.format('replay').schema(input.schema);
    if (input.eventTime !== undefined) reader.option('eventTime', input.eventTime);
    if (options.reorderBound !== undefined) reader.option('reorderBound', options.reorderBound);
    return reader.load(path);
  }
  if (!streaming || input.static === true)
    return sluice.read
      .format(input.format)
      .schema(input.schema)
      .options(input.options ?? {})
      .load(path);
  const reader = sluice.readStream
    .format(input.format)
    .schema(input.schema)
    .options(input.options ?? {});
  if (maxFiles !== undefined) reader.option('maxFilesPerTrigger', maxFiles);
  return reader.load(path);
}

/**
 * Runs a job in batch, stream or replay mode over the same code: reads each input (as a
 * stream unless batch mode or static; as a replay source in replay mode), applies the
 * job's transform, and writes the result. Batch mode resolves when written;
 * `available-now` when the stream consumed what was there; `replay` when the replay
 * reached the end of its input (the query is then stopped); `stream` returns the running
 * query at once.
 */
export async function runJob(sluice: Sluice, job: JobDefinition, options: RunJobOptions): Promise<JobRun> {
  const streaming = options.mode !== 'batch';
  const inputs: Record<string, DataFrame> = {};
  for (const [name, input] of Object.entries(job.inputs)) {
    const path = options.inputPaths[name];
    if (path === undefined) throw invalidArgument(`Job '${job.name}' needs input '${name}': pass --input ${name}=<folder>.`);
    inputs[name] = await readInput(sluice, name, input, path, options);
  }
  const result = job.transform(inputs);
  const output = options.output;
  const sinkOptions = { ...(job.sink.options ?? {}), ...(options.sinkOptions ?? {}) };
  if (job.sink.format === 'parquet' && output === undefined) throw invalidArgument(`Job '${job.name}' writes Parquet: pass --output <folder>.`);
  if (!streaming) {
    if (job.sink.format === 'console') await result.show(1000);
    else if (job.sink.format === 'kafka') await result.write.format('kafka').options(sinkOptions).save();
    else await result.write.mode('overwrite').parquet(output as string);
    return { query: null };
  }
  if (options.mode === 'replay') return replay(job, result, options);
  if (options.checkpoint === undefined && job.sink.format !== 'console') throw invalidArgument(`Streaming job '${job.name}' needs --checkpoint <folder>.`);
  const query = await startStream(job, result, options, options.checkpoint);
  if (options.mode === 'available-now') await query.awaitTermination();
  return { query };
}

/** Starts the job's stream over `result` (trigger from the options, sink from the job). */
async function startStream(
  job: JobDefinition,
  result: DataFrame,
  options: RunJobOptions,
  checkpoint: string | undefined,
  clock?: ReplayClock,
): Promise<StreamingQuery> {
  const output = options.output;
  const fallback: StreamTrigger =
    options.mode === 'replay' ? { kind: 'processingTime', intervalMs: DEFAULT_REPLAY_TRIGGER_MS } : { kind: 'processingTime', intervalMs: 0 };
  const writer = result.writeStream
    .outputMode(job.outputMode)
    .trigger(options.mode === 'available-now' ? { kind: 'availableNow' } : (options.trigger ?? fallback));
  if (clock !== undefined) writer.clock(clock);
  if (checkpoint !== undefined) writer.option('checkpointLocation', checkpoint);
  writer.options({ ...(job.sink.options ?? {}), ...(options.sinkOptions ?? {}) });
  let query: StreamingQuery;
  if (job.sink.format === 'console') query = await writer.format('console').start();
  else if (job.sink.format === 'kafka') query = await writer.format('kafka').start();
  else if (job.outputMode === 'complete') {
    // The whole result each batch: rewriting the folder is idempotent, so a re-run batch is harmless.
    query = await writer.foreachBatch((df) => df.write.mode('overwrite').parquet(output as string)).start();
  } else query = await writer.format('parquet').start(output);
  return query;
}

/**
 * Replay mode: the stream on a {@link ReplayClock} at `options.speed`, stopped once the
 * clock reached the end of the input (all rows released and one more trigger run). Without
 * `--checkpoint` it uses a temporary one, removed afterwards.
 */
async function replay(job: JobDefinition, result: DataFrame, options: RunJobOptions): Promise<JobRun> {
  const trigger = options.trigger ?? { kind: 'processingTime', intervalMs: DEFAULT_REPLAY_TRIGGER_MS };
  if (trigger.kind !== 'processingTime' || trigger.intervalMs <= 0)
    throw invalidArgument(`Replay of job '${job.name}' needs a processing-time trigger with an interval, such as --trigger '1 minute' (event time).`);
  const clock = new ReplayClock({ speed: options.speed ?? 'max' });
  const temp = options.checkpoint === undefined ? await mkdtemp(join(tmpdir(), 'sluice-replay-')) : null;
  try {
    const query = await startStream(job, result, { ...options, trigger }, options.checkpoint ?? (temp as string), clock);
    await Promise.race([clock.reachedEnd, query.awaitTermination()]);
    await query.stop();
    if (query.exception !== null) throw query.exception;
    return { query };
  } finally {
    if (temp !== null) await rm(temp, { recursive: true, force: true });
  }
}
