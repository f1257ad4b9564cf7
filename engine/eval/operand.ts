import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import type { LiteralValue } from '../../dataframe/expr/expr.js';
import { broadcastValue } from './eval-vectors.js';

/** A compiled expression: computes one vector of `batch.numRows` rows. */
export type CompiledExpr = (batch: import('../../common/column-vector.js').ColumnarBatch) => ColumnVector;

/** A compiled operand: a literal known at compile time, or an expression evaluated per batch. */
export type Operand =
  | { readonly kind: 'lit'; readonly value: LiteralValue; readonly type: DataType }
  | { readonly kind: 'vec'; readonly eval: CompiledExpr; readonly type: DataType };

/** Evaluates an operand as a vector (broadcasting a literal; kernels that special-case literals avoid this). */
export function operandVector(o: Operand, batch: import('../../common/column-vector.js').ColumnarBatch): ColumnVector {
  return o.kind === 'vec' ? o.eval(batch) : broadcastValue(o.value, o.type, batch.numRows);
}
