import { makeBatch } from '../../../common/columnar-batch.js';
import { internalError } from '../../../common/errors.js';
import { LocalFileManager } from '../../../common/log/local-file-manager.js';
import type { ColumnarBatch } from '../../../common/column-vector.js';
import { CheckpointLayout } from '../../checkpoint/checkpoint-layout.js';
import { FileStateStoreProvider } from '../../state/file-state-store-provider.js';
import type { StateStore } from '../../state/state-store.js';
import { dedupBatch, dedupDeadline } from './dedup-state-core.js';
import { minOf } from './event-time-key.js';
import type { PartitionedStateMetrics } from './partitioned-state.js';
import { commitStores } from './partitioned-state.js';
import { PaneStateCore } from './pane-state-core.js';
import { SessionStateCore } from './session-state-core.js';
import type { AggStateSpec } from './state-executor-ops.js';
import { allStatesOf, batchDeadline, collectAll, evictFromStores, mergeIntoStore, partialMergeExec, scanDeadline } from './state-executor-ops.js';
import type { BatchReply, BatchRequest, InitRequest, PartitionOutput, VerifyReply } from './state-executor-protocol.js';

/**
 * The state partitions of one stateful operator that a state executor owns, with their
 * stores kept open from a batch until its commit or abort. The operator kind (the init
 * request's spec) decides how a batch's rows meet the stores: aggregation merges partial
 * rows, session windows merge overlapping sessions, deduplication keeps first rows of new
 * keys. Stores live under `state/<operatorId>/<partition>/`, as on the driver.
 */
export class OwnedStatePartitions {
  private readonly providers: FileStateStoreProvider[] = [];
  private readonly at: Map<number, number>;
  private open: StateStore[] = [];
  private deadline: number | null = null;
  private pendingDeadline: number | null = null;
  private readonly session: SessionStateCore | null;
  private readonly pane: PaneStateCore | null;

  constructor(private readonly init: InitRequest) {
    const layout = new CheckpointLayout(init.checkpointRoot);
    const fileManager = new LocalFileManager();
    for (const p of init.partitions) {
      this.providers.push(
        new FileStateStoreProvider({
          fileManager,
          dir: layout.stateStoreDir(init.operatorId, p),
          id: { operatorId: init.operatorId, partitionId: p },
          keySchema: init.keySchema,
          valueSchema: init.valueSchema,
          snapshotInterval: init.snapshotInterval,
          minVersionsToRetain: init.minVersionsToRetain,
        }),
      );
    }
    this.at = new Map(init.partitions.map((p, i) => [p, i]));
    this.session = init.spec.op === 'session' ? new SessionStateCore(init.spec) : null;
    this.pane = init.spec.op === 'pane' ? new PaneStateCore(init.spec) : null;
  }

  private async openAll(version: number): Promise<StateStore[]> {
    this.abort();
    const stores: StateStore[] = [];
    for (const p of this.providers) stores.push(await p.getStore(version));
    this.open = stores;
    return stores;
  }

  async verify(version: number): Promise<VerifyReply> {
    const stores = await this.openAll(version);
    const spec = this.init.spec;
    const deadline =
      spec.op === 'session'
        ? (this.session as SessionStateCore).rebuild(stores)
        : spec.op === 'dedup'
          ? dedupDeadline(spec, stores)
          : spec.op === 'pane'
            ? (this.pane as PaneStateCore).scanDeadline(stores)
            : scanDeadline(spec, stores);
    this.release();
    this.deadline = deadline;
    this.pendingDeadline = deadline;
    return { deadline };
  }

  /** The batch's rows per owned partition (index as in `init.partitions`). */
  private rowsByIndex(req: BatchRequest): (ColumnarBatch | undefined)[] {
    const out: (ColumnarBatch | undefined)[] = [];
    for (const { partition, rows } of req.rows) {
      const i = this.at.get(partition);
      if (i === undefined) throw internalError(`state executor got rows of partition ${partition} of operator ${req.operatorId}, which it does not own`);
      out[i] = rows;
    }
    return out;
  }

  async batch(req: BatchRequest): Promise<BatchReply> {
    const spec = this.init.spec;
    const stores = await this.openAll(req.version);
    const rows = this.rowsByIndex(req);
    const parts = this.init.partitions;
    let outputs: readonly PartitionOutput[];
    let deadline: number | null;
    if (spec.op === 'session') {
      const emit = req.emit === 'all' ? 'all' : 'evicted';
      const r = await (this.session as SessionStateCore).batch(stores, rows, emit, req.evictWatermarkMs, this.deadline, req.batchSize);
      outputs = parts.map((partition, i) => ({ partition, rows: r.outputs[i] ?? [] }));
      deadline = r.deadline;
    } else if (spec.op === 'pane') {
      const evictMs = req.evictWatermarkMs ?? req.lateWatermarkMs ?? 0;
      const r = await (this.pane as PaneStateCore).batch(stores, rows, req.lateWatermarkMs ?? evictMs, evictMs, this.deadline, req.batchSize);
      outputs = parts.map((partition, i) => ({ partition, rows: r.outputs[i] ?? [] }));
      deadline = r.deadline;
    } else if (spec.op === 'dedup') {
      const r = await dedupBatch(spec, stores, rows, req.evictWatermarkMs, this.deadline);
      outputs = parts.flatMap((partition, i) => {
        const b = r.outputs[i];
        return b === undefined ? [] : [{ partition, rows: [b] }];
      });
      deadline = r.deadline;
    } else {
      ({ outputs, deadline } = await this.aggregateBatch(spec, stores, rows, req));
    }
    this.pendingDeadline = deadline;
    return { outputs, deadline };
  }

  private async aggregateBatch(
    spec: AggStateSpec,
    stores: readonly StateStore[],
    rowsAt: readonly (ColumnarBatch | undefined)[],
    req: BatchRequest,
  ): Promise<BatchReply> {
    const parts = this.init.partitions;
    const changed = new Map<number, PartitionOutput>();
    let deadline = this.deadline;
    for (let i = 0; i < parts.length; i++) {
      const rows = rowsAt[i];
      if (rows === undefined || rows.numRows === 0) continue;
      // The driver sends one partial row per task and key: combine them so each key meets its stored state once.
      const combined = await collectAll(partialMergeExec(spec, spec.schema, [rows]), req.batchSize);
      const fresh = makeBatch(spec.schema, combined.columns, combined.numRows);
      const merged = await mergeIntoStore(spec, stores[i] as StateStore, fresh, req.batchSize);
      deadline = minOf(deadline, batchDeadline(spec, merged));
      if (req.emit === 'changed') changed.set(parts[i] as number, { partition: parts[i] as number, rows: [merged] });
    }
    let outputs: PartitionOutput[] = [];
    if (req.emit === 'changed') outputs = parts.flatMap((p) => changed.get(p) ?? []);
    if (req.evictWatermarkMs !== null && deadline !== null && req.evictWatermarkMs >= deadline) {
      const ev = evictFromStores(spec, stores, req.evictWatermarkMs);
      deadline = ev.deadline;
      if (req.emit === 'evicted') outputs = parts.map((partition, i) => ({ partition, rows: ev.evicted[i] ?? [] }));
    }
    if (req.emit === 'all') outputs = parts.map((partition, i) => ({ partition, rows: allStatesOf(spec, stores[i] as StateStore) }));
    return { outputs, deadline };
  }

  async commit(): Promise<PartitionedStateMetrics> {
    const stores = this.open;
    this.open = [];
    const metrics = await commitStores(stores);
    this.deadline = this.pendingDeadline;
    return metrics;
  }

  /** Drops the open batch's changes; a session index saw them, so it is rebuilt next time. */
  abort(): void {
    if (this.open.length > 0) this.session?.markStale();
    this.release();
    this.pendingDeadline = this.deadline;
  }

  private release(): void {
    const stores = this.open;
    this.open = [];
    for (const s of stores) s.abort();
  }

  async close(): Promise<void> {
    this.abort();
    for (const p of this.providers) await p.close();
  }
}
