import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { makeBatch, sliceBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import { gatherVector } from '../../common/vector-gather.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import type { Generate } from '../../dataframe/plan/generate-node.js';
import type { CompiledExpr } from '../eval/compile-expr.js';
import { compileExpr } from '../eval/compile-expr.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/** Row indices of one exploded batch: output row k repeats input row `parent[k]` with element `element[k]` (-1 = null). */
export interface ExplodeIndices {
  readonly parent: Int32Array;
  readonly element: Int32Array;
  readonly pos: Int32Array;
  readonly count: number;
}

/**
 * The offsets pass of explode: for an array or map vector, one output row per element of
 * each non-null row, in order; with `outer`, a null or empty row gives one row with element
 * -1 (null) and position -1 (null). Two linear passes over the offsets, typed arrays only.
 */
export function explodeIndices(v: ColumnVector, outer: boolean): ExplodeIndices {
  const n = v.length;
  const o = v.offsets as Int32Array;
  const valid = v.validity;
  let count = 0;
  for (let r = 0; r < n; r++) {
    const len = valid !== null && valid[r] === 0 ? 0 : (o[r + 1] as number) - (o[r] as number);
    count += len === 0 && outer ? 1 : len;
  }
  const parent = new Int32Array(count);
  const element = new Int32Array(count);
  const pos = new Int32Array(count);
  let k = 0;
  for (let r = 0; r < n; r++) {
    const a = o[r] as number;
    const len = valid !== null && valid[r] === 0 ? 0 : (o[r + 1] as number) - a;
    if (len === 0) {
      if (outer) {
        parent[k] = r;
        element[k] = -1;
        pos[k++] = -1;
      }
      continue;
    }
    for (let j = 0; j < len; j++) {
      parent[k] = r;
      element[k] = a + j;
      pos[k++] = j;
    }
  }
  return { parent, element, pos, count };
}

/**
 * Spark's GenerateExec for explode, explode_outer, posexplode and posexplode_outer over
 * arrays and maps. Streaming (one input batch at a time): the offsets give each output
 * row's input row and element index, then every child column and the element column(s)
 * are gathered with the common gather; output batches are cut to the context's batch size.
 */
export class GenerateExec implements PhysicalOperator {
  readonly name = 'GenerateExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly input: CompiledExpr;

  constructor(
    child: PhysicalOperator,
    private readonly node: Generate,
  ) {
    this.children = [child];
    this.schema = node.schema;
    this.input = compileExpr(node.input, child.schema);
  }

  describe(): string {
    const n = this.node;
    return `${n.position ? 'pos' : ''}explode${n.outer ? '_outer' : ''}(${exprToString(n.input)}) [${n.outputNames.join(', ')}]`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const size = Math.max(1, ctx.batchSize);
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
      const t0 = performance.now();
      const out = this.explode(b);
      this.metrics.elapsedMs += performance.now() - t0;
      if (out.numRows === 0) continue;
      for (let s = 0; s < out.numRows; s += size) {
        const slice = s === 0 && out.numRows <= size ? out : sliceBatch(out, s, Math.min(out.numRows, s + size));
        this.metrics.outputRows += slice.numRows;
        this.metrics.outputBatches++;
        yield slice;
      }
    }
  }

  private explode(b: ColumnarBatch): ColumnarBatch {
    const v = this.input(b);
    const ix = explodeIndices(v, this.node.outer);
    const cols: ColumnVector[] = b.columns.map((c) => gatherVector(c, ix.parent, ix.count));
    if (this.node.position) {
      let validity: Uint8Array | null = null;
      if (this.node.outer) {
        validity = new Uint8Array(ix.count);
        for (let k = 0; k < ix.count; k++) validity[k] = ix.pos[k] === -1 ? 0 : 1;
      }
      cols.push({ type: this.schema.fields[cols.length]?.type ?? v.type, length: ix.count, validity, values: ix.pos });
    }
    const child = v.child as ColumnVector;
    if (v.type.kind === 'map') for (const part of child.children as readonly ColumnVector[]) cols.push(gatherVector(part, ix.element, ix.count));
    else cols.push(gatherVector(child, ix.element, ix.count));
    return makeBatch(this.schema, cols, ix.count);
  }
}
