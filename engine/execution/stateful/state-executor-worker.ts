/**
 * The body of a state executor thread: it owns some state partitions of the query's
 * aggregates for the life of the query and keeps their stores across batches. The driver
 * sends a batch's partial rows per partition; the executor merges them into the stores it
 * keeps open until the driver says commit or abort. Requests are handled one at a time, in
 * arrival order.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { makeBatch } from '../../../common/columnar-batch.js';
import { internalError, SluiceError } from '../../../common/errors.js';
import { CheckpointLayout } from '../../checkpoint/checkpoint-layout.js';
import { LocalFileManager } from '../../../common/log/local-file-manager.js';
import { FileStateStoreProvider } from '../../state/file-state-store-provider.js';
import type { StateStore } from '../../state/state-store.js';
import { minOf } from './event-time-key.js';
import type { PartitionedStateMetrics } from './partitioned-state.js';
import { commitStores } from './partitioned-state.js';
import type {
  BatchReply,
  BatchRequest,
  ExecutorEnvelope,
  ExecutorReply,
  ExecutorRequest,
  InitRequest,
  PartitionOutput,
  VerifyReply,
} from './state-executor-protocol.js';
import { allStatesOf, batchDeadline, collectAll, evictFromStores, mergeIntoStore, partialMergeExec, scanDeadline } from './state-executor-ops.js';

/** The partitions of one aggregate that this executor owns, with their open stores. */
class OwnedAggregateState {
  private readonly providers: FileStateStoreProvider[] = [];
  private open: StateStore[] = [];
  private deadline: number | null = null;
  private pendingDeadline: number | null = null;

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
    const deadline = scanDeadline(this.init.spec, stores);
    this.abort();
    this.deadline = deadline;
    this.pendingDeadline = deadline;
    return { deadline };
  }

  async batch(req: BatchRequest): Promise<BatchReply> {
    const spec = this.init.spec;
    const stores = await this.openAll(req.version);
    const at = new Map(this.init.partitions.map((p, i) => [p, i]));
    const changed = new Map<number, PartitionOutput>();
    let deadline = this.deadline;
    for (const { partition, rows } of req.rows) {
      const i = at.get(partition);
      if (i === undefined) throw internalError(`state executor got rows of partition ${partition} of operator ${req.operatorId}, which it does not own`);
      if (rows.numRows === 0) continue;
      // The driver sends one partial row per task and key: combine them so each key meets its stored state once.
      const combined = await collectAll(partialMergeExec(spec, spec.schema, [rows]), req.batchSize);
      const fresh = makeBatch(spec.schema, combined.columns, combined.numRows);
      const merged = await mergeIntoStore(spec, stores[i] as StateStore, fresh, req.batchSize);
      deadline = minOf(deadline, batchDeadline(spec, merged));
      if (req.emit === 'changed') changed.set(partition, { partition, rows: [merged] });
    }
    let outputs: PartitionOutput[] = [];
    if (req.emit === 'changed') outputs = this.init.partitions.flatMap((p) => changed.get(p) ?? []);
    if (req.evictWatermarkMs !== null && deadline !== null && req.evictWatermarkMs >= deadline) {
      const ev = evictFromStores(spec, stores, req.evictWatermarkMs);
      deadline = ev.deadline;
      if (req.emit === 'evicted') outputs = this.init.partitions.map((partition, i) => ({ partition, rows: ev.evicted[i] ?? [] }));
    }
    if (req.emit === 'all') outputs = this.init.partitions.map((partition, i) => ({ partition, rows: allStatesOf(spec, stores[i] as StateStore) }));
    this.pendingDeadline = deadline;
    return { outputs, deadline };
  }

  async commit(): Promise<PartitionedStateMetrics> {
    const stores = this.open;
    this.open = [];
    const metrics = await commitStores(stores);
    this.deadline = this.pendingDeadline;
    return metrics;
  }

  abort(): void {
    const stores = this.open;
    this.open = [];
    for (const s of stores) s.abort();
    this.pendingDeadline = this.deadline;
  }

  async close(): Promise<void> {
    this.abort();
    for (const p of this.providers) await p.close();
  }
}

const operators = new Map<number, OwnedAggregateState>();

function owned(operatorId: number): OwnedAggregateState {
  const op = operators.get(operatorId);
  if (op === undefined) throw internalError(`state executor has no state for operator ${operatorId}; it was not initialised`);
  return op;
}

/** Handles one request; exported for tests that run an executor in the current thread. */
export async function handleExecutorRequest(req: ExecutorRequest): Promise<BatchReply | VerifyReply | PartitionedStateMetrics | null> {
  switch (req.kind) {
    case 'init':
      await operators.get(req.operatorId)?.close();
      operators.set(req.operatorId, new OwnedAggregateState(req));
      return null;
    case 'verify':
      return owned(req.operatorId).verify(req.version);
    case 'batch':
      return owned(req.operatorId).batch(req);
    case 'commit':
      return owned(req.operatorId).commit();
    case 'abort':
      operators.get(req.operatorId)?.abort();
      return null;
    case 'close':
      for (const op of operators.values()) await op.close();
      operators.clear();
      return null;
  }
}

/** A full garbage collection of this thread's heap (V8's gc, exposed for this thread only). */
const collectGarbage: () => void = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => undefined;
  }
})();

/** External (typed array) memory after the last collection; collect again once it grew by 16 MiB (a merged state version replaces the old one, which would otherwise linger). */
let externalAfterGc = 0;
function collectIfGrown(): void {
  const external = getHeapStatistics().external_memory;
  if (external < externalAfterGc + 16 * 1024 * 1024) return;
  collectGarbage();
  externalAfterGc = getHeapStatistics().external_memory;
}

const port = parentPort;
if (port !== null) {
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: ExecutorEnvelope) => {
    queue = queue.then(async () => {
      let reply: ExecutorReply;
      try {
        reply = { id: msg.id, ok: true, value: await handleExecutorRequest(msg.request) };
      } catch (e) {
        reply = { id: msg.id, ok: false, error: SluiceError.toPlainAny(e) };
      }
      try {
        port.postMessage(reply);
      } catch (e) {
        port.postMessage({ id: msg.id, ok: false, error: SluiceError.toPlainAny(e) } satisfies ExecutorReply);
      }
      // The batch's rows arrive and leave as copies (structured clone): once a batch is
      // committed they are garbage, but an executor's JS heap is tiny (state lives in typed
      // arrays), so V8 would rarely collect them on its own and the copies would pile up as
      // process memory. Collect when the thread's typed-array memory grew since the last
      // collection (a full collection of a small heap with large state costs tens of ms).
      if (msg.request.kind === 'commit') collectIfGrown();
    });
  });
}
