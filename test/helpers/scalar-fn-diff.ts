import type { Column, DataFrame, Sluice } from '../../index.js';
import { col } from '../../index.js';
import type { DuckDbClient } from './duckdb-client.js';
import { normalizeRows } from './normalize-rows.js';

/**
 * Differential checks of scalar functions: one table of seeded rows loaded into Sluice
 * (createDataFrame) and DuckDB (VALUES); each case evaluates a Sluice column and either
 * a DuckDB SQL expression or the values Spark documents, row by row, keyed by `id`.
 */

/** A case: a Sluice column against a DuckDB expression (`sql`) or Spark's values per id (`spark`). */
export interface FnCase {
  readonly name: string;
  readonly sluice: Column;
  readonly sql?: string;
  /** Spark's documented values by id, where DuckDB's semantics differ (the case says why). */
  readonly spark?: Readonly<Record<number, unknown>>;
}

/** A seeded table: DDL (Spark types), the DuckDB column types, and rows (`id` first). */
export interface SeedTable {
  readonly ddl: string;
  readonly duckColumns: readonly (readonly [name: string, type: string])[];
  readonly rows: readonly Record<string, unknown>[];
}

function sqlLiteral(v: unknown, type: string): string {
  if (v === null || v === undefined) return `NULL::${type}`;
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'::${type}`;
  if (v instanceof Date) return `'${v.toISOString().replace('T', ' ').replace('Z', '')}'::${type}`;
  return `${String(v)}::${type}`;
}

/** Creates DuckDB table `name` holding the seed rows. */
export async function loadDuck(duck: DuckDbClient, name: string, t: SeedTable): Promise<void> {
  const values = t.rows.map((r) => `(${t.duckColumns.map(([c, ty]) => sqlLiteral(r[c], ty)).join(', ')})`).join(',\n');
  await duck.query(`CREATE TABLE ${name} AS SELECT * FROM (VALUES ${values}) v(${t.duckColumns.map(([c]) => c).join(', ')})`);
}

/** The Sluice DataFrame of the seed rows. */
export function sluiceTable(sluice: Sluice, t: SeedTable): DataFrame {
  return sluice.createDataFrame(t.rows as Record<string, never>[], t.ddl);
}

/** Runs one case; returns [actual, expected] rows as normalised [id, value] pairs. */
export async function runCase(df: DataFrame, duck: DuckDbClient, table: string, c: FnCase): Promise<[unknown, unknown]> {
  const got = normalizeRows(await df.select(col('id'), c.sluice.alias('v')).toArray(), ['id', 'v'], { sortArrays: false });
  if (c.spark !== undefined) {
    const want = Object.entries(c.spark).map(([id, v]) => ({ id: Number(id), v }));
    const ids = new Set(want.map((w) => w.id));
    return [got.filter((r) => ids.has(r[0] as number)), normalizeRows(want, ['id', 'v'], { sortArrays: false })];
  }
  const want = normalizeRows(await duck.query(`SELECT id, ${c.sql} AS v FROM ${table}`), ['id', 'v'], { sortArrays: false });
  return [got, want];
}
