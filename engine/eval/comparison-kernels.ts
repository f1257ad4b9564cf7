import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { int64Halves } from '../../common/int64.js';
import { bytesCompare, encodeUtf8 } from '../../common/utf8.js';
import { decodeDictionary } from '../../common/vector-concat.js';
import type { BinaryOp, LiteralValue } from '../../dataframe/expr/expr.js';
import { andValidity, booleanVector, nullVector } from './eval-vectors.js';
import type { CompareKind, CompareOp } from './loop-codegen.js';
import { flipCompare, maskLoop } from './loop-codegen.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';
import { utf8Predicate } from './utf8-lut.js';

/**
 * Comparison kernels: `=`, `!=`, `<`, `<=`, `>`, `>=` (null when either side is null) and
 * null-safe `<=>`. Doubles order NaN above every number and equal to itself; strings
 * compare byte-wise; int64/timestamps through 32-bit halves. A column compared with a
 * literal never materialises the literal; utf8 against a literal is evaluated once per
 * dictionary entry.
 */

/** The generated-loop kind of a type, or 'utf8' / 'null'. */
export function compareKind(t: DataType): CompareKind | 'utf8' | 'null' {
  switch (t.kind) {
    case 'float64':
      return 'f64';
    case 'int64':
    case 'decimal':
    case 'timestamp':
      return 'i64';
    case 'utf8':
      return 'utf8';
    case 'null':
    case 'list':
    case 'map':
      return 'null';
    default:
      return 'num';
  }
}

/** The values of a vector as the loops read them (int64 as 32-bit halves). */
export function loopArray(v: ColumnVector, kind: CompareKind): ArrayLike<number> {
  return kind === 'i64' ? int64Halves(v.values as BigInt64Array) : (v.values as ArrayLike<number>);
}

/** A literal as the loops read it: a number, or for int64 an Int32Array [lo, hi]. */
export function loopScalar(value: LiteralValue, kind: CompareKind): ArrayLike<number> | number {
  if (kind === 'i64') return int64Halves(BigInt64Array.of(value as bigint));
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as number;
}

/** True when a three-way comparison result satisfies `op`. */
export function holds(op: CompareOp, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function utf8VsLiteral(op: CompareOp, lit: Uint8Array): (v: ColumnVector) => ColumnVector {
  const key = `cmp${op}${Array.from(lit).join(',')}`;
  const test = (bytes: Uint8Array, s: number, e: number): boolean => holds(op, bytesCompare(bytes, s, e, lit, 0, lit.length));
  return (v) => utf8Predicate(v, key, test);
}

function utf8VsUtf8(op: CompareOp, l: ColumnVector, r: ColumnVector, n: number): Uint8Array {
  const a = decodeDictionary(l);
  const b = decodeDictionary(r);
  const ao = a.offsets as Int32Array;
  const bo = b.offsets as Int32Array;
  const ab = a.values as Uint8Array;
  const bb = b.values as Uint8Array;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = holds(op, bytesCompare(ab, ao[i] as number, ao[i + 1] as number, bb, bo[i] as number, bo[i + 1] as number)) ? 1 : 0;
  return out;
}

function vectorsMask(op: CompareOp, kind: CompareKind | 'utf8', l: ColumnVector, r: ColumnVector, n: number): Uint8Array {
  if (kind === 'utf8') return utf8VsUtf8(op, l, r, n);
  const out = new Uint8Array(n);
  maskLoop(kind, op, false)(loopArray(l, kind), loopArray(r, kind), n, out);
  return out;
}

function nullSafeEqual(left: Operand, right: Operand, kind: CompareKind | 'utf8' | 'null'): CompiledExpr {
  return (batch) => {
    const n = batch.numRows;
    const l = operandVector(left, batch);
    const r = operandVector(right, batch);
    const lv = l.type.kind === 'null' ? new Uint8Array(n) : l.validity;
    const rv = r.type.kind === 'null' ? new Uint8Array(n) : r.validity;
    const eq = kind === 'null' ? new Uint8Array(n) : vectorsMask('=', kind, l, r, n);
    if (lv !== null || rv !== null) {
      for (let i = 0; i < n; i++) {
        const a = lv === null ? 1 : (lv[i] as number);
        const b = rv === null ? 1 : (rv[i] as number);
        eq[i] = a & b ? (eq[i] as number) : a | b ? 0 : 1;
      }
    }
    return booleanVector(eq, null);
  };
}

/** Compiles a comparison of two analyzed operands of one type `type`. */
export function compileComparison(op: BinaryOp, left: Operand, right: Operand, type: DataType): CompiledExpr {
  const kind = compareKind(type);
  if (op === '<=>') return nullSafeEqual(left, right, kind);
  let cop = op as CompareOp;
  let l = left;
  let r = right;
  if (l.kind === 'lit' && r.kind === 'vec') {
    [l, r] = [r, l];
    cop = flipCompare(cop);
  }
  if (kind === 'null' || (r.kind === 'lit' && r.value === null) || (l.kind === 'lit' && l.value === null))
    return (b) => nullVector({ kind: 'boolean' }, b.numRows);
  const lhs = l;
  if (r.kind === 'lit' && lhs.kind === 'vec') {
    if (kind === 'utf8') {
      const f = utf8VsLiteral(cop, encodeUtf8(r.value as string));
      return (b) => f(lhs.eval(b));
    }
    const loop = maskLoop(kind, cop, true);
    const scalar = loopScalar(r.value, kind);
    return (batch) => {
      const v = lhs.eval(batch);
      const out = new Uint8Array(batch.numRows);
      loop(loopArray(v, kind), scalar, batch.numRows, out);
      return booleanVector(out, v.validity);
    };
  }
  const rhs = r;
  return (batch) => {
    const a = operandVector(lhs, batch);
    const b = operandVector(rhs, batch);
    return booleanVector(vectorsMask(cop, kind, a, b, batch.numRows), andValidity(a.validity, b.validity, batch.numRows));
  };
}
