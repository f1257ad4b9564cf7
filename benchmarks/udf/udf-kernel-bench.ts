import type { ColumnarBatch } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import { analyzeExpr } from '../../dataframe/expr/analyze-expr.js';
import type { Column } from '../../dataframe/expr/column.js';
import { col } from '../../dataframe/expr/functions.js';
import { udfFromModule } from '../../dataframe/udf/user-defined-function.js';
import { compileExpr } from '../../engine/eval/compile-expr.js';
import { loadUdfFunctions } from '../../engine/udf/udf-functions.js';

/** Per-row cost in one thread of the evaluation kernels alone: built-in, vectorized UDF, row UDF. */
export interface KernelCosts {
  readonly rows: number;
  readonly builtinNsPerRow: number;
  readonly vectorizedNsPerRow: number;
  readonly rowNsPerRow: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * Times `amount * 1.1 + 3` as compiled kernels over one batch of `rows` doubles in this
 * thread (no tasks, no aggregation): the expression's own cost per row, which the
 * end-to-end cases dilute with task and aggregation overhead. Median of `runs` after one warm-up.
 */
export async function measureKernelCosts(module: string, rows: number, runs: number): Promise<KernelCosts> {
  const schema = schemaOf([field('amount', types.float64)]);
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = ((i * 7919) % 100_003) / 7;
  const batch: ColumnarBatch = { schema, numRows: rows, columns: [{ type: types.float64, length: rows, validity: null, values }] };
  const time = async (c: Column): Promise<number> => {
    const expr = analyzeExpr(c.expr, schema).expr;
    await loadUdfFunctions(expr);
    const f = compileExpr(expr, schema);
    const t: number[] = [];
    for (let r = -1; r < runs; r++) {
      const t0 = performance.now();
      f(batch);
      if (r >= 0) t.push(performance.now() - t0);
    }
    return Math.round((median(t) * 1e6) / rows);
  };
  return {
    rows,
    builtinNsPerRow: await time(col('amount').multiply(1.1).plus(3)),
    vectorizedNsPerRow: await time(udfFromModule(module, 'scaleVector', 'double', { vectorized: true })(col('amount'))),
    rowNsPerRow: await time(udfFromModule(module, 'scaleRow', 'double')(col('amount'))),
  };
}
