import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { fieldNames } from '../../common/schema.js';
import { valueAt } from '../../common/vector-value-at.js';
import type { ColumnarBatch, DataFrame, Sluice } from '../../index.js';
import { MERCHANTS_DIR, readManifest } from '../data/dataset-manifest.js';
import { generateTransactionTable } from '../data/transaction-table.js';
import type { QueryInputs, SluiceFunctions } from '../workloads/bench-query.js';
import type { EngineRunConfig, EngineRunner } from './engine-runner.js';
import { readParquetTable } from './read-parquet-table.js';

/**
 * Sluice through its public API: a session with `workers` worker threads. Parquet cases call
 * `sluice.read.parquet(dir)` on every run (file listing and schema included, as DuckDB's
 * `read_parquet` does); memory cases build cached DataFrames once, untimed, as the
 * config's {@link MemorySource} says (default: `createDataFrame(arrowTable)` + `cache()`). A run is `collectBatch()`, which
 * materialises the whole result as one columnar batch.
 */
export class SluiceRunner implements EngineRunner {
  readonly name = 'sluice';
  private readonly config: EngineRunConfig;
  private session: Sluice | null = null;
  private cached: QueryInputs | null = null;
  private last: ColumnarBatch | null = null;
  private api: SluiceFunctions | null = null;

  constructor(config: EngineRunConfig) {
    this.config = config;
  }

  async prepare(): Promise<void> {
    this.api = await import('../../index.js');
    this.session = await this.api.Sluice.builder().appName('sluice-bench').workers(this.config.workers).getOrCreate();
    if (this.config.benchCase.source === 'memory') this.cached = await this.loadInMemory(this.session);
  }

  private async loadInMemory(s: Sluice): Promise<QueryInputs> {
    const c = this.config;
    const merchantsDir = join(c.dataDir, MERCHANTS_DIR);
    const needsMerchants = c.benchCase.query.needsMerchants;
    if (c.memorySource === 'reader') {
      const tx = await (await s.read.parquet(c.dataDir)).cache();
      return { tx, merchants: needsMerchants ? await (await s.read.parquet(merchantsDir)).cache() : null };
    }
    const txTable = c.memorySource === 'generate' ? await this.generatedTable() : await readParquetTable(c.dataDir);
    const tx = await s.createDataFrame(txTable).cache();
    return { tx, merchants: needsMerchants ? await s.createDataFrame(await readParquetTable(merchantsDir)).cache() : null };
  }

  private async generatedTable(): Promise<Table> {
    const manifest = await readManifest(this.config.dataDir);
    if (manifest === null) throw new Error(`No dataset manifest in ${this.config.dataDir}; run the generator first.`);
    return generateTransactionTable(manifest.spec.options);
  }

  private async inputs(s: Sluice): Promise<QueryInputs> {
    if (this.cached !== null) return this.cached;
    const c = this.config;
    const tx = await s.read.parquet(c.dataDir);
    const merchants: DataFrame | null = c.benchCase.query.needsMerchants ? await s.read.parquet(join(c.dataDir, MERCHANTS_DIR)) : null;
    return { tx, merchants };
  }

  async runOnce(): Promise<void> {
    if (this.session === null || this.api === null) throw new Error('SluiceRunner.runOnce() before prepare().');
    this.last = null;
    const df = this.config.benchCase.query.sluice(await this.inputs(this.session), this.api);
    this.last = await df.collectBatch();
  }

  resultRows(): Readonly<Record<string, unknown>>[] {
    const b = this.last;
    if (b === null) return [];
    const names = fieldNames(b.schema);
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < b.numRows; i++) {
      const r: Record<string, unknown> = {};
      names.forEach((n, j) => {
        const v = b.columns[j];
        if (v !== undefined) r[n] = valueAt(v, i);
      });
      rows.push(r);
    }
    return rows;
  }

  resultRowCount(): number {
    return this.last?.numRows ?? 0;
  }

  async close(): Promise<void> {
    this.last = null;
    this.cached = null;
    await this.session?.stop();
    this.session = null;
  }
}
