/**
 * Sluice: a micro-batch stream processing engine for Node.js on a columnar (Arrow-layout)
 * core, in the spirit of Spark Structured Streaming. This module is the curated public API.
 *
 * ```ts
 * import { Sluice, col, sum, count } from 'sluice';
 * const sluice = await Sluice.builder().workers(2).getOrCreate();
 * const tx = await sluice.read.parquet('data/transactions');
 * await tx.groupBy('country').agg(count().alias('n'), sum('amount')).orderBy(col('n').desc()).show();
 * await sluice.stop();
 * ```
 */
export { Sluice, SluiceBuilder } from './engine/session/sluice.js';
export { DataFrameReader } from './engine/session/data-frame-reader.js';
export { RuntimeConf, CONF_DEFAULTS } from './engine/session/session-conf.js';
export type { BatchProgressEvent, BatchProgressListener } from './engine/session/batch-progress.js';
export { ConsoleProgressBar } from './engine/session/console-progress-bar.js';
export type { InputRows } from './engine/session/create-local-batch.js';
export { DataFrame } from './dataframe/data-frame.js';
export type { Row } from './dataframe/data-frame.js';
export { GroupedData } from './dataframe/grouped-data.js';
export { DataFrameWriter } from './dataframe/data-frame-writer.js';
export { Column } from './dataframe/expr/column.js';
export { Window, WindowSpec } from './dataframe/window-spec.js';
export { expr } from './dataframe/sql/sql-expr.js';
export type { WindowColumn } from './dataframe/window-spec.js';
export type { ColumnOrLiteral } from './dataframe/expr/column.js';
export type { ColumnLike, FromJsonOptions } from './dataframe/expr/functions.js';
export { median, percentile, percentileApprox } from './dataframe/expr/functions-percentile.js';
export { grouping, groupingId } from './dataframe/expr/grouping-functions.js';
export { PivotedData } from './dataframe/pivoted-data.js';
export { DataFrameNaFunctions } from './dataframe/na-functions.js';
export type { NaDropOptions, NaValue } from './dataframe/na-functions.js';
export * from './dataframe/expr/functions-strings.js';
export * from './dataframe/expr/functions-datetime.js';
export * from './dataframe/expr/functions-json.js';
export { rowNumber, rank, denseRank, percentRank, cumeDist, ntile, lag, lead, firstValue, lastValue } from './dataframe/expr/functions-window.js';
export { WINDOW_FUNCTION_NAMES } from './dataframe/expr/window-functions.js';
export {
  array,
  arrayContains,
  size,
  elementAt,
  arrayJoin,
  sortArray,
  arrayDistinct,
  arrayMax,
  arrayMin,
  createMap,
  map,
  mapKeys,
  mapValues,
} from './dataframe/expr/functions-collections.js';
export { explode, explodeOuter, posexplode, posexplodeOuter } from './dataframe/expr/functions-generators.js';
export { COLLECTION_FUNCTIONS, GENERATOR_FUNCTIONS } from './dataframe/expr/collection-function-names.js';
export type { CollectionFunctionName, GeneratorFunctionName } from './dataframe/expr/collection-function-names.js';
export type { WindowFunctionName } from './dataframe/expr/window-functions.js';
export {
  col,
  column,
  lit,
  when,
  not,
  coalesce,
  lower,
  upper,
  trim,
  length,
  substring,
  concat,
  like,
  startsWith,
  endsWith,
  contains,
  year,
  month,
  dayofmonth,
  hour,
  minute,
  second,
  dateTrunc,
  unixMillis,
  unixSeconds,
  fromUnixTime,
  toTimestamp,
  toDate,
  abs,
  round,
  floor,
  ceil,
  sqrt,
  window,
  windowTime,
  sessionWindow,
  struct,
  fromJson,
  count,
  countDistinct,
  approxCountDistinct,
  sum,
  avg,
  mean,
  min,
  max,
  first,
  last,
  stddev,
  stddevPop,
  variance,
  varPop,
  collectList,
  collectSet,
  asc,
  desc,
} from './dataframe/expr/functions.js';
export { udf, vectorizedUdf, udfFromModule } from './dataframe/udf/user-defined-function.js';
export type { UdfModuleRef, UdfOptions, UdfReturnType, UserDefinedFunction } from './dataframe/udf/user-defined-function.js';
export { UdfRegistry } from './dataframe/udf/udf-registry.js';
export { types } from './common/data-type.js';
export type { DataType, TimeUnit } from './common/data-type.js';
export { field, schemaOf } from './common/schema.js';
export type { Field, Schema } from './common/schema.js';
export { SluiceError } from './common/errors.js';
export type { ErrorCode, ErrorDomain } from './common/errors.js';
export type { ColumnVector, ColumnarBatch } from './common/column-vector.js';
export { DataStreamReader } from './engine/session/data-stream-reader.js';
export type { FromSourceOptions } from './engine/session/data-stream-reader.js';
export { DataStreamWriter } from './dataframe/data-stream-writer.js';
export type { ForeachBatchFn, StreamClock, StreamOutputMode, StreamTrigger } from './dataframe/data-stream-writer.js';
export type { ForeachWriter } from './dataframe/data-stream-writer.js';
export type { CatalogTable, TableCatalog } from './engine/session/table-catalog.js';
export type { StreamingQuery } from './dataframe/streaming-query.js';
export type {
  BatchDurations,
  SinkProgress,
  SourceProgress,
  StateOperatorProgress,
  StreamingQueryProgress,
  StreamingQueryStatus,
} from './dataframe/query-progress.js';
export { StreamingQueryManager } from './engine/execution/streaming-query-manager.js';
export type {
  QueryIdleEvent,
  QueryProgressEvent,
  QueryStartedEvent,
  QueryTerminatedEvent,
  StreamingQueryListener,
} from './engine/execution/query-listener.js';
export type { DashboardOptions, DashboardServer } from './engine/ui/dashboard-server.js';
export type {
  DashboardQueryDetail,
  DashboardQueryError,
  DashboardQueryStatus,
  DashboardQuerySummary,
} from './engine/ui/dashboard-state.js';
export { Trigger } from './scheduler/trigger.js';
export type { Clock } from './scheduler/clock.js';
export { ManualClock } from './scheduler/manual-clock.js';
export { SystemClock } from './scheduler/system-clock.js';
export { ReplayClock } from './scheduler/replay-clock.js';
export type { ReplayClockOptions } from './scheduler/replay-clock.js';
export { MemoryStream } from './sources/memory/memory-stream.js';
export type { Offset, ReadLimit, Source } from './sources/source.js';
export type { OutputMode, Sink, SinkRunInfo } from './sinks/sink.js';
export { defineJob } from './jobs/job-definition.js';
export type { JobDefinition, JobInput, JobSink } from './jobs/job-definition.js';
export { DEFAULT_REPLAY_TRIGGER_MS, runJob } from './jobs/run-job.js';
export type { JobMode, JobRun, RunJobOptions } from './jobs/run-job.js';
export type {
  ExpiredTimerInfo,
  ListState,
  MapState,
  StatefulProcessor,
  StatefulProcessorHandle,
  StateValue,
  TimeMode,
  TimerValues,
  TransformWithStateOptions,
  TTLConfig,
  ValueState,
} from './dataframe/transform-with-state.js';
export type { ListenerEvent } from './engine/execution/query-listener.js';
export type { MemoryRows } from './sources/memory/memory-rows.js';
export type { JsStruct, JsValue } from './common/vector-from-values.js';
export type { ExplainMode } from './dataframe/query-executor.js';
export type {
  ConsoleSinkOptions,
  CsvReadOptions,
  FileReadOptions,
  FileStreamReadOptions,
  JoinHow,
  JsonReadOptions,
  KafkaClientOptions,
  KafkaReadOptions,
  KafkaSourceCommonOptions,
  KafkaStreamReadOptions,
  KafkaWriteOptions,
  OptionKeyOf,
  OptionsOf,
  OptionValue,
  ParquetReadOptions,
  ParquetSinkOptions,
  ParquetWriteOptions,
  ParseModeOption,
  RateMicroBatchReadOptions,
  RateReadOptions,
  ReadFormat,
  ReadOptionsByFormat,
  RedisStreamReadOptions,
  RedisWriteOptions,
  ReplayReadOptions,
  SaveMode,
  StreamQueryOptions,
  StreamReadFormat,
  StreamReadOptionsByFormat,
  StreamWriteFormat,
  StreamWriteOptionsByFormat,
  TriggerKind,
  WriteFormat,
  WriteOptionsByFormat,
} from './dataframe/typed-options.js';
