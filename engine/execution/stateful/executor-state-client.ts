import type { ColumnarBatch } from '../../../common/column-vector.js';
import type { Schema } from '../../../common/schema.js';
import { stateStoreLocation } from '../streaming-conf.js';
import { minOf } from './event-time-key.js';
import type { PartitionedStateMetrics } from './partitioned-state.js';
import { sumStateMetrics } from './partitioned-state.js';
import type { StatefulOperatorEnv } from './stateful-operator.js';
import type { BatchReply, ExecutorStateSpec, PartitionOutput, PartitionRows, VerifyReply } from './state-executor-protocol.js';
import type { StateExecutors } from './state-executors.js';
import { canUseStateExecutors } from './state-executors.js';

/**
 * The query's state executors when an operator should keep its state there
 * (`sluice.streaming.stateStore.location` = workers, executors available, a plain local
 * checkpoint); null: the state stays on the driver thread.
 */
export function stateExecutorsFor(env: StatefulOperatorEnv): StateExecutors | null {
  const onWorkers = stateStoreLocation(env.planner.conf) === 'workers' && env.stateExecutors !== undefined && canUseStateExecutors(env.fileManager);
  if (!onWorkers) return null;
  const ex = env.stateExecutors as StateExecutors;
  ex.start();
  return ex;
}

/**
 * The driver's handle on one operator's state partitions held by the state executors:
 * executor `i` owns the partitions `p % size == i` (see {@link StateExecutors}); this sends
 * init, verify, a batch's rows per partition, commit and abort to the owners, all at once,
 * and gathers the replies in partition order (so the output order does not depend on the
 * executor count).
 */
export class ExecutorStateClient {
  private ready = false;

  constructor(
    private readonly ex: StateExecutors,
    private readonly env: StatefulOperatorEnv,
    private readonly keySchema: Schema,
    private readonly valueSchema: Schema,
    private readonly spec: ExecutorStateSpec,
  ) {}

  /** Executors that own at least one partition, each with its partitions. */
  private owners(): { executor: number; partitions: number[] }[] {
    const out: { executor: number; partitions: number[] }[] = [];
    for (let i = 0; i < this.ex.size; i++) {
      const partitions = this.ex.partitionsOf(i, this.env.numPartitions);
      if (partitions.length > 0) out.push({ executor: i, partitions });
    }
    return out;
  }

  private async ensureInit(): Promise<void> {
    if (this.ready) return;
    await Promise.all(
      this.owners().map(({ executor, partitions }) =>
        this.ex.request(executor, {
          kind: 'init',
          operatorId: this.env.operatorId,
          checkpointRoot: this.env.layout.root,
          partitions,
          keySchema: this.keySchema,
          valueSchema: this.valueSchema,
          snapshotInterval: this.env.snapshotInterval,
          minVersionsToRetain: this.env.minVersionsToRetain,
          spec: this.spec,
        }),
      ),
    );
    this.ready = true;
  }

  /** Loads `version` of every partition once; returns the smallest event-time deadline of the state. */
  async verify(version: number): Promise<number | null> {
    await this.ensureInit();
    const replies = await Promise.all(
      this.owners().map(({ executor }) => this.ex.request<VerifyReply>(executor, { kind: 'verify', operatorId: this.env.operatorId, version })),
    );
    let d: number | null = null;
    for (const r of replies) d = minOf(d, r.deadline);
    return d;
  }

  /** Runs batch `version`: `rows[p]` goes to partition p's owner; returns the outputs in partition order and the new deadline. */
  async batch(
    version: number,
    rows: readonly (ColumnarBatch | undefined)[],
    emit: 'changed' | 'evicted' | 'all',
    evictWatermarkMs: number | null,
    batchSize: number,
    lateWatermarkMs?: number,
  ): Promise<{ outputs: ColumnarBatch[]; deadline: number | null }> {
    await this.ensureInit();
    const replies = await Promise.all(
      this.owners().map(({ executor, partitions }) => {
        const parts: PartitionRows[] = [];
        for (const p of partitions) {
          const b = rows[p];
          if (b !== undefined && b.numRows > 0) parts.push({ partition: p, rows: b });
        }
        return this.ex.request<BatchReply>(executor, {
          kind: 'batch',
          operatorId: this.env.operatorId,
          version,
          rows: parts,
          evictWatermarkMs,
          emit,
          batchSize,
          ...(lateWatermarkMs === undefined ? {} : { lateWatermarkMs }),
        });
      }),
    );
    let deadline: number | null = null;
    const outputs: PartitionOutput[] = [];
    for (const r of replies) {
      deadline = minOf(deadline, r.deadline);
      outputs.push(...r.outputs);
    }
    outputs.sort((a, b) => a.partition - b.partition);
    return { outputs: outputs.flatMap((o) => o.rows), deadline };
  }

  /** Commits the open batch on every executor; null when nothing was ever sent. */
  async commit(): Promise<PartitionedStateMetrics | null> {
    if (!this.ready) return null;
    const all = await Promise.all(
      this.owners().map(({ executor }) => this.ex.request<PartitionedStateMetrics>(executor, { kind: 'commit', operatorId: this.env.operatorId })),
    );
    return sumStateMetrics(all);
  }

  /** Drops the open batch on every executor (requests run in order, so the next batch sees it aborted). */
  abort(): void {
    if (!this.ready) return;
    for (const { executor } of this.owners()) this.ex.request(executor, { kind: 'abort', operatorId: this.env.operatorId }).catch(() => undefined);
  }
}
