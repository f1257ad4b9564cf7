import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import type { JoinType } from '../../dataframe/plan/logical-plan.js';
import type { ProbeInput } from '../join/join-emitter.js';
import { buildSideRows, JoinEmitter } from '../join/join-emitter.js';
import type { JoinSpec } from '../join/join-spec.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * Joins every left row with every right row, keeping the pairs where `condition` holds
 * (all pairs when it is null): cross joins and joins whose condition has no equi-keys.
 * Every join type works as in HashJoinExec (left then right columns; semi/anti output the
 * left columns). Blocking on the right side (materialised), streaming on the left: pairs
 * are formed left-row-major in chunks of `ctx.batchSize`, so memory stays bounded. Cost is
 * O(left rows x right rows) condition evaluations.
 */
export class NestedLoopJoinExec implements PhysicalOperator {
  readonly name = 'NestedLoopJoinExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly spec: JoinSpec;

  constructor(left: PhysicalOperator, right: PhysicalOperator, joinType: JoinType, condition: Expr | null, schema: Schema) {
    this.children = [left, right];
    this.schema = schema;
    this.spec = { joinType, buildSide: 'right', leftSchema: left.schema, rightSchema: right.schema, outputSchema: schema, condition, using: null };
  }

  describe(): string {
    return this.spec.condition === null ? this.spec.joinType : `${this.spec.joinType} ${exprToString(this.spec.condition)}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const [left, right] = this.children as [PhysicalOperator, PhysicalOperator];
    const rightBatches: ColumnarBatch[] = [];
    for await (const b of right.execute(ctx)) rightBatches.push(b);
    const build = concatBatches(right.schema, rightBatches);
    const emitter = new JoinEmitter(this.spec, build, []);
    const roles = emitter.roles;
    this.metrics.extra.buildRows = build.numRows;
    const leftOwes = roles.probeUnmatched || (roles.semiAntiProbe && roles.anti);
    if (build.numRows > 0 || leftOwes) {
      for await (const batch of left.execute(ctx)) {
        let t0 = performance.now();
        const outs = joinAllPairs(emitter, { batch, keys: [] }, build.numRows, ctx.batchSize);
        for (let r = outs.next(); !r.done; r = outs.next()) {
          this.metrics.elapsedMs += performance.now() - t0;
          yield this.count(r.value);
          t0 = performance.now();
        }
        this.metrics.elapsedMs += performance.now() - t0;
      }
    }
    for (const out of buildSideRows(this.spec, build, [], emitter.buildMatched, ctx.batchSize)) yield this.count(out);
  }

  private count(out: ColumnarBatch): ColumnarBatch {
    this.metrics.outputRows += out.numRows;
    this.metrics.outputBatches++;
    return out;
  }
}

/** Every (left row, right row) pair of one left batch through the emitter, then the batch's owed rows. */
function* joinAllPairs(emitter: JoinEmitter, probe: ProbeInput, buildRows: number, batchSize: number): Generator<ColumnarBatch> {
  const n = probe.batch.numRows;
  const probeMatched = new Uint8Array(n);
  if (!emitter.hasCondition && emitter.roles.semiAntiProbe) {
    probeMatched.fill(buildRows > 0 ? 1 : 0);
  } else if (buildRows > 0) {
    const cap = Math.max(1, Math.min(batchSize, n * buildRows));
    const pBuf = new Int32Array(cap);
    const bBuf = new Int32Array(cap);
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < buildRows; j++) {
        pBuf[k] = i;
        bBuf[k] = j;
        if (++k === cap) {
          const out = emitter.pairs(probe, pBuf, bBuf, k, probeMatched);
          k = 0;
          if (out !== null) yield out;
        }
      }
    }
    if (k > 0) {
      const out = emitter.pairs(probe, pBuf, bBuf, k, probeMatched);
      if (out !== null) yield out;
    }
  }
  yield* emitter.probeTail(probe, probeMatched, batchSize);
}
