import { invalidArgument } from '../common/errors.js';
import { checkKnownOptions } from '../common/known-options.js';
import type { ScanOptions } from '../dataframe/plan/logical-plan.js';
import type { FileManager } from '../common/log/file-manager.js';
import type { ConsoleOutput } from './console/console-sink.js';
import { ConsoleSink } from './console/console-sink.js';
import { FileStreamSink } from './file-stream/file-stream-sink.js';
import type { FileSinkFormat } from './file-stream/file-stream-sink-options.js';
import type { ForeachBatchFunction } from './foreach-batch/foreach-batch-sink.js';
import { ForeachBatchSink } from './foreach-batch/foreach-batch-sink.js';
import { KafkaSink } from './kafka/kafka-sink.js';
import type { ForeachWriter } from '../dataframe/data-stream-writer.js';
import { ForeachSink } from './foreach/foreach-sink.js';
import { MemorySink } from './memory/memory-sink.js';
import type { MemorySinkRegistry } from './memory/memory-sink-registry.js';
import type { Sink } from './sink.js';
import { RedisSink } from './redis/redis-sink.js';

/** What every sink factory receives (from `writeStream...` and the session). */
export interface SinkFactoryArgs {
  /** The writer options, as given to `writeStream.option(...)`. */
  readonly options: ScanOptions;
  /** The output path (`start(path)` or option `path`), or null. */
  readonly path: string | null;
  /** The query name (`queryName(...)`), or null. */
  readonly queryName: string | null;
  /** File operations for sink logs. */
  readonly fileManager: FileManager;
  /** The session's memory tables. */
  readonly memoryRegistry: MemorySinkRegistry;
  /** The function given to `foreachBatch(...)`, or null. */
  readonly foreachBatch: ForeachBatchFunction | null;
  /** The writer given to `foreach(...)`, or null. */
  readonly foreachWriter?: ForeachWriter | null;
  /** Where the console sink prints; default console.log. */
  readonly consoleOutput?: ConsoleOutput;
}

/** Options of the query rather than its sink, accepted by sinks that take no options of their own. */
const QUERY_OPTIONS: readonly string[] = ['checkpointLocation', 'lateRowsPath'];

function fileSink(format: FileSinkFormat, args: SinkFactoryArgs): FileStreamSink {
  const path = args.path ?? (typeof args.options.path === 'string' ? args.options.path : null);
  if (path === null) throw invalidArgument(`The ${format} sink needs an output folder: writeStream.format('${format}').start('out/').`);
  return new FileStreamSink(path, args.options, args.fileManager, format);
}

/** Builds a sink, validating its options (INVALID_ARGUMENT names the bad one). */
export type SinkFactory = (args: SinkFactoryArgs) => Sink;

/**
 * Every sink format by name:
 * - `console`: ConsoleSink (numRows, truncate); at-least-once.
 * - `memory`: MemorySink into `memoryRegistry` under `queryName` (append, complete).
 * - `parquet`: FileStreamSink into `path` (compression, partitionBy, maxRecordsPerFile); exactly-once, append.
 * - `csv`, `json`: FileStreamSink writing CSV / JSON lines (the batch writers' options, partitionBy, maxRecordsPerFile); exactly-once, append.
 * - `foreachBatch`: ForeachBatchSink calling `foreachBatch`; at-least-once.
 * - `foreach`: ForeachSink calling the open/process/close writer of `foreach(...)`; at-least-once.
 * - `kafka`: KafkaSink (topic, kafka.*, exactlyOnce); at-least-once, or exactly-once with `exactlyOnce`.
 * - `redis`: RedisSink (url, type, key | keyColumn, ttl, markerKey, ...); exactly-once per batch id.
 */
export const SINK_FACTORIES: Readonly<Record<string, SinkFactory>> = Object.freeze({
  console: (args: SinkFactoryArgs) => new ConsoleSink(args.options, args.consoleOutput),
  memory: (args: SinkFactoryArgs) => {
    checkKnownOptions(args.options, QUERY_OPTIONS, 'memory sink');
    if (args.queryName === null) throw invalidArgument('The memory sink needs a query name: writeStream.format("memory").queryName("results").');
    return new MemorySink(args.queryName, args.memoryRegistry);
  },
  parquet: (args: SinkFactoryArgs) => fileSink('parquet', args),
  csv: (args: SinkFactoryArgs) => fileSink('csv', args),
  json: (args: SinkFactoryArgs) => fileSink('json', args),
  foreachBatch: (args: SinkFactoryArgs) => {
    checkKnownOptions(args.options, QUERY_OPTIONS, 'foreachBatch sink');
    if (args.foreachBatch === null) throw invalidArgument('The foreachBatch sink needs a function: writeStream.foreachBatch(async (df, batchId) => { ... }).');
    return new ForeachBatchSink(args.foreachBatch);
  },
  foreach: (args: SinkFactoryArgs) => {
    if (args.foreachWriter === null || args.foreachWriter === undefined)
      throw invalidArgument(
        'The foreach sink needs a writer: writeStream.foreach({ open(partitionId, epochId) { ... }, process(row) { ... }, close(error) { ... } }).',
      );
    return new ForeachSink(args.foreachWriter);
  },
  kafka: (args: SinkFactoryArgs) => new KafkaSink(args.options),
  redis: (args: SinkFactoryArgs) => new RedisSink(args.options),
});

/** Sink format names, for messages and docs. */
export const SINK_FORMATS: readonly string[] = Object.keys(SINK_FACTORIES);

/** Creates the sink of `format` (case-insensitive); INVALID_ARGUMENT listing the formats when unknown. */
export function createSink(format: string, args: SinkFactoryArgs): Sink {
  const name = SINK_FORMATS.find((f) => f.toLowerCase() === format.toLowerCase());
  const factory = name === undefined ? undefined : SINK_FACTORIES[name];
  if (factory === undefined) throw invalidArgument(`Unknown sink format '${format}'. Formats: ${SINK_FORMATS.join(', ')}.`);
  return factory(args);
}
