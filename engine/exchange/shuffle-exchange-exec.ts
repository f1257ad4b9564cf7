import type { ColumnarBatch } from '../../common/column-vector.js';
import type { Schema } from '../../common/schema.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from '../physical/physical-operator.js';
import { newMetrics } from '../physical/physical-operator.js';
import type { Partitioning } from './partitioning.js';
import { describePartitioning, splitByPartition } from './partitioning.js';
import { rangeBounds } from './range-bounds.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { StageTask } from '../workers/stage-task.js';
import type { WorkerPool } from '../workers/worker-pool.js';

/** An operator whose tasks can cut their own output into partitions (a worker stage). */
export interface PartitionedProducer extends PhysicalOperator {
  /** Runs the operator with every task partitioning its output; per partition, the blocks in task order. */
  runPartitioned(ctx: ExecContext, partitioning: Partitioning): Promise<ColumnarBatch[][]>;
}

function isProducer(op: PhysicalOperator): op is PartitionedProducer {
  return typeof (op as Partial<PartitionedProducer>).runPartitioned === 'function';
}

/**
 * The exchange (shuffle) between two stages. When its child is a worker stage, each of the
 * child's tasks cuts its own output by the partitioning, on shared memory, in the worker;
 * otherwise the exchange cuts the child's rows on the driver. The next stage reads
 * {@link partitions}: per partition, the blocks of every map task in task order, so each
 * partition's rows keep the order they had in the child's output.
 *
 * Used as a plain operator (`execute`), it yields partition 0's rows, then partition 1's...
 */
export class ShuffleExchangeExec implements PhysicalOperator {
  readonly name = 'Exchange';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  readonly partitioning: Partitioning;

  private readonly pool: WorkerPool | null;

  /** `pool` runs the partitioning tasks of a range partitioning (whose bounds come from a sample of the child's rows). */
  constructor(child: PhysicalOperator, partitioning: Partitioning, pool: WorkerPool | null = null) {
    this.children = [child];
    this.schema = child.schema;
    this.partitioning = partitioning;
    this.pool = pool;
  }

  describe(): string {
    return describePartitioning(this.partitioning);
  }

  /** Runs the map side; per partition, its blocks in map-task order (each on shared memory). */
  async partitions(ctx: ExecContext): Promise<ColumnarBatch[][]> {
    const child = this.children[0] as PhysicalOperator;
    let parts: ColumnarBatch[][];
    if (this.partitioning.kind === 'range') parts = await this.rangePartitions(ctx, this.partitioning);
    else if (isProducer(child)) parts = await child.runPartitioned(ctx, this.partitioning);
    else {
      const rows: ColumnarBatch[] = [];
      for await (const b of child.execute(ctx)) rows.push(b);
      const t0 = performance.now();
      parts = splitByPartition(rows, this.partitioning, this.schema).map((b) => (b.numRows > 0 ? [b] : []));
      this.metrics.elapsedMs += performance.now() - t0;
    }
    for (const p of parts) for (const b of p) this.metrics.outputRows += b.numRows;
    this.metrics.extra.partitions = parts.length;
    this.metrics.extra.emptyPartitions = parts.filter((p) => p.length === 0).length;
    return parts;
  }

  /**
   * Range partitioning in three steps: the child's rows are gathered in blocks on shared
   * memory (one per map task), the bounds are placed from a sample of them on the driver,
   * then one task per block (on the pool) cuts it by the bounds.
   */
  private async rangePartitions(ctx: ExecContext, p: Extract<Partitioning, { kind: 'range' }>): Promise<ColumnarBatch[][]> {
    const child = this.children[0] as PhysicalOperator;
    let blocks: ColumnarBatch[];
    if (isProducer(child)) blocks = (await child.runPartitioned(ctx, { kind: 'single', n: 1 })).flat();
    else {
      const rows: ColumnarBatch[] = [];
      for await (const b of child.execute(ctx)) rows.push(b);
      blocks = splitByPartition(rows, { kind: 'single', n: 1 }, this.schema);
    }
    blocks = blocks.filter((b) => b.numRows > 0);
    const bounds = rangeBounds(this.schema, blocks, p.orders, p.n);
    const partitioning: Partitioning = { ...p, bounds };
    const parts: ColumnarBatch[][] = Array.from({ length: p.n }, () => []);
    const cut = async (block: ColumnarBatch): Promise<readonly ColumnarBatch[]> => {
      if (this.pool === null) return splitByPartition([block], partitioning, this.schema);
      const task: StageTask = {
        fragment: buildLocalRelation(this.schema, [block]),
        fileSplits: null,
        cap: { kind: 'none' },
        batchSize: ctx.batchSize,
        partitioning,
      };
      return (await this.pool.run(task, ctx.signal)).batches;
    };
    const results = await Promise.all(blocks.map(cut));
    for (const r of results) {
      r.forEach((b, k) => {
        if (b.numRows > 0) parts[k]?.push({ schema: this.schema, columns: b.columns, numRows: b.numRows });
      });
    }
    return parts;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    for (const part of await this.partitions(ctx)) {
      for (const b of part) {
        this.metrics.outputBatches++;
        yield b;
      }
    }
  }
}
