import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBResultReader } from '@duckdb/node-api';
import { MERCHANTS_DIR } from '../data/dataset-manifest.js';
import type { EngineRunConfig, EngineRunner } from './engine-runner.js';

/** A `read_parquet` call over every Parquet file directly inside `dir`. */
export function readParquetSql(dir: string): string {
  return `read_parquet('${join(dir, '*.parquet').replaceAll("'", "''")}')`;
}

/**
 * The DuckDB peer (through @duckdb/node-api): an in-process database with `threads` set to
 * the run's worker count. Parquet cases query `read_parquet(...)` on every run, as the
 * peer scripts do; memory cases first copy the files into tables (`CREATE TABLE ... AS`,
 * untimed). A run is `runAndReadAll`, which materialises the whole result.
 */
export class DuckdbRunner implements EngineRunner {
  readonly name = 'duckdb';
  private readonly config: EngineRunConfig;
  private instance: DuckDBInstance | null = null;
  private connection: DuckDBConnection | null = null;
  private sql = '';
  private last: DuckDBResultReader | null = null;

  constructor(config: EngineRunConfig) {
    this.config = config;
  }

  async prepare(): Promise<void> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    this.instance = await DuckDBInstance.create(':memory:', { threads: String(this.config.workers) });
    const conn = await this.instance.connect();
    this.connection = conn;
    await conn.run("SET TimeZone='UTC'");
    const c = this.config;
    let tx = readParquetSql(c.dataDir);
    let merchants = readParquetSql(join(c.dataDir, MERCHANTS_DIR));
    if (c.benchCase.source === 'memory') {
      await conn.run(`CREATE TABLE tx AS SELECT * FROM ${tx}`);
      tx = 'tx';
      if (c.benchCase.query.needsMerchants) {
        await conn.run(`CREATE TABLE merchants AS SELECT * FROM ${merchants}`);
        merchants = 'merchants';
      }
    }
    this.sql = c.benchCase.query.sql(tx, merchants);
  }

  async runOnce(): Promise<void> {
    if (this.connection === null) throw new Error('DuckdbRunner.runOnce() before prepare().');
    this.last = null;
    this.last = await this.connection.runAndReadAll(this.sql);
  }

  resultRows(): Readonly<Record<string, unknown>>[] {
    return this.last === null ? [] : this.last.getRowObjectsJS();
  }

  resultRowCount(): number {
    return this.last?.currentRowCount ?? 0;
  }

  async close(): Promise<void> {
    this.last = null;
    this.connection?.closeSync();
    this.instance?.closeSync();
    this.connection = null;
    this.instance = null;
  }
}
