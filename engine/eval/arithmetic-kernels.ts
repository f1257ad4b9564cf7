import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { int64At, int64Halves, SAFE_LIMIT } from '../../common/int64.js';
import type { BinaryOp } from '../../dataframe/expr/expr.js';
import { negateValue } from '../../dataframe/expr/operator-value.js';
import { nullVector, writableValidity, writeInt64 } from './eval-vectors.js';
import type { ArithOp } from './loop-codegen.js';
import { arithLoop } from './loop-codegen.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/**
 * Arithmetic kernels. int32 wraps (Math.imul for `*`); double is IEEE; int64 is exact: rows
 * whose operands and result stay within +-2^53 are computed in doubles from the 32-bit
 * halves, others in BigInt with 64-bit wrap. `/` (double only) and `%` by zero give null.
 */

function int64Binary(op: ArithOp, l: ColumnVector, r: ColumnVector, n: number): ColumnVector {
  const a = l.values as BigInt64Array;
  const b = r.values as BigInt64Array;
  const ah = int64Halves(a);
  const bh = int64Halves(b);
  const out = new BigInt64Array(n);
  const oh = int64Halves(out);
  const valid = op === '%' ? writableValidity(l.validity, r.validity, n) : null;
  const check = valid ?? writableValidity(l.validity, r.validity, n);
  for (let i = 0; i < n; i++) {
    if (check[i] === 0) continue;
    const x = int64At(ah, i);
    const y = int64At(bh, i);
    if (op === '%' && y === 0) {
      (valid as Uint8Array)[i] = 0;
      continue;
    }
    if (Math.abs(x) <= SAFE_LIMIT && Math.abs(y) <= SAFE_LIMIT) {
      const z = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x % y;
      if (Math.abs(z) <= SAFE_LIMIT) {
        writeInt64(oh, i, z === 0 ? 0 : z);
        continue;
      }
    }
    const X = a[i] as bigint;
    const Y = b[i] as bigint;
    out[i] = BigInt.asIntN(64, op === '+' ? X + Y : op === '-' ? X - Y : op === '*' ? X * Y : X % Y);
  }
  return { type: l.type, length: n, validity: valid ?? (l.validity === null && r.validity === null ? null : check), values: out };
}

/** Compiles `left op right` for analyzed operands of one numeric type `type` (double for `/`). */
export function compileArithmetic(op: BinaryOp, left: Operand, right: Operand, type: DataType): CompiledExpr {
  const aop = op as ArithOp;
  if ((left.kind === 'lit' && left.value === null) || (right.kind === 'lit' && right.value === null)) return (b) => nullVector(type, b.numRows);
  if (type.kind === 'int64') return (b) => int64Binary(aop, operandVector(left, b), operandVector(right, b), b.numRows);
  const kind = type.kind === 'int32' ? 'i32' : 'f64';
  const bothLit = left.kind === 'lit' && right.kind === 'lit';
  const shape = bothLit || right.kind === 'lit' ? 'vs' : left.kind === 'lit' ? 'sv' : 'vv';
  const loop = arithLoop(kind, aop, shape);
  const zeroNull = aop === '/' || aop === '%';
  return (batch) => {
    const n = batch.numRows;
    const lv = left.kind === 'vec' || bothLit ? operandVector(left, batch) : null;
    const rv = right.kind === 'vec' ? right.eval(batch) : null;
    const a = lv !== null ? lv.values : left.kind === 'lit' ? (left.value as number) : 0;
    const bb = rv !== null ? rv.values : right.kind === 'lit' ? (right.value as number) : 0;
    const lval = lv?.validity ?? null;
    const rval = rv?.validity ?? null;
    const valid = zeroNull ? writableValidity(lval, rval, n) : lval === null ? rval : rval === null ? lval : writableValidity(lval, rval, n);
    const out = kind === 'i32' ? new Int32Array(n) : new Float64Array(n);
    loop(a as ArrayLike<number> | number, bb as ArrayLike<number> | number, n, out, valid);
    return { type, length: n, validity: valid, values: out };
  };
}

/** Compiles arithmetic negation (int32 and int64 wrap). */
export function compileNegate(child: CompiledExpr, type: DataType): CompiledExpr {
  return (batch) => {
    const v = child(batch);
    const n = batch.numRows;
    if (type.kind === 'int64') {
      const src = v.values as BigInt64Array;
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = negateValue(src[i] as bigint, type) as bigint;
      return { type, length: n, validity: v.validity, values: out };
    }
    const src = v.values as Int32Array | Float64Array;
    const out = type.kind === 'int32' ? new Int32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = -(src[i] as number);
    return { type, length: n, validity: v.validity, values: out };
  };
}
