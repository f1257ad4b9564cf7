import type { DuckDbClient } from './duckdb-client.js';

/**
 * The seeded data set of the "shapes" differential tests: 4000 rows with nulls in every
 * column but `id` (id bigint, g int 0..4, k string of 3 values, x double, y bigint,
 * d date), written by DuckDB as Parquet to `${dir}/t.parquet` and registered as view `t`.
 */
export async function writeShapesDataset(duck: DuckDbClient, dir: string): Promise<void> {
  await duck.query(`COPY (
    SELECT i::BIGINT AS id,
      CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7) % 5 END::INTEGER AS g,
      CASE WHEN i % 13 = 0 THEN NULL ELSE ['red','green','blue'][(i * 31) % 3 + 1] END AS k,
      CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 7919) % 10007) / 100.0 END::DOUBLE AS x,
      CASE WHEN i % 19 = 0 THEN NULL ELSE (i * 104729) % 1003 - 500 END::BIGINT AS y,
      CASE WHEN i % 23 = 0 THEN NULL ELSE DATE '2024-01-01' + ((i * 37) % 365)::INTEGER END AS d
    FROM range(4000) r(i)) TO '${dir}/t.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1024)`);
  await duck.query(`CREATE VIEW t AS SELECT * FROM '${dir}/t.parquet'`);
}

/** DuckDB SQL for Spark's percentile_approx answer (rank ceil(p * n) of the sorted non-null values), over the rows where `where` holds. */
export function sparkPercentileSql(column: string, p: number, where = 'TRUE'): string {
  return `list_sort(list(${column}) FILTER (WHERE ${column} IS NOT NULL AND ${where}))[greatest(1, ceil(${p} * count(${column}) FILTER (WHERE ${where})))::BIGINT]`;
}
