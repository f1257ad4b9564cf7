import { parseInterval } from '../scheduler/parse-interval.js';
import type { JoinHow } from './typed-options.js';
import type { Table } from 'apache-arrow';
import { arrowTableFromBatches } from '../common/arrow-convert.js';
import type { ColumnarBatch, ColumnVector } from '../common/column-vector.js';
import { concatBatches } from '../common/columnar-batch.js';
import { invalidArgument } from '../common/errors.js';
import type { Schema } from '../common/schema.js';
import { fieldNames, resolveFieldIndex, schemaTreeString } from '../common/schema.js';
import type { JsValue } from '../common/vector-from-values.js';
import { valueAt } from '../common/vector-value-at.js';
import { containsAggregate } from './expr/analyze-expr.js';
import { Column, columnExpr } from './expr/column.js';
import type { Expr } from './expr/expr.js';
import type { ColumnLike } from './expr/functions.js';
import { count, exprOf } from './expr/functions.js';
import { GroupedData } from './grouped-data.js';
import { DataFrameWriter } from './data-frame-writer.js';
import { DataStreamWriter } from './data-stream-writer.js';
import type { LogicalPlan } from './plan/logical-plan.js';
import { isStreamingPlan } from './plan/logical-plan.js';
import { buildAggregate } from './plan/builders/build-aggregate.js';
import { buildGroupingSets, cubeSets, rollupSets } from './plan/builders/build-grouping-sets.js';
import { groupingSetIndices } from './grouping-set-keys.js';
import { buildSummary, DESCRIBE_STATISTICS, SUMMARY_STATISTICS } from './describe.js';
import type { NaDropOptions, NaValue } from './na-functions.js';
import { DataFrameNaFunctions } from './na-functions.js';
import { buildSetAll, buildSetDistinct } from './set-operations.js';
import { withColumnsExprs, toDfExprs } from './column-utilities.js';
import { sampleArguments, sampleCondition } from './sample.js';
import { buildFilter } from './plan/builders/build-filter.js';
import { buildConditionJoin, buildUsingJoin, parseJoinType } from './plan/builders/build-join.js';
import { buildDeduplicate, buildEventTimeWatermark, buildLimit, buildSubqueryAlias, buildUnion, buildUnionByName } from './plan/builders/build-misc.js';
import { buildProject } from './plan/builders/build-project.js';
import { buildSort } from './plan/builders/build-sort.js';
import type { ExplainMode, QueryExecutor } from './query-executor.js';
import { showTable } from './show-table.js';
import { exprWithFunctions, sessionFunctions } from './sql/sql-expr.js';
import { viewCatalog } from './sql/sql-catalog.js';

/** One row of `toArray()`: column name to JS value (int64 as bigint, timestamps and dates as Date). */
export type Row = Record<string, JsValue>;

/**
 * A lazy, immutable table: a logical plan plus the executor that runs it. Transformations
 * (select, filter, join...) validate immediately and return a new DataFrame; actions
 * (collect, toArray, count, show, write) run the plan on the session's worker pool.
 * Method names follow Spark's Scala API.
 */
export class DataFrame {
  /** The logical plan this DataFrame stands for. */
  readonly plan: LogicalPlan;
  /** @internal The engine that runs actions. */
  readonly executor: QueryExecutor;

  constructor(plan: LogicalPlan, executor: QueryExecutor) {
    this.plan = plan;
    this.executor = executor;
  }

  private with(plan: LogicalPlan): DataFrame {
    return new DataFrame(plan, this.executor);
  }

  /** The output schema. */
  get schema(): Schema {
    return this.plan.schema;
  }

  /** The output column names. */
  get columns(): string[] {
    return fieldNames(this.plan.schema);
  }

  /** A reference to one of this DataFrame's columns (qualified by its alias, if it has one). */
  col(name: string): Column {
    const f = this.plan.schema.fields[resolveFieldIndex(this.plan.schema, name, null)];
    return new Column(Object.freeze({ kind: 'col', name, qualifier: f?.qualifier ?? null }));
  }

  /** Projects columns or expressions; aggregates without grouping make a one-row aggregation. */
  select(...cols: (ColumnLike | ColumnLike[])[]): DataFrame {
    const exprs = cols.flat().map(exprOf);
    if (exprs.some(containsAggregate)) return this.with(buildAggregate(this.plan, [], exprs));
    return this.with(buildProject(this.plan, exprs));
  }

  /** Keeps rows where `condition` is true: a boolean Column, or a SQL expression such as `"amount > 100 AND country = 'DE'"`. */
  filter(condition: Column | string): DataFrame {
    const c = typeof condition === 'string' ? exprWithFunctions(condition, sessionFunctions(this.executor)) : condition;
    return this.with(buildFilter(this.plan, columnExpr(c, 'filter()')));
  }

  /** Alias of {@link filter}. */
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  /** Projects SQL expressions (Spark's `selectExpr`): `df.selectExpr('id', 'amount * 2 AS double_amount', 'upper(name) n')`. */
  selectExpr(...exprs: string[]): DataFrame {
    const udfs = sessionFunctions(this.executor);
    return this.select(exprs.map((e) => exprWithFunctions(e, udfs)));
  }

  /**
   * Registers this DataFrame as a temporary view of the session under `name`
   * (case-insensitive), replacing a view of that name, so `sluice.sql('SELECT ... FROM name')`
   * can query it. A view of a streaming DataFrame makes SQL over it a streaming query.
   */
  createOrReplaceTempView(name: string): void {
    viewCatalog(this.executor, name, 'createOrReplaceTempView').registerTempView(name, this.plan);
  }

  /** Like {@link createOrReplaceTempView}, but fails when a view of that name exists (Spark's `createTempView`). */
  createTempView(name: string): void {
    const catalog = viewCatalog(this.executor, name, 'createTempView');
    if (catalog.tempView(name) !== undefined)
      throw invalidArgument(
        `Temporary view '${name}' already exists. Use createOrReplaceTempView('${name}') to replace it, or sluice.dropTempView('${name}') first.`,
      );
    catalog.registerTempView(name, this.plan);
  }

  /** Adds a column, or replaces the one with the same name in place. */
  withColumn(name: string, value: Column): DataFrame {
    const exists = this.plan.schema.fields.some((f) => f.name === name);
    const named: Expr = Object.freeze({ kind: 'alias', child: columnExpr(value, `withColumn('${name}', ...)`), name });
    const exprs: Expr[] = this.plan.schema.fields.map((f) =>
      f.name === name ? named : Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null }),
    );
    if (!exists) exprs.push(named);
    return this.with(buildProject(this.plan, exprs));
  }

  /** Renames a column; a name that does not exist is a no-op, as in Spark. */
  withColumnRenamed(existing: string, renamed: string): DataFrame {
    if (!this.plan.schema.fields.some((f) => f.name === existing)) return this;
    const exprs: Expr[] = this.plan.schema.fields.map((f) => {
      const ref: Expr = Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null });
      return f.name === existing ? Object.freeze({ kind: 'alias', child: ref, name: renamed }) : ref;
    });
    return this.with(buildProject(this.plan, exprs));
  }

  /** Drops columns by name; names that do not exist are ignored, as in Spark. */
  drop(...names: string[]): DataFrame {
    const keep = this.plan.schema.fields.filter((f) => !names.includes(f.name));
    if (keep.length === this.plan.schema.fields.length) return this;
    return this.with(
      buildProject(
        this.plan,
        keep.map((f) => Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null })),
      ),
    );
  }

  /** Groups by columns for aggregation with `.agg(...)`. */
  groupBy(...cols: (ColumnLike | ColumnLike[])[]): GroupedData {
    return new GroupedData(this, cols.flat().map(exprOf), (keys, aggs) => this.with(buildAggregate(this.plan, keys, aggs)));
  }

  /**
   * Groups by every combination of `cols` (Spark's `cube`): aggregations yield one row per
   * group of each subset of the columns, the columns outside the subset null; `grouping(c)`
   * and `groupingId()` tell a rolled-up null from a null value.
   */
  cube(...cols: (ColumnLike | ColumnLike[])[]): GroupedData {
    const keys = cols.flat().map(exprOf);
    return new GroupedData(this, keys, (k, aggs) => this.with(buildGroupingSets(this.plan, k, cubeSets(k.length), aggs)), 'cube');
  }

  /** Groups by the prefixes of `cols` (Spark's `rollup`): (c1..cn), (c1..cn-1), ..., () — totals and subtotals. */
  rollup(...cols: (ColumnLike | ColumnLike[])[]): GroupedData {
    const keys = cols.flat().map(exprOf);
    return new GroupedData(this, keys, (k, aggs) => this.with(buildGroupingSets(this.plan, k, rollupSets(k.length), aggs)), 'rollup');
  }

  /**
   * Groups by each of `sets` (Spark's `groupingSets`, SQL's GROUPING SETS): each set is a list
   * of grouping columns, drawn from `cols` (default: the columns of the sets in order of first
   * appearance). Output: all grouping columns (null outside the row's set), then the aggregates.
   */
  groupingSets(sets: readonly (readonly ColumnLike[])[], ...cols: ColumnLike[]): GroupedData {
    const { keys, indices } = groupingSetIndices(sets, cols);
    return new GroupedData(this, keys, (k, aggs) => this.with(buildGroupingSets(this.plan, k, indices, aggs)), 'groupingSets');
  }

  /** Aggregates the whole DataFrame into one row. */
  agg(...aggs: (Column | Column[])[]): DataFrame {
    return this.with(
      buildAggregate(
        this.plan,
        [],
        aggs.flat().map((c) => columnExpr(c, 'agg()')),
      ),
    );
  }

  /**
   * Basic statistics of `cols` (default: every numeric and string column), Spark's shape: a
   * string column `summary` (count, mean, stddev, min, max) and one string column per column.
   */
  describe(...cols: (string | string[])[]): DataFrame {
    return this.with(buildSummary(this.plan, DESCRIBE_STATISTICS, cols.flat()));
  }

  /**
   * The chosen statistics of every numeric and string column (Spark's `summary`): count,
   * mean, stddev, min, max, count_distinct, approx_count_distinct and percentiles such as
   * '25%' (percentileApprox); default count, mean, stddev, min, 25%, 50%, 75%, max.
   */
  summary(...statistics: string[]): DataFrame {
    return this.with(buildSummary(this.plan, statistics.length > 0 ? statistics : SUMMARY_STATISTICS, []));
  }

  /**
   * Joins with another DataFrame. `on` is a column name or list of names present on both
   * sides (they appear once in the output), or a boolean Column over both sides. `how` is
   * one of inner (default), left, right, full, semi, anti, cross (Spark's names and aliases).
   */
  join(other: DataFrame, on?: string | string[] | Column, how: JoinHow = 'inner'): DataFrame {
    const type = parseJoinType(how);
    if (on === undefined) return this.with(buildConditionJoin(this.plan, other.plan, null, type === 'inner' ? 'cross' : type));
    if (on instanceof Column) return this.with(buildConditionJoin(this.plan, other.plan, on.expr, type));
    return this.with(buildUsingJoin(this.plan, other.plan, typeof on === 'string' ? [on] : on, type));
  }

  /** Cartesian product. */
  crossJoin(other: DataFrame): DataFrame {
    return this.with(buildConditionJoin(this.plan, other.plan, null, 'cross'));
  }

  /** Sorts by columns (names sort ascending); use `col(x).desc()` etc. for direction and null order. */
  orderBy(...cols: (ColumnLike | ColumnLike[])[]): DataFrame {
    return this.with(buildSort(this.plan, cols.flat().map(exprOf)));
  }

  /** Alias of {@link orderBy}. */
  sort(...cols: (ColumnLike | ColumnLike[])[]): DataFrame {
    return this.orderBy(...cols);
  }

  /** The first `n` rows. */
  limit(n: number): DataFrame {
    return this.with(buildLimit(this.plan, n));
  }

  /** Distinct rows. */
  distinct(): DataFrame {
    return this.with(buildDeduplicate(this.plan, []));
  }

  /**
   * Keeps one row per distinct value of `cols` (all columns when omitted). On a stream the
   * keys seen are kept in state; when an event-time column with a watermark is among
   * `cols`, keys older than the watermark are evicted (otherwise state grows forever).
   */
  dropDuplicates(cols: string[] = []): DataFrame {
    return this.with(buildDeduplicate(this.plan, cols));
  }

  /**
   * Like {@link dropDuplicates}, for streams whose duplicates arrive within the watermark
   * delay of each other: a key is remembered until the watermark passes the event time of its
   * first row plus the delay, so the state stays bounded even when the event time is not
   * part of the key. Needs a {@link withWatermark} below it on a stream; in a batch query it
   * is the same as dropDuplicates.
   */
  dropDuplicatesWithinWatermark(cols: string[] = []): DataFrame {
    return this.with(buildDeduplicate(this.plan, cols, true));
  }

  /**
   * Declares `eventTime` (a timestamp column) the event time of this stream and `delay`
   * (e.g. '10 minutes') how late its rows may arrive. The engine tracks the watermark =
   * max event time seen - delay; stateful operators above drop rows at or before it and
   * evict state it has passed. Changes nothing in a batch query.
   */
  withWatermark(eventTime: string, delay: string): DataFrame {
    return this.with(buildEventTimeWatermark(this.plan, eventTime, parseInterval(delay)));
  }

  /** UNION ALL by column position (Spark's `union`). */
  union(other: DataFrame): DataFrame {
    return this.with(buildUnion([this.plan, other.plan]));
  }

  /** Alias of {@link union}. */
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  /** UNION ALL by column name. */
  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    return this.with(buildUnionByName(this.plan, other.plan, allowMissingColumns));
  }

  /** Rows in both DataFrames, without duplicates (Spark's `intersect`; nulls compare equal, columns match by position). */
  intersect(other: DataFrame): DataFrame {
    return this.with(buildSetDistinct(this.plan, other.plan, 'intersect'));
  }

  /** Rows in both DataFrames keeping duplicates: a row present a and b times appears min(a, b) times (Spark's `intersectAll`). */
  intersectAll(other: DataFrame): DataFrame {
    return this.with(buildSetAll(this.plan, other.plan, 'intersect'));
  }

  /** Rows of this DataFrame not in `other`, without duplicates (Spark's `except`; nulls compare equal). */
  except(other: DataFrame): DataFrame {
    return this.with(buildSetDistinct(this.plan, other.plan, 'except'));
  }

  /** Alias of {@link except} (PySpark's `subtract`). */
  subtract(other: DataFrame): DataFrame {
    return this.except(other);
  }

  /** Rows of this DataFrame not in `other`, keeping duplicates: a row present a and b times appears max(a - b, 0) times (Spark's `exceptAll`). */
  exceptAll(other: DataFrame): DataFrame {
    return this.with(buildSetAll(this.plan, other.plan, 'except'));
  }

  /** Null handling (Spark's `df.na`): `fill`, `drop`, `replace`. */
  get na(): DataFrameNaFunctions {
    return new DataFrameNaFunctions(this);
  }

  /** Alias of `na.fill` (PySpark's `fillna`). */
  fillna(value: NaValue | Readonly<Record<string, NaValue>>, subset?: readonly string[]): DataFrame {
    return this.na.fill(value, subset);
  }

  /** Alias of `na.drop` (PySpark's `dropna`). */
  dropna(how: 'any' | 'all' | NaDropOptions = 'any', subset?: readonly string[]): DataFrame {
    return this.na.drop(how, subset);
  }

  /** Adds or replaces several columns in one projection (Spark's `withColumns`); existing names are replaced in place, new ones appended in order. */
  withColumns(columns: Readonly<Record<string, Column>> | ReadonlyMap<string, Column>): DataFrame {
    return this.with(buildProject(this.plan, withColumnsExprs(this.plan.schema, columns)));
  }

  /** The same rows with the columns renamed, by position (Spark's `toDF(names*)`). */
  toDF(...names: string[]): DataFrame {
    return this.with(buildProject(this.plan, toDfExprs(this.plan.schema, names)));
  }

  /**
   * A random subset of the rows (Spark's `sample`, without replacement): each row is kept with
   * probability `fraction`, decided by a hash of `seed` and the row's values, so the same seed
   * keeps the same rows on every run, whatever the partitioning. The rows chosen differ from
   * Spark's for the same seed, and rows with equal values are kept or dropped together.
   * Without a seed, one is drawn when `sample` is called. `sample(true, ...)` is refused.
   */
  sample(fraction: number, seed?: number): DataFrame;
  sample(withReplacement: boolean, fraction: number, seed?: number): DataFrame;
  sample(a: boolean | number, b?: number, c?: number): DataFrame {
    const { fraction, seed } = sampleArguments(a, b, c);
    return this.filter(sampleCondition(this.plan.schema, fraction, seed));
  }

  /** `fn(this)`: chains a custom transformation (Spark's `transform`). */
  transform(fn: (df: DataFrame) => DataFrame): DataFrame {
    return fn(this);
  }

  /** Names this DataFrame so its columns can be referred to as `alias.column`. */
  alias(name: string): DataFrame {
    return this.with(buildSubqueryAlias(this.plan, name));
  }

  /** Alias of {@link alias}. */
  as(name: string): DataFrame {
    return this.alias(name);
  }

  /** Runs the plan and yields result batches as they are produced. */
  async *batches(): AsyncGenerator<ColumnarBatch> {
    yield* this.executor.execute(this.plan);
  }

  /** Runs the plan and returns the result as one columnar batch. */
  async collectBatch(): Promise<ColumnarBatch> {
    const parts: ColumnarBatch[] = [];
    for await (const b of this.executor.execute(this.plan)) parts.push(b);
    return concatBatches(this.plan.schema, parts);
  }

  /** Runs the plan and returns the result as an Apache Arrow Table. */
  async collect(): Promise<Table> {
    const parts: ColumnarBatch[] = [];
    for await (const b of this.executor.execute(this.plan)) parts.push(b);
    return arrowTableFromBatches(this.plan.schema, parts);
  }

  /**
   * Runs the plan and returns plain row objects (int64 as bigint, timestamps as Date).
   * `toArray<T>()` types the rows as `T` (say `{ id: bigint; name: string | null }`); the
   * type is the caller's claim, not checked against the schema.
   */
  async toArray<T extends object = Row>(): Promise<T[]> {
    const b = await this.collectBatch();
    const names = fieldNames(b.schema);
    const rows: Row[] = new Array(b.numRows);
    for (let i = 0; i < b.numRows; i++) {
      const r: Row = {};
      names.forEach((n, j) => {
        r[n] = valueAt(b.columns[j] as ColumnVector, i);
      });
      rows[i] = r;
    }
    return rows as unknown as T[];
  }

  /** The first `n` rows as objects. */
  async head(n = 1): Promise<Row[]> {
    return this.limit(n).toArray();
  }

  /** Alias of {@link head}. */
  async take(n: number): Promise<Row[]> {
    return this.head(n);
  }

  /** The first row, or undefined when empty. */
  async first(): Promise<Row | undefined> {
    return (await this.head(1))[0];
  }

  /** True when there are no rows. */
  async isEmpty(): Promise<boolean> {
    return (await this.head(1)).length === 0;
  }

  /** Number of rows. */
  async count(): Promise<number> {
    const rows = await this.with(buildAggregate(this.plan, [], [count().alias('count').expr])).collectBatch();
    const v = valueAt(rows.columns[0] as ColumnVector, 0);
    return typeof v === 'bigint' ? Number(v) : Number(v ?? 0);
  }

  /** Prints the first `n` rows as a table (Spark's `show`); returns the printed text. */
  async show(n = 20, truncate: boolean | number = true): Promise<string> {
    const b = await this.limit(n + 1).collectBatch();
    const text = showTable(b, n, truncate === true ? 20 : truncate === false ? 0 : truncate, b.numRows > n);
    console.log(text);
    return text;
  }

  /** Prints the plan (`extended` also shows the logical and optimized plans); returns the printed text. */
  explain(mode: ExplainMode | boolean = 'simple'): string {
    const text = this.executor.explain(this.plan, mode === true ? 'extended' : mode === false ? 'simple' : mode);
    console.log(text);
    return text;
  }

  /** Prints the schema as a tree; returns the printed text. */
  printSchema(): string {
    const text = schemaTreeString(this.plan.schema);
    console.log(text);
    return text;
  }

  /** Computes the result once and keeps it in memory; later actions reuse it. */
  async cache(): Promise<DataFrame> {
    return this.with(await this.executor.materialize(this.plan));
  }

  /** Alias of {@link cache}. */
  async persist(): Promise<DataFrame> {
    return this.cache();
  }

  /** The writer that starts a streaming query over this streaming DataFrame: `df.writeStream.format('console').start()`. */
  get writeStream(): DataStreamWriter {
    if (!isStreamingPlan(this.plan))
      throw invalidArgument('writeStream needs a streaming DataFrame (from sluice.readStream). Use df.write for a static DataFrame.');
    return new DataStreamWriter(this);
  }

  /** True when this DataFrame reads a streaming source (run it with `writeStream`). */
  get isStreaming(): boolean {
    return isStreamingPlan(this.plan);
  }

  /** The writer for saving this DataFrame. */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }

  /** @internal Checks a column name exists (used by writers). */
  assertColumns(names: readonly string[], what: string): void {
    for (const n of names) {
      if (!this.plan.schema.fields.some((f) => f.name === n)) throw invalidArgument(`${what}: unknown column '${n}'. Columns are: ${this.columns.join(', ')}.`);
    }
  }
}
