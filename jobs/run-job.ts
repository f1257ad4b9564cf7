import { invalidArgument } from '../common/errors.js';
import type { DataFrame } from '../dataframe/data-frame.js';
import type { StreamTrigger } from '../dataframe/data-stream-writer.js';
import type { StreamingQuery } from '../dataframe/streaming-query.js';
import type { Sluice } from '../engine/session/sluice.js';
import type { JobDefinition, JobInput } from './job-definition.js';

/** How to run a job: `batch` reads everything once; `stream` runs until stopped; `available-now` streams what exists, then stops. */
export type JobMode = 'batch' | 'stream' | 'available-now';

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
  /** Sink options that override the job's (e.g. a Kafka sink's bootstrap servers and topic). */
  readonly sinkOptions?: Readonly<Record<string, string | number | boolean>>;
}

/** What {@link runJob} returns: the stream's query (stream modes) or null (batch). */
export interface JobRun {
  readonly query: StreamingQuery | null;
}

async function readInput(sluice: Sluice, input: JobInput, path: string, streaming: boolean, maxFiles?: number): Promise<DataFrame> {
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
 * Runs a job in batch or stream mode over the same code: reads each input (as a stream
 * unless batch mode or static), applies the job's transform, and writes the result. Batch
 * mode resolves when written; `available-now` when the stream consumed what was there;
 * `stream` returns the running query at once.
 */
export async function runJob(sluice: Sluice, job: JobDefinition, options: RunJobOptions): Promise<JobRun> {
  const streaming = options.mode !== 'batch';
  const inputs: Record<string, DataFrame> = {};
  for (const [name, input] of Object.entries(job.inputs)) {
    const path = options.inputPaths[name];
    if (path === undefined) throw invalidArgument(`Job '${job.name}' needs input '${name}': pass --input ${name}=<folder>.`);
    inputs[name] = await readInput(sluice, input, path, streaming, options.maxFilesPerTrigger);
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
  if (options.checkpoint === undefined && job.sink.format !== 'console') throw invalidArgument(`Streaming job '${job.name}' needs --checkpoint <folder>.`);
  const writer = result.writeStream
    .outputMode(job.outputMode)
    .trigger(options.mode === 'available-now' ? { kind: 'availableNow' } : (options.trigger ?? { kind: 'processingTime', intervalMs: 0 }));
  if (options.checkpoint !== undefined) writer.option('checkpointLocation', options.checkpoint);
  for (const [k, v] of Object.entries(sinkOptions)) writer.option(k, v);
  let query: StreamingQuery;
  if (job.sink.format === 'console') query = await writer.format('console').start();
  else if (job.sink.format === 'kafka') query = await writer.format('kafka').start();
  else if (job.outputMode === 'complete') {
    // The whole result each batch: rewriting the folder is idempotent, so a re-run batch is harmless.
    query = await writer.foreachBatch((df) => df.write.mode('overwrite').parquet(output as string)).start();
  } else query = await writer.format('parquet').start(output);
  if (options.mode === 'available-now') await query.awaitTermination();
  return { query };
}
