import type { DataType } from '../../common/data-type.js';
import { int64Halves } from '../../common/int64.js';
import type { BinaryOp } from '../../dataframe/expr/expr.js';
import { negateValue } from '../../dataframe/expr/operator-value.js';
import { andValidity, nullVector, writableValidity } from './eval-vectors.js';
import type { ArithOp } from './loop-codegen.js';
import { arithLoop, int64ArithLoop } from './loop-codegen.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/**
 * Arithmetic kernels. int32 wraps (Math.imul for `*`); double is IEEE; int64 is exact: rows
 * whose operands and result stay within +-2^53 are computed in doubles from the 32-bit
 * halves, others in BigInt with 64-bit wrap. `/` (double only) and `%` by zero give null.
 */

/** int64 `left op right`; a literal right operand is read once instead of broadcast. */
function compileInt64(op: Exclude<ArithOp, '/'>, left: Operand, right: Operand, type: DataType): CompiledExpr {
  const scalar = right.kind === 'lit';
  const loop = int64ArithLoop(op, scalar);
  const y = scalar ? BigInt.asIntN(64, BigInt(right.value as bigint | number)) : 0n;
  const yHalves = int64Halves(BigInt64Array.of(y));
  const zeroDivisor = scalar && y === 0n;
  return (batch) => {
    const n = batch.numRows;
    const l = operandVector(left, batch);
    const r = scalar ? null : operandVector(right, batch);
    const a = l.values as BigInt64Array;
    const out = new BigInt64Array(n);
    const rVal = r === null ? null : r.validity;
    // `%` by a column can make nulls; it needs a writable validity. Otherwise nulls are the inputs'.
    const valid = op === '%' && (!scalar || zeroDivisor) ? writableValidity(l.validity, rVal, n) : andValidity(l.validity, rVal, n);
    if (r === null) loop(int64Halves(a), yHalves, a, y, n, out, int64Halves(out), valid);
    else loop(int64Halves(a), int64Halves(r.values as BigInt64Array), a, r.values as BigInt64Array, n, out, int64Halves(out), valid);
    return { type, length: n, validity: valid, values: out };
  };
}

/** Compiles `left op right` for analyzed operands of one numeric type `type` (double for `/`). */
export function compileArithmetic(op: BinaryOp, left: Operand, right: Operand, type: DataType): CompiledExpr {
  const aop = op as ArithOp;
  if ((left.kind === 'lit' && left.value === null) || (right.kind === 'lit' && right.value === null)) return (b) => nullVector(type, b.numRows);
  if (type.kind === 'int64') return compileInt64(aop as Exclude<ArithOp, '/'>, left, right, type);
  const kind = type.kind === 'int32' ? 'i32' : 'f64';
  const bothLit = left.kind === 'lit' && right.kind === 'lit';
  const shape = bothLit || right.kind === 'lit' ? 'vs' : left.kind === 'lit' ? 'sv' : 'vv';
  const loop = arithLoop(kind, aop, shape);
  // Division by a non-zero literal never makes a null: keep the inputs' validity.
  const zeroNull = (aop === '/' || aop === '%') && !(right.kind === 'lit' && right.value !== 0);
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
