import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { concatBatches, gatherBatch, makeBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import { schemaOf } from '../../common/schema.js';
import { maskToIndices } from '../../common/vector-gather.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import type { Aggregate, LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { OutputMode } from '../../sinks/sink.js';
import type { CheckpointLayout } from '../checkpoint/checkpoint-layout.js';
import type { FileManager } from '../checkpoint/file-manager.js';
import { HashAggregateExec } from '../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../physical/local-scan-exec.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { ProjectExec } from '../physical/project-exec.js';
import type { AggregateParts } from '../planner/aggregate-parts.js';
import { aggregateParts } from '../planner/aggregate-parts.js';
import { FileStateStoreProvider } from '../state/file-state-store-provider.js';
import type { StateStore } from '../state/state-store.js';
import type { BatchPlanner } from './batch-planner.js';
import { planPartialAggregate } from './partial-aggregate-stage.js';
import { partitionRows } from './partition-rows.js';
import type { StateOperatorProgress } from '../../dataframe/query-progress.js';

/** Options of {@link StatefulAggregate}. */
export interface StatefulAggregateOptions {
  readonly aggregate: Aggregate;
  /** The operator's number in the plan: its state lives in `state/<operatorId>/<partition>/`. */
  readonly operatorId: number;
  /** State partitions, pinned in the checkpoint's offset log. */
  readonly numPartitions: number;
  readonly fileManager: FileManager;
  readonly layout: CheckpointLayout;
  readonly planner: BatchPlanner;
  readonly snapshotInterval: number;
  readonly minVersionsToRetain: number;
}

async function collect(op: PhysicalOperator, batchSize: number): Promise<ColumnarBatch> {
  const parts: ColumnarBatch[] = [];
  for await (const b of op.execute({ batchSize })) parts.push(b);
  return concatBatches(op.schema, parts);
}

/**
 * A grouped aggregation over a stream without event time (update and complete modes).
 * Each group's partial aggregation state (the `_aggI#state` columns of the partial hash
 * aggregate) is kept in a state store per state partition, keyed by the group columns.
 *
 * Per batch N ({@link process}): the batch's rows are partially aggregated on the worker
 * pool; the partial rows are split by key hash into the state partitions; in each
 * partition the stored states of those keys (version N) are merged with the new ones
 * (stored first, so first/last keep stream order) and put back; the output is the final
 * value of every changed key (update) or of every key (complete). The stores stay open
 * until {@link commit} writes version N+1 (after the sink took the batch) or
 * {@link abort} drops the changes.
 */
export class StatefulAggregate {
  readonly name = 'StatefulAggregate';
  private readonly parts: AggregateParts;
  private readonly groupRefs: readonly Expr[];
  private providers: FileStateStoreProvider[] | null = null;
  private partialSchema: Schema | null = null;
  private open: StateStore[] = [];
  private lastProgress: StateOperatorProgress;

  constructor(private readonly options: StatefulAggregateOptions) {
    this.parts = aggregateParts(options.aggregate);
    this.groupRefs = this.parts.groupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
    this.lastProgress = this.emptyProgress();
  }

  private get keyCount(): number {
    return this.parts.groupNames.length;
  }

  /** Creates the state providers once the partial state schema is known. */
  private ensureProviders(partialSchema: Schema): FileStateStoreProvider[] {
    if (this.providers !== null) return this.providers;
    const o = this.options;
    const keySchema = schemaOf(partialSchema.fields.slice(0, this.keyCount));
    const valueSchema = schemaOf(partialSchema.fields.slice(this.keyCount));
    this.partialSchema = partialSchema;
    this.providers = [];
    for (let p = 0; p < o.numPartitions; p++) {
      this.providers.push(
        new FileStateStoreProvider({
          fileManager: o.fileManager,
          dir: o.layout.stateStoreDir(o.operatorId, p),
          id: { operatorId: o.operatorId, partitionId: p },
          keySchema,
          valueSchema,
          snapshotInterval: o.snapshotInterval,
          minVersionsToRetain: o.minVersionsToRetain,
        }),
      );
    }
    return this.providers;
  }

  /** The partial-state schema, from planning the aggregate over an input of the stream's schema. */
  private stateSchemaFor(input: LogicalPlan): Schema {
    return planPartialAggregate(this.parts, input, this.options.planner).schema;
  }

  /**
   * Loads state version `version` of every partition and releases it again, so a damaged
   * state file fails the query when it starts rather than in its first batch.
   */
  async verify(input: LogicalPlan, version: number): Promise<void> {
    for (const provider of this.ensureProviders(this.stateSchemaFor(input))) (await provider.getStore(version)).abort();
  }

  /** Runs batch `batchId` over `input` (the aggregate's child, bound to the batch) and returns the aggregate's output rows. */
  async process(input: LogicalPlan, batchId: number, mode: OutputMode): Promise<ColumnarBatch> {
    const batchSize = this.options.planner.conf.getPositiveInt('sluice.sql.batchSize');
    // One partial row per task and key comes back from the workers: combine them first, so
    // each key appears once when it meets its stored state.
    const perTask = await collect(planPartialAggregate(this.parts, input, this.options.planner), batchSize);
    const partial = await collect(this.partialMerge(perTask.schema, [perTask]), batchSize);
    const providers = this.ensureProviders(partial.schema);
    const schema = this.partialSchema as Schema;
    const rows = makeBatch(schema, partial.columns, partial.numRows);
    const byPartition = partitionRows(rows.columns.slice(0, this.keyCount), rows.numRows, providers.length);
    const changed: ColumnarBatch[] = [];
    for (let p = 0; p < providers.length; p++) {
      const store = await (providers[p] as FileStateStoreProvider).getStore(batchId);
      this.open.push(store);
      const idx = byPartition[p] as Int32Array;
      if (idx.length === 0) continue;
      const merged = await this.mergeIntoStore(store, gatherBatch(rows, idx), batchSize);
      changed.push(merged);
    }
    const toEmit = mode === 'complete' ? this.allStates(schema) : changed;
    const final = new HashAggregateExec(
      new LocalScanExec(schema, toEmit),
      this.groupRefs,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'final',
    );
    const out = new ProjectExec(final, this.parts.resultExprs, this.options.aggregate.schema);
    const result = await collect(out, batchSize);
    return makeBatch(this.options.aggregate.schema, result.columns, result.numRows);
  }

  /** Merges partial-state rows into one row per key, in input order (first/last keep stream order). */
  private partialMerge(schema: Schema, batches: readonly ColumnarBatch[]): HashAggregateExec {
    return new HashAggregateExec(
      new LocalScanExec(schema, batches),
      this.groupRefs,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'partialMerge',
    );
  }

  private async mergeIntoStore(store: StateStore, fresh: ColumnarBatch, batchSize: number): Promise<ColumnarBatch> {
    const schema = fresh.schema;
    const k = this.keyCount;
    const keys = makeBatch(schemaOf(schema.fields.slice(0, k)), fresh.columns.slice(0, k), fresh.numRows);
    const lookup = store.getBatch(keys);
    const found = maskToIndices(lookup.found, null, fresh.numRows);
    const stored = gatherBatch(makeBatch(schema, [...keys.columns, ...lookup.values.columns], fresh.numRows), found);
    const merged = await collect(this.partialMerge(schema, [stored, fresh]), batchSize);
    const mergedRows = makeBatch(schema, merged.columns, merged.numRows);
    store.putBatch(this.keysOf(mergedRows), this.valuesOf(mergedRows));
    return mergedRows;
  }

  private keysOf(b: ColumnarBatch): ColumnarBatch {
    return makeBatch(schemaOf(b.schema.fields.slice(0, this.keyCount)), b.columns.slice(0, this.keyCount), b.numRows);
  }

  private valuesOf(b: ColumnarBatch): ColumnarBatch {
    return makeBatch(schemaOf(b.schema.fields.slice(this.keyCount)), b.columns.slice(this.keyCount), b.numRows);
  }

  private allStates(schema: Schema): ColumnarBatch[] {
    const out: ColumnarBatch[] = [];
    for (const store of this.open) {
      for (const chunk of store.iterate()) {
        const columns: ColumnVector[] = [...chunk.keys.columns, ...chunk.values.columns];
        out.push(makeBatch(schema, columns, chunk.keys.numRows));
      }
    }
    return out;
  }

  /** Makes the batch's state durable as the next version of every partition. */
  async commit(): Promise<void> {
    const stores = this.open;
    this.open = [];
    let numRowsTotal = 0;
    let numRowsUpdated = 0;
    let numRowsRemoved = 0;
    let memoryUsedBytes = 0;
    const before = stores.map((s) => s.metrics());
    for (const s of stores) await s.commit();
    let commitTimeMs = 0;
    stores.forEach((s, i) => {
      const m = before[i];
      if (m === undefined) return;
      numRowsTotal += m.numKeys;
      numRowsUpdated += m.numKeysUpdated;
      numRowsRemoved += m.numKeysRemoved;
      memoryUsedBytes += m.memoryUsedBytes;
      commitTimeMs += s.metrics().commitTimeMs;
    });
    this.lastProgress = { ...this.emptyProgress(), numRowsTotal, numRowsUpdated, numRowsRemoved, memoryUsedBytes, commitTimeMs };
  }

  /** Drops the changes of the running batch. */
  abort(): void {
    const stores = this.open;
    this.open = [];
    for (const s of stores) s.abort();
  }

  /** State counters of the last committed batch. */
  progress(): StateOperatorProgress {
    return this.lastProgress;
  }

  /** Waits for background snapshots and releases memory. */
  async close(): Promise<void> {
    this.abort();
    for (const p of this.providers ?? []) await p.close();
  }

  private emptyProgress(): StateOperatorProgress {
    const n = this.options.numPartitions;
    return {
      operatorName: 'stateStoreSave',
      numRowsTotal: 0,
      numRowsUpdated: 0,
      numRowsRemoved: 0,
      commitTimeMs: 0,
      memoryUsedBytes: 0,
      numShufflePartitions: n,
      numStateStoreInstances: n,
    };
  }
}
