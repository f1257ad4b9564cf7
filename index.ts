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
export type { InputRows } from './engine/session/create-local-batch.js';
export { DataFrame } from './dataframe/data-frame.js';
export type { Row } from './dataframe/data-frame.js';
export { GroupedData } from './dataframe/grouped-data.js';
export { DataFrameWriter } from './dataframe/data-frame-writer.js';
export { Column } from './dataframe/expr/column.js';
export type { ColumnOrLiteral } from './dataframe/expr/column.js';
export type { ColumnLike } from './dataframe/expr/functions.js';
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
export { types } from './common/data-type.js';
export type { DataType, TimeUnit } from './common/data-type.js';
export { field, schemaOf } from './common/schema.js';
export type { Field, Schema } from './common/schema.js';
export { SluiceError } from './common/errors.js';
export type { ErrorCode, ErrorDomain } from './common/errors.js';
export type { ColumnVector, ColumnarBatch } from './common/column-vector.js';
