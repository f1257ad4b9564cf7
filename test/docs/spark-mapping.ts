import { readFileSync } from 'node:fs';
import { StreamExecution } from '../../engine/execution/stream-execution.js';
import * as sluice from '../../index.js';

/**
 * Builds docs/SPARK-MAPPING.md: every public name of PySpark 4.2.0 (functions and the methods
 * of DataFrame, Column, GroupedData, the readers and writers, StreamingQuery, SparkSession),
 * with its Sluice counterpart found by looking at what the package really exports: the same
 * name (snake_case names camelCased), a differently named counterpart from {@link RENAMED},
 * something that makes no sense outside Python/the JVM ({@link NOT_APPLICABLE}), or "not yet".
 */

type Section =
  | 'functions'
  | 'DataFrame'
  | 'Column'
  | 'GroupedData'
  | 'DataFrameNaFunctions'
  | 'DataFrameStatFunctions'
  | 'DataFrameReader'
  | 'DataFrameWriter'
  | 'WindowSpec'
  | 'DataStreamReader'
  | 'DataStreamWriter'
  | 'StreamingQuery'
  | 'SparkSession';

const SECTIONS: readonly { readonly name: Section; readonly title: string; readonly sluice: string }[] = [
  { name: 'functions', title: 'pyspark.sql.functions', sluice: "exports of the package (`import { col, sum } from 'sluice'`)" },
  { name: 'DataFrame', title: 'DataFrame', sluice: '`DataFrame`' },
  { name: 'Column', title: 'Column', sluice: '`Column`' },
  { name: 'GroupedData', title: 'GroupedData', sluice: '`GroupedData` (from `df.groupBy(...)`)' },
  { name: 'DataFrameNaFunctions', title: 'DataFrameNaFunctions (df.na)', sluice: '`df.na`' },
  { name: 'DataFrameStatFunctions', title: 'DataFrameStatFunctions (df.stat)', sluice: '`df.stat`' },
  { name: 'DataFrameReader', title: 'DataFrameReader (spark.read)', sluice: '`sluice.read`' },
  { name: 'DataFrameWriter', title: 'DataFrameWriter (df.write)', sluice: '`df.write`' },
  { name: 'WindowSpec', title: 'Window / WindowSpec', sluice: '`Window`, `WindowSpec`' },
  { name: 'DataStreamReader', title: 'DataStreamReader (spark.readStream)', sluice: '`sluice.readStream`' },
  { name: 'DataStreamWriter', title: 'DataStreamWriter (df.writeStream)', sluice: '`df.writeStream`' },
  { name: 'StreamingQuery', title: 'StreamingQuery', sluice: 'the `StreamingQuery` that `start()` returns' },
  { name: 'SparkSession', title: 'SparkSession', sluice: '`Sluice` (the session)' },
];

/** PySpark names whose Sluice counterpart has another name or shape: section.name -> how to write it. */
const RENAMED: Readonly<Record<string, string>> = {
  'functions.column': '`col`',
  'functions.mean': '`avg`',
  'functions.count_distinct': '`countDistinct`',
  'functions.stddev_samp': '`stddev`',
  'functions.std': '`stddev`',
  'functions.var_samp': '`variance`',
  'functions.substr': '`substring`',
  'functions.ifnull': '`coalesce`',
  'functions.nvl': '`coalesce`',
  'functions.isnull': "`col('x').isNull()`",
  'functions.isnotnull': "`col('x').isNotNull()`",
  'functions.isnan': "`col('x').isNaN()`",
  'functions.first_value': '`first` (aggregate) or `firstValue` over a window',
  'functions.last_value': '`last` (aggregate) or `lastValue` over a window',
  'functions.any_value': '`first`',
  'functions.call_udf': "`sluice.udf.get('name')(...cols)`",
  'functions.btrim': '`trim(c, chars)`',
  'functions.printf': '`formatString`',
  'functions.regexp': '`rlike`',
  'functions.regexp_like': '`rlike`',
  'functions.position': '`locate`',
  'functions.date_diff': '`datediff`',
  'functions.dateadd': '`dateAdd`',
  'functions.make_interval': "`interval('1 day 2 hours')`",
  'functions.make_dt_interval': "`interval('1 day 2 hours')`",
  'functions.make_ym_interval': "`interval('1 year 2 months')`",
  'functions.bool_and': '`every`',
  'functions.bool_or': '`some`',
  'functions.negative': "`col('x').multiply(-1)`",
  'functions.negate': "`col('x').multiply(-1)`",
  'Column.astype': '`cast`',
  'Column.startswith': '`startsWith`',
  'Column.endswith': '`endsWith`',
  'Column.name': '`alias`',
  'Column.substr': '`substring(col, pos, len)`',
  'DataFrame.groupby': '`groupBy`',
  'DataFrame.drop_duplicates': '`dropDuplicates`',
  'DataFrame.unionAll': '`union`',
  'DataFrame.subtract': '`except`',
  'DataFrame.where': '`filter` / `where`',
  'DataFrame.toArrow': '`collectBatch()` / `toArrow()`',
  'DataFrame.registerTempTable': '`createOrReplaceTempView`',
  'GroupedData.mean': '`avg`',
  'StreamingQuery.exception': '`exception()`',
  'SparkSession.read': '`read`',
  'SparkSession.readStream': '`readStream`',
};

/** Names that belong to Python, pandas, RDDs, the JVM or Spark Connect: no counterpart is planned. */
const NOT_APPLICABLE = new Set<string>([
  'functions.udtf',
  'functions.arrow_udtf',
  'functions.arrow_udf',
  'functions.java_method',
  'functions.reflect',
  'functions.try_reflect',
  'functions.input_file_block_length',
  'functions.input_file_block_start',
  'DataFrame.rdd',
  'DataFrame.pandas_api',
  'DataFrame.toPandas',
  'DataFrame.mapInPandas',
  'DataFrame.mapInArrow',
  'DataFrame.plot',
  'DataFrame.sparkSession',
  'DataFrame.storageLevel',
  'DataFrame.executionInfo',
  'GroupedData.applyInPandas',
  'GroupedData.applyInPandasWithState',
  'GroupedData.transformWithStateInPandas',
  'GroupedData.apply',
  'GroupedData.applyInArrow',
  'GroupedData.cogroup',
  'DataFrameReader.jdbc',
  'DataFrameReader.orc',
  'DataFrameReader.xml',
  'DataFrameWriter.jdbc',
  'DataFrameWriter.orc',
  'DataFrameWriter.xml',
  'DataFrameWriter.insertInto',
  'DataFrameWriter.saveAsTable',
  'DataFrameWriter.bucketBy',
  'DataFrameWriter.sortBy',
  'DataStreamReader.orc',
  'DataStreamReader.xml',
  'SparkSession.sparkContext',
  'SparkSession.addArtifact',
  'SparkSession.addArtifacts',
  'SparkSession.client',
  'SparkSession.copyFromLocalToFs',
  'SparkSession.profile',
  'SparkSession.addTag',
  'SparkSession.removeTag',
  'SparkSession.getTags',
  'SparkSession.clearTags',
  'SparkSession.interruptAll',
  'SparkSession.interruptOperation',
  'SparkSession.interruptTag',
  'SparkSession.udtf',
]);

/** `regexp_replace` -> `regexpReplace`; names without underscores stay as they are. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function memberNames(proto: object | null): Set<string> {
  const names = new Set<string>();
  for (let p = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor' && !n.startsWith('_')) names.add(n);
  }
  return names;
}

/** What Sluice offers in each section, read from the package itself. */
function sluiceNames(): Record<Section, Set<string>> {
  const exported = new Set(Object.entries(sluice).flatMap(([n, v]) => (typeof v === 'function' && /^[a-z]/.test(n) ? [n] : [])));
  const df = memberNames(sluice.DataFrame.prototype);
  const proto = (name: string): object | null => {
    const v = (sluice as Record<string, unknown>)[name];
    return typeof v === 'function' ? (v as { prototype: object }).prototype : null;
  };
  const window = memberNames(sluice.WindowSpec.prototype);
  for (const n of Object.getOwnPropertyNames(sluice.Window)) window.add(n);
  return {
    functions: exported,
    DataFrame: df,
    Column: memberNames(sluice.Column.prototype),
    GroupedData: memberNames(sluice.GroupedData.prototype),
    DataFrameNaFunctions: memberNames(proto('DataFrameNaFunctions')),
    DataFrameStatFunctions: memberNames(proto('DataFrameStatFunctions')),
    DataFrameReader: memberNames(sluice.DataFrameReader.prototype),
    DataFrameWriter: memberNames(sluice.DataFrameWriter.prototype),
    WindowSpec: window,
    DataStreamReader: memberNames(sluice.DataStreamReader.prototype),
    DataStreamWriter: memberNames(sluice.DataStreamWriter.prototype),
    StreamingQuery: memberNames(StreamExecution.prototype),
    SparkSession: memberNames(sluice.Sluice.prototype),
  };
}

/** One row of the table: the PySpark name, the status and the Sluice spelling. */
export interface MappingRow {
  readonly section: Section;
  readonly spark: string;
  readonly status: 'same' | 'renamed' | 'not yet' | 'n/a';
  readonly sluice: string;
}

/** Maps every PySpark name of the captured list to Sluice. */
export function mappingRows(apiFile: URL): MappingRow[] {
  const api = JSON.parse(readFileSync(apiFile, 'utf8')) as Record<string, unknown>;
  const have = sluiceNames();
  const rows: MappingRow[] = [];
  for (const { name: section } of SECTIONS) {
    const names = (api[section] as string[] | undefined) ?? [];
    for (const spark of names) {
      const key = `${section}.${spark}`;
      const camel = camelCase(spark);
      if (have[section].has(spark) || have[section].has(camel))
        rows.push({ section, spark, status: 'same', sluice: `\`${have[section].has(spark) ? spark : camel}\`` });
      else if (RENAMED[key] !== undefined) rows.push({ section, spark, status: 'renamed', sluice: RENAMED[key] });
      else if (NOT_APPLICABLE.has(key)) rows.push({ section, spark, status: 'n/a', sluice: 'not applicable (Python, RDD, JVM or Spark Connect only)' });
      else rows.push({ section, spark, status: 'not yet', sluice: '' });
    }
  }
  return rows;
}

/** The markdown of docs/SPARK-MAPPING.md. */
export function mappingMarkdown(apiFile: URL): string {
  const rows = mappingRows(apiFile);
  const count = (s: MappingRow['status']): number => rows.filter((r) => r.status === s).length;
  const out = [
    '# From PySpark to Sluice',
    '',
    '<!-- Generated by test/docs/spark-mapping.ts from test/docs/pyspark-api-4.2.0.json and the package exports.',
    '     Regenerate: UPDATE_SPARK_MAPPING=1 npx vitest run test/docs/spark-mapping.test.ts -->',
    '',
    'Every public name of PySpark 4.2.0 that a user may look for, and how to write it in Sluice.',
    'The table is generated from what the package really exports, and a test fails when it is out',
    'of date. Names follow Spark: snake_case SQL function names become camelCase in the',
    'DataFrame API (`regexp_replace` -> `regexpReplace`), and SQL strings (`sluice.sql`,',
    '`selectExpr`, `expr`) use the snake_case names. Semantic differences are listed in',
    '[SEMANTICS.md](SEMANTICS.md).',
    '',
    `Totals: ${rows.length} names; ${count('same')} present under the same name, ${count('renamed')} present under another name or shape, ${count('not yet')} not yet, ${count('n/a')} not applicable.`,
    '',
  ];
  for (const { name, title, sluice: where } of SECTIONS) {
    const list = rows.filter((r) => r.section === name);
    if (list.length === 0) continue;
    const present = list.filter((r) => r.status === 'same' || r.status === 'renamed').length;
    out.push(`## ${title}`, '', `In Sluice: ${where}. ${present} of ${list.length} present.`, '', '| PySpark | Sluice | status |', '|---|---|---|');
    for (const r of list) out.push(`| \`${r.spark}\` | ${r.sluice} | ${r.status} |`);
    out.push('');
  }
  return out.join('\n');
}
