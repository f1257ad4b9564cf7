import { invalidArgument } from '../common/errors.js';
import type { DataFrame } from '../dataframe/data-frame.js';
import type { StreamOutputMode } from '../dataframe/data-stream-writer.js';

/** How a job reads one input, in batch mode (`read`) and in stream mode (`readStream`) alike. */
export interface JobInput {
  readonly format: 'csv' | 'json' | 'parquet';
  /** DDL schema, e.g. `'user_id BIGINT, amount DOUBLE'` (streams need a schema). */
  readonly schema: string;
  /** Reader options (header, sep, ...). */
  readonly options?: Readonly<Record<string, string | number | boolean>>;
  /** A static input: read as a batch DataFrame even when the job streams (the static side of a stream-static join). */
  readonly static?: boolean;
  /** The event-time column, used by replay mode to release rows in event-time order (default: the schema's only timestamp column). */
  readonly eventTime?: string;
}

/**
 * Where a job's result goes. `parquet` writes the result folder: in batch mode one write,
 * in stream mode the exactly-once Parquet sink (append) or, for `complete` output, the
 * whole result rewritten each batch. `kafka` writes records (columns key, value, ...) with
 * the Kafka sink in stream mode and `write.format('kafka')` in batch mode; its
 * `kafka.bootstrap.servers` and `topic` usually come from `--sink-option`. `console` prints.
 */
export interface JobSink {
  readonly format: 'parquet' | 'console' | 'kafka';
  readonly options?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A job written once and run as a batch job or a stream: a function from input
 * DataFrames (by input name) to the result DataFrame, plus its sink. The function must
 * use only operations that work on streams (no sort before an aggregation, one
 * aggregation); the same code then runs over a folder in batch mode and over files as
 * they arrive in stream mode.
 */
export interface JobDefinition {
  readonly name: string;
  readonly description: string;
  readonly inputs: Readonly<Record<string, JobInput>>;
  /** Builds the result from the inputs. */
  readonly transform: (inputs: Readonly<Record<string, DataFrame>>) => DataFrame;
  /** Output mode in stream mode: `append` (stateless jobs) or `complete` (aggregations). */
  readonly outputMode: StreamOutputMode;
  readonly sink: JobSink;
}

/** Validates and freezes a job definition. */
export function defineJob(job: JobDefinition): JobDefinition {
  if (Object.keys(job.inputs).length === 0) throw invalidArgument(`Job '${job.name}' has no inputs; declare at least one under inputs.`);
  if (job.outputMode === 'update') throw invalidArgument(`Job '${job.name}': output mode 'update' has no batch equivalent; use 'complete' for aggregations.`);
  return Object.freeze({ ...job });
}

/** True when a module's default export looks like a {@link JobDefinition}. */
export function isJobDefinition(value: unknown): value is JobDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<JobDefinition>;
  return typeof v.name === 'string' && typeof v.transform === 'function' && typeof v.inputs === 'object' && typeof v.sink === 'object';
}
