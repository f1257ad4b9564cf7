import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import { compileExpr } from '../eval/compile-expr.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

function unalias(e: Expr): Expr {
  return e.kind === 'alias' ? unalias(e.child) : e;
}

/**
 * Computes one output column per expression (column references pass their vector through
 * untouched; aliases name the result, given by `schema`). Expressions are compiled once
 * against the child's schema. Streaming: one output batch per input batch.
 */
export class ProjectExec implements PhysicalOperator {
  readonly name = 'ProjectExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly exprs: readonly Expr[];
  private readonly compiled: readonly ((batch: ColumnarBatch) => ColumnVector)[];

  constructor(child: PhysicalOperator, exprs: readonly Expr[], schema: Schema) {
    this.children = [child];
    this.exprs = exprs;
    this.schema = schema;
    this.compiled = exprs.map((e) => compileExpr(unalias(e), child.schema));
  }

  describe(): string {
    return this.exprs.map((e) => exprToString(e)).join(', ');
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
      const t0 = performance.now();
      const out = makeBatch(
        this.schema,
        this.compiled.map((f) => f(b)),
        b.numRows,
      );
      this.metrics.elapsedMs += performance.now() - t0;
      this.metrics.outputRows += out.numRows;
      this.metrics.outputBatches++;
      yield out;
    }
  }
}
