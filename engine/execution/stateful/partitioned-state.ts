import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { makeBatch } from '../../../common/columnar-batch.js';
import type { Schema } from '../../../common/schema.js';
import { schemaOf } from '../../../common/schema.js';
import { FileStateStoreProvider } from '../../state/file-state-store-provider.js';
import type { StateStore } from '../../state/state-store.js';
import { partitionRows } from '../partition-rows.js';
import type { StatefulOperatorEnv } from './stateful-operator.js';

/** Counters summed over the partitions of one store, after a commit. */
export interface PartitionedStateMetrics {
  readonly numRowsTotal: number;
  readonly numRowsUpdated: number;
  readonly numRowsRemoved: number;
  readonly memoryUsedBytes: number;
  readonly commitTimeMs: number;
}

/** The zero metrics. */
export const NO_STATE_METRICS: PartitionedStateMetrics = Object.freeze({
  numRowsTotal: 0,
  numRowsUpdated: 0,
  numRowsRemoved: 0,
  memoryUsedBytes: 0,
  commitTimeMs: 0,
});

/** Commits every store of `stores` as its next version and returns their counters summed (taken before the commit). */
export async function commitStores(stores: readonly StateStore[]): Promise<PartitionedStateMetrics> {
  const before = stores.map((s) => s.metrics());
  for (const s of stores) await s.commit();
  let numRowsTotal = 0;
  let numRowsUpdated = 0;
  let numRowsRemoved = 0;
  let memoryUsedBytes = 0;
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
  return { numRowsTotal, numRowsUpdated, numRowsRemoved, memoryUsedBytes, commitTimeMs };
}

/** The counters of several sets of partitions added up. */
export function sumStateMetrics(all: readonly PartitionedStateMetrics[]): PartitionedStateMetrics {
  const out = { numRowsTotal: 0, numRowsUpdated: 0, numRowsRemoved: 0, memoryUsedBytes: 0, commitTimeMs: 0 };
  for (const m of all) {
    out.numRowsTotal += m.numRowsTotal;
    out.numRowsUpdated += m.numRowsUpdated;
    out.numRowsRemoved += m.numRowsRemoved;
    out.memoryUsedBytes += m.memoryUsedBytes;
    out.commitTimeMs += m.commitTimeMs;
  }
  return out;
}

/**
 * One named state store of a stateful operator, split into the pinned number of state
 * partitions by key hash (`state/<operatorId>/<partition>[/<storeName>]`). Opens every
 * partition at a version for a batch, routes key rows to their partition, and commits or
 * aborts all partitions together.
 */
export class PartitionedState {
  private readonly providers: FileStateStoreProvider[] = [];
  private open: StateStore[] = [];

  constructor(
    env: StatefulOperatorEnv,
    readonly keySchema: Schema,
    readonly valueSchema: Schema,
    storeName?: string,
  ) {
    for (let p = 0; p < env.numPartitions; p++) {
      this.providers.push(
        new FileStateStoreProvider({
          fileManager: env.fileManager,
          dir: env.layout.stateStoreDir(env.operatorId, p, storeName),
          id: storeName === undefined ? { operatorId: env.operatorId, partitionId: p } : { operatorId: env.operatorId, partitionId: p, storeName },
          keySchema,
          valueSchema,
          snapshotInterval: env.snapshotInterval,
          minVersionsToRetain: env.minVersionsToRetain,
        }),
      );
    }
  }

  /** The number of partitions. */
  get numPartitions(): number {
    return this.providers.length;
  }

  /** Opens every partition at `version` (state after batch version-1); the stores stay open until commit/abort. */
  async openAll(version: number): Promise<readonly StateStore[]> {
    if (this.open.length > 0) this.abort();
    const stores: StateStore[] = [];
    for (const p of this.providers) stores.push(await p.getStore(version));
    this.open = stores;
    return stores;
  }

  /** The stores opened by {@link openAll}. */
  get stores(): readonly StateStore[] {
    return this.open;
  }

  /** Row indices of `keys` per partition. */
  split(keys: readonly ColumnVector[], numRows: number): Int32Array[] {
    return partitionRows(keys, numRows, this.providers.length);
  }

  /** A key batch over the first columns of `b`. */
  keysOf(b: ColumnarBatch, keyCount: number): ColumnarBatch {
    return makeBatch(schemaOf(b.schema.fields.slice(0, keyCount)), b.columns.slice(0, keyCount), b.numRows);
  }

  /** Commits every open partition as the next version and returns the summed counters. */
  async commit(): Promise<PartitionedStateMetrics> {
    const stores = this.open;
    this.open = [];
    return commitStores(stores);
  }

  /** Drops the changes of the open stores. */
  abort(): void {
    const stores = this.open;
    this.open = [];
    for (const s of stores) s.abort();
  }

  /** Loads `version` of every partition and releases it again (fails early on damaged state). */
  async verify(version: number): Promise<void> {
    for (const p of this.providers) (await p.getStore(version)).abort();
  }

  /** Waits for background snapshots and releases memory. */
  async close(): Promise<void> {
    this.abort();
    for (const p of this.providers) await p.close();
  }
}
