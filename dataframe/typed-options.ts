/**
 * The formats, modes and options a user writes against, as types: a misspelt format, save
 * mode, output mode, join type or option key is a compile error, and the editor lists the
 * keys. The same keys are checked when the query is built (`load()`, `start()`, `save()`):
 * an unknown key is INVALID_ARGUMENT naming the closest known one. Connector pass-through
 * keys (`kafka.*`) are accepted as they are.
 */

/** An option value: strings, numbers and booleans (Spark's `.option(key, value)`). */
export type OptionValue = string | number | boolean;

/** How CSV and JSON readers treat malformed records. */
export type ParseModeOption = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

/** Options of every file reader. */
export interface FileReadOptions {
  /** Where Hive `key=value` partition folders start (default: the path given to load). */
  readonly basePath?: string;
}

/** Options of `read.parquet` / `read.format('parquet')`. */
export type ParquetReadOptions = FileReadOptions;

/** Options of `read.csv` / `read.format('csv')`. */
export interface CsvReadOptions extends FileReadOptions {
  readonly header?: boolean | 'true' | 'false';
  readonly sep?: string;
  readonly delimiter?: string;
  readonly quote?: string;
  readonly escape?: string;
  readonly comment?: string;
  readonly nullValue?: string;
  readonly inferSchema?: boolean | 'true' | 'false';
  readonly inferTimestamp?: boolean | 'true' | 'false';
  readonly mode?: ParseModeOption;
  readonly columnNameOfCorruptRecord?: string;
  readonly multiLine?: boolean | 'true' | 'false';
  readonly samplingRows?: number;
}

/** Options of `read.json` / `read.format('json')` (newline-delimited JSON). */
export interface JsonReadOptions extends FileReadOptions {
  readonly mode?: ParseModeOption;
  readonly columnNameOfCorruptRecord?: string;
  readonly samplingRows?: number;
  readonly inferTimestamp?: boolean | 'true' | 'false';
}

/** Options of the streaming file sources, on top of the format's reader options. */
export interface FileStreamReadOptions {
  readonly maxFilesPerTrigger?: number;
  readonly maxBytesPerTrigger?: number | string;
  readonly latestFirst?: boolean;
  readonly maxFileAge?: number | string;
  readonly schemaInference?: boolean;
  readonly ignoreMissingFiles?: boolean;
}

/** Kafka client settings passed through to the client: `kafka.bootstrap.servers`, `kafka.security.protocol`, ... */
export type KafkaClientOptions = { readonly [key: `kafka.${string}`]: OptionValue };

/** Options of the Kafka source, batch and stream. */
export interface KafkaSourceCommonOptions {
  readonly subscribe?: string;
  readonly subscribePattern?: string;
  readonly assign?: string;
  readonly startingOffsets?: string;
  readonly startingTimestamp?: number | string;
  readonly startingOffsetsByTimestamp?: string;
  readonly failOnDataLoss?: boolean;
  readonly includeHeaders?: boolean;
  readonly 'fetchOffset.numRetries'?: number;
  readonly 'fetchOffset.retryIntervalMs'?: number;
  readonly 'kafkaConsumer.pollTimeoutMs'?: number;
}

/** Options of `read.format('kafka')` (a batch read of offset ranges). */
export type KafkaReadOptions = KafkaSourceCommonOptions &
  KafkaClientOptions & {
    readonly endingOffsets?: string;
    readonly endingTimestamp?: number | string;
    readonly endingOffsetsByTimestamp?: string;
  };

/** Options of `readStream.format('kafka')`. */
export type KafkaStreamReadOptions = KafkaSourceCommonOptions &
  KafkaClientOptions & {
    readonly maxOffsetsPerTrigger?: number;
    readonly minOffsetsPerTrigger?: number;
    readonly maxTriggerDelay?: number | string;
    readonly commitOffsetsToGroup?: string;
  };

/** Options of the `redis-stream` format (batch and stream). */
export interface RedisStreamReadOptions {
  readonly url?: string;
  readonly streams?: string;
  readonly startingOffsets?: string;
  readonly endingOffsets?: string;
  readonly maxEntriesPerTrigger?: number;
  readonly failOnDataLoss?: boolean;
  readonly group?: string;
  readonly retryMillis?: number;
}

/** Options of `readStream.format('rate')`. */
export interface RateReadOptions {
  readonly rowsPerSecond?: number;
  readonly numPartitions?: number;
}

/** Options of `readStream.format('rate-micro-batch')`. */
export interface RateMicroBatchReadOptions {
  readonly rowsPerBatch?: number;
  readonly numPartitions?: number;
  readonly startTimestamp?: number;
  readonly advanceMillisPerBatch?: number;
}

/** Options of `readStream.format('replay')`. */
export interface ReplayReadOptions {
  readonly eventTime?: string;
  readonly reorderBound?: number | string;
}

/** Options by batch read format. */
export interface ReadOptionsByFormat {
  parquet: ParquetReadOptions;
  csv: CsvReadOptions;
  json: JsonReadOptions;
  kafka: KafkaReadOptions;
  'redis-stream': RedisStreamReadOptions;
}

/** Options by streaming read format. */
export interface StreamReadOptionsByFormat {
  parquet: ParquetReadOptions & FileStreamReadOptions;
  csv: CsvReadOptions & FileStreamReadOptions;
  json: JsonReadOptions & FileStreamReadOptions;
  kafka: KafkaStreamReadOptions;
  'redis-stream': RedisStreamReadOptions;
  rate: RateReadOptions;
  'rate-micro-batch': RateMicroBatchReadOptions;
  replay: ReplayReadOptions;
}

/** Options of a Parquet write: `compression` (default the session's `sluice.sql.parquet.compression`), `rowGroupSize` (rows), `path`. */
export interface ParquetWriteOptions {
  readonly compression?: 'zstd' | 'snappy' | 'none' | 'uncompressed';
  readonly rowGroupSize?: number;
  readonly path?: string;
}

/** Options of the Kafka sink (batch write and stream). */
export type KafkaWriteOptions = KafkaClientOptions & {
  readonly topic?: string;
  readonly exactlyOnce?: boolean;
  readonly markerTopic?: string;
  readonly transactionalIdPrefix?: string;
  readonly checkpointLocation?: string;
  readonly path?: string;
};

/** Options of the Redis sink (batch write and stream). */
export interface RedisWriteOptions {
  readonly url?: string;
  readonly type?: 'string' | 'hash' | 'zset' | 'stream';
  readonly key?: string;
  readonly keyColumn?: string;
  readonly valueColumn?: string;
  readonly scoreColumn?: string;
  readonly memberColumn?: string;
  readonly ttl?: number | string;
  readonly markerKey?: string;
  readonly rowsPerTransaction?: number;
  readonly retryMillis?: number;
  readonly checkpointLocation?: string;
}

/** Options of a CSV write (batch or stream), with Spark's names and defaults. */
export interface CsvWriteOptions {
  readonly header?: boolean | string;
  readonly sep?: string;
  readonly delimiter?: string;
  readonly quote?: string;
  readonly escape?: string;
  readonly nullValue?: string;
  readonly emptyValue?: string;
  readonly quoteAll?: boolean | string;
  readonly escapeQuotes?: boolean | string;
  readonly ignoreLeadingWhiteSpace?: boolean | string;
  readonly ignoreTrailingWhiteSpace?: boolean | string;
  readonly dateFormat?: string;
  readonly timestampFormat?: string;
  readonly compression?: 'none' | 'uncompressed';
  readonly partitionBy?: string;
  readonly maxRecordsPerFile?: number;
  readonly path?: string;
}

/** Options of a JSON-lines write (batch or stream), with Spark's names and defaults. */
export interface JsonWriteOptions {
  readonly ignoreNullFields?: boolean | string;
  readonly dateFormat?: string;
  readonly timestampFormat?: string;
  readonly compression?: 'none' | 'uncompressed';
  readonly partitionBy?: string;
  readonly maxRecordsPerFile?: number;
  readonly path?: string;
}

/** Options by batch write format. */
export interface WriteOptionsByFormat {
  parquet: ParquetWriteOptions;
  csv: CsvWriteOptions;
  json: JsonWriteOptions;
  kafka: KafkaWriteOptions;
  redis: RedisWriteOptions;
}

/** Options every streaming query takes, whatever its sink. */
export interface StreamQueryOptions {
  /** Where the query keeps its offset and commit logs and state. */
  readonly checkpointLocation?: string;
  /** Where rows dropped as late by stateful operators are written (Parquet). */
  readonly lateRowsPath?: string;
}

/** Options of the console sink. */
export interface ConsoleSinkOptions extends StreamQueryOptions {
  readonly numRows?: number;
  readonly truncate?: boolean;
}

/** Options of the streaming Parquet sink. */
export interface ParquetSinkOptions extends StreamQueryOptions {
  readonly compression?: string;
  readonly partitionBy?: string;
  readonly maxRecordsPerFile?: number;
  readonly path?: string;
}

/** Options by streaming sink format. */
export interface StreamWriteOptionsByFormat {
  console: ConsoleSinkOptions;
  memory: StreamQueryOptions;
  parquet: ParquetSinkOptions;
  csv: CsvWriteOptions & StreamQueryOptions;
  json: JsonWriteOptions & StreamQueryOptions;
  foreachBatch: StreamQueryOptions;
  foreach: StreamQueryOptions;
  kafka: KafkaWriteOptions & StreamQueryOptions;
  redis: RedisWriteOptions & StreamQueryOptions;
}

/** Batch read formats: `read.format(...)`. */
export type ReadFormat = keyof ReadOptionsByFormat;
/** Streaming read formats: `readStream.format(...)`. */
export type StreamReadFormat = keyof StreamReadOptionsByFormat;
/** Batch write formats: `write.format(...)`. */
export type WriteFormat = keyof WriteOptionsByFormat;
/** Streaming sink formats: `writeStream.format(...)`. */
export type StreamWriteFormat = keyof StreamWriteOptionsByFormat;

/** What a batch write does when the target exists (Spark's SaveMode). */
export type SaveMode = 'error' | 'errorifexists' | 'overwrite' | 'append' | 'ignore';

/** Join types of `join(other, on, how)`: Spark's names and aliases. */
export type JoinHow =
  | 'inner'
  | 'left'
  | 'leftouter'
  | 'left_outer'
  | 'right'
  | 'rightouter'
  | 'right_outer'
  | 'full'
  | 'outer'
  | 'fullouter'
  | 'full_outer'
  | 'semi'
  | 'leftsemi'
  | 'left_semi'
  | 'anti'
  | 'leftanti'
  | 'left_anti'
  | 'cross';

/** The kinds of streaming trigger (`Trigger.processingTime(...)`, `Trigger.once()`, `Trigger.availableNow()`). */
export type TriggerKind = 'processingTime' | 'once' | 'availableNow';

/** The option keys of format `F` of an options map `M` (all keys of every format when `F` is the whole union). */
export type OptionKeyOf<M, F extends keyof M> = F extends F ? keyof M[F] & string : never;

/** The options object of format `F` (for `F` a union: any of them). */
export type OptionsOf<M, F extends keyof M> = F extends F ? M[F] : never;
