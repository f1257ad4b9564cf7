import { invalidArgument } from '../common/errors.js';
import type { Schema } from '../common/schema.js';
import type { FileFormat, ScanOptions } from '../dataframe/plan/logical-plan.js';
import type { FileManager } from '../common/log/file-manager.js';
import type { Clock } from '../scheduler/clock.js';
import { FileStreamSource } from './file-stream/file-stream-source.js';
import { RatePerMicroBatchSource } from './rate/rate-micro-batch-source.js';
import { RateStreamSource } from './rate/rate-stream-source.js';
import { ReplaySource, replayPath } from './replay/replay-source.js';
import type { Source } from './source.js';
import { RedisStreamSource } from './redis-stream/redis-stream-source.js';

/** What every source factory receives (from `readStream...load(path)` and the query's checkpoint). */
export interface SourceFactoryArgs {
  /** The reader options, as given to `readStream.option(...)`. */
  readonly options: ScanOptions;
  /** The user's schema (`readStream.schema(...)`), or null. */
  readonly schema: Schema | null;
  /**
   * The schema an earlier creation of the same source settled (`readStream.load()` creates
   * the source once to learn it). A source given one takes it as its schema and need not
   * inspect its data again: as in Spark, a streaming source's schema is settled once, when
   * the DataFrame is built, and every query started from that DataFrame uses it.
   */
  readonly settledSchema?: Schema;
  /** The path given to `load(path)`, or null. */
  readonly path: string | null;
  /** The source's private checkpoint folder, `<checkpoint>/sources/<index>`. */
  readonly metadataPath: string;
  /** File operations for the source's metadata. */
  readonly fileManager: FileManager;
  /** The query's clock (time-driven sources read it). */
  readonly clock: Clock;
}

/** Builds a source, validating its options (INVALID_ARGUMENT names the bad one). */
export type SourceFactory = (args: SourceFactoryArgs) => Promise<Source>;

function noSchemaOrPath(format: string, args: SourceFactoryArgs): void {
  if (args.schema !== null) throw invalidArgument(`The ${format} source has a fixed schema (timestamp, value); remove readStream.schema(...).`);
  if (args.path !== null) throw invalidArgument(`The ${format} source reads no path; call load() without one.`);
}

function fileSource(format: FileFormat): SourceFactory {
  return async (args) => {
    if (args.path === null) throw invalidArgument(`The streaming ${format} source needs a folder or glob: readStream.format('${format}').load('in/').`);
    return FileStreamSource.create({
      format,
      path: args.path,
      schema: args.schema,
      ...(args.settledSchema === undefined ? {} : { settledSchema: args.settledSchema }),
      options: args.options,
      metadataPath: args.metadataPath,
      fileManager: args.fileManager,
    });
  };
}

/**
 * Every streaming source format by name. `memory` is not a format: a `MemoryStream` is
 * created directly and handed to the query.
 * - `rate`: RateStreamSource (rowsPerSecond, numPartitions), start time kept in metadataPath.
 * - `rate-micro-batch`: RatePerMicroBatchSource (rowsPerBatch, numPartitions, startTimestamp, advanceMillisPerBatch).
 * - `kafka`: KafkaSource (subscribe / subscribePattern / assign, startingOffsets, kafka.*...).
 * - `parquet`, `csv`, `json`: FileStreamSource over `path` (see its options).
 * - `replay`: ReplaySource, Parquet at `path` released in event-time order as the query's
 *   clock advances (eventTime, reorderBound); run it on a ReplayClock.
 * - `redis-stream`: RedisStreamSource (url, streams, startingOffsets, maxEntriesPerTrigger, failOnDataLoss, group).
 */
export const SOURCE_FACTORIES: Readonly<Record<string, SourceFactory>> = Object.freeze({
  rate: async (args: SourceFactoryArgs) => {
    noSchemaOrPath('rate', args);
    return new RateStreamSource(args.options, args.clock, { metadataPath: args.metadataPath, fileManager: args.fileManager });
  },
  'rate-micro-batch': async (args: SourceFactoryArgs) => {
    noSchemaOrPath('rate-micro-batch', args);
    return new RatePerMicroBatchSource(args.options);
  },
  kafka: async (args: SourceFactoryArgs) => {
    if (args.schema !== null)
      throw invalidArgument(
        'The kafka source has a fixed schema (key, value, topic, partition, offset, timestamp, timestampType); remove readStream.schema(...).',
      );
    if (args.path !== null) throw invalidArgument("The kafka source reads no path; call load() without one and name topics with option 'subscribe'.");
    // kafkajs loads only when a query reads Kafka.
    const { KafkaSource } = await import('./kafka/kafka-source.js');
    return new KafkaSource(args.options, { metadataPath: args.metadataPath, fileManager: args.fileManager }, args.clock);
  },
  parquet: fileSource('parquet'),
  csv: fileSource('csv'),
  json: fileSource('json'),
  'redis-stream': async (args: SourceFactoryArgs) => {
    if (args.path !== null) throw invalidArgument("The redis-stream source reads no path; name the streams with .option('streams', 'orders') and call load().");
    return new RedisStreamSource(args.options, args.schema, { metadataPath: args.metadataPath, fileManager: args.fileManager });
  },
  replay: async (args: SourceFactoryArgs) =>
    ReplaySource.create({ path: replayPath(args.path), schema: args.schema, options: args.options, clock: args.clock }),
});

/** Source format names, for messages and docs. */
export const SOURCE_FORMATS: readonly string[] = Object.keys(SOURCE_FACTORIES);

/** Creates the source of `format` (case-insensitive); INVALID_ARGUMENT listing the formats when unknown. */
export async function createSource(format: string, args: SourceFactoryArgs): Promise<Source> {
  const factory = SOURCE_FACTORIES[format.toLowerCase()];
  if (factory === undefined)
    throw invalidArgument(`Unknown streaming source format '${format}'. Formats: ${SOURCE_FORMATS.join(', ')} (and MemoryStream for tests).`);
  return factory(args);
}
