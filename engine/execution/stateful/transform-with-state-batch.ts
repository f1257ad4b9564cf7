import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, sliceBatch } from '../../../common/columnar-batch.js';
import type { Schema } from '../../../common/schema.js';
import { resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import type { Row } from '../../../dataframe/data-frame.js';
import type { TransformWithState } from '../../../dataframe/plan/logical-plan.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from '../../physical/physical-operator.js';
import { newMetrics } from '../../physical/physical-operator.js';
import { KeyState, ProcessorRunner, groupByKey, rowObject, rowsToBatch, timerValues } from './transform-with-state-runtime.js';

/**
 * transformWithState in a batch query (blocking: reads its whole input first). The input
 * is one big "micro-batch": handleInputRows runs once per key with all of the key's rows
 * (input order), with processing time = the start of execution and watermark 0. Then, in
 * event-time mode, every timer registered by then fires (the final watermark of a bounded
 * input is past every event), ascending per key, keys in order of first appearance;
 * timers registered while firing do not fire. Processing-time timers never fire and TTL
 * never expires (the query ends at once). State lives only for the query.
 */
export class TransformWithStateExec implements PhysicalOperator {
  readonly name = 'TransformWithStateExec';
  readonly children: readonly PhysicalOperator[];
  readonly metrics: OperatorMetrics = newMetrics();
  readonly schema: Schema;

  constructor(
    private readonly child: PhysicalOperator,
    private readonly node: TransformWithState,
  ) {
    this.children = [child];
    this.schema = node.schema;
  }

  describe(): string {
    return `[${this.node.keys.join(', ')}], ${this.node.timeMode}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const inSchema = this.child.schema;
    const batches: ColumnarBatch[] = [];
    for await (const b of this.child.execute(ctx)) batches.push(b);
    const t0 = performance.now();
    const rows = concatBatches(inSchema, batches);
    const keyIdx = this.node.keys.map((k) => resolveFieldIndex(inSchema, k, null));
    const keySchema = schemaOf(keyIdx.map((i) => inSchema.fields[i] as Schema['fields'][number]));
    const keyCols = keyIdx.map((i) => rows.columns[i] as ColumnVector);
    const groups = groupByKey(keyCols, rows.numRows);
    const runner = new ProcessorRunner(this.node.processor, this.node.timeMode);
    const nowMs = Date.now();
    runner.handle.nowMs = nowMs;
    const out: Row[] = [];
    const keys: Row[] = [];
    const states: KeyState[] = [];
    try {
      const tv = timerValues(nowMs, 0);
      groups.rows.forEach((idx, g) => {
        const key = rowObject(keySchema, keyCols, groups.first[g] as number);
        const state = new KeyState();
        keys.push(key);
        states.push(state);
        runner.input(
          key,
          state,
          idx.map((i) => rowObject(inSchema, rows.columns, i)),
          tv,
          out,
        );
      });
      if (this.node.timeMode === 'eventTime') {
        let last = Number.MIN_SAFE_INTEGER;
        for (const s of states) last = Math.max(last, s.timers[s.timers.length - 1] ?? 0);
        const end = timerValues(nowMs, last);
        for (const [g, s] of states.entries()) runner.fireTimers(keys[g] as Row, s, last, end, out);
      }
    } finally {
      runner.close();
    }
    const result = rowsToBatch(this.schema, out);
    this.metrics.elapsedMs += performance.now() - t0;
    for (let start = 0; start < result.numRows; start += ctx.batchSize) {
      const end = Math.min(result.numRows, start + ctx.batchSize);
      const part = start === 0 && end === result.numRows ? result : sliceBatch(result, start, end);
      this.metrics.outputRows += part.numRows;
      this.metrics.outputBatches++;
      yield part;
    }
  }
}
