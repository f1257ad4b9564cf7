import type { ColumnVector } from '../../common/column-vector.js';
import { booleanVector } from './eval-vectors.js';
import type { CompiledExpr } from './operand.js';

/**
 * Three-valued AND / OR / NOT over boolean vectors: `false AND null` is false,
 * `true OR null` is true, otherwise null wins.
 */

function combine(isAnd: boolean, l: ColumnVector, r: ColumnVector, n: number): ColumnVector {
  const a = l.values as Uint8Array;
  const b = r.values as Uint8Array;
  const la = l.validity;
  const rb = r.validity;
  const out = new Uint8Array(n);
  if (la === null && rb === null) {
    if (isAnd) for (let i = 0; i < n; i++) out[i] = (a[i] as number) & (b[i] as number);
    else for (let i = 0; i < n; i++) out[i] = (a[i] as number) | (b[i] as number);
    return booleanVector(out, null);
  }
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const va = la === null ? 1 : (la[i] as number);
    const vb = rb === null ? 1 : (rb[i] as number);
    const x = (a[i] as number) & va;
    const y = (b[i] as number) & vb;
    if (isAnd) {
      // Definitely false when either side is a valid false.
      const f = (va & (x ^ 1)) | (vb & (y ^ 1));
      out[i] = x & y;
      valid[i] = (va & vb) | f;
    } else {
      const t = x | y;
      out[i] = t;
      valid[i] = (va & vb) | t;
    }
  }
  return booleanVector(out, valid);
}

/** Compiles `left AND right` or `left OR right`. */
export function compileAndOr(op: 'and' | 'or', left: CompiledExpr, right: CompiledExpr): CompiledExpr {
  const isAnd = op === 'and';
  return (batch) => combine(isAnd, left(batch), right(batch), batch.numRows);
}

/** Compiles NOT (null stays null). */
export function compileNot(child: CompiledExpr): CompiledExpr {
  return (batch) => {
    const v = child(batch);
    const a = v.values as Uint8Array;
    const n = batch.numRows;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) ^ 1;
    return booleanVector(out, v.validity);
  };
}
