import { internalError } from '../../common/errors.js';

/**
 * Generates tight loops over typed arrays for every (operand kind, operator, operand
 * shape) combination once, with `new Function`, so each combination gets its own
 * monomorphic loop without hand-writing dozens of near-identical loops. Generated source
 * is built only from the fixed fragments below, never from user data; functions are
 * cached by key.
 *
 * Operand kinds: `num` (int32, date, boolean bytes: plain JS comparison), `f64` (double
 * with Spark's NaN ordering: NaN = NaN, NaN above all numbers), `i64` (int64/timestamp read
 * as 32-bit halves, `a`/`b` are Int32Array views; a scalar is an Int32Array [lo, hi]).
 * Shapes: `vv` (two vectors) or `vs` (vector and scalar `b`).
 */

/** Comparison operators the generator knows. */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
/** Operand kinds of generated comparisons. */
export type CompareKind = 'num' | 'f64' | 'i64';
/** Arithmetic operators the generator knows. */
export type ArithOp = '+' | '-' | '*' | '/' | '%';

type Arr = ArrayLike<number>;

/** Writes 1/0 per row into `out` (validity handled by the caller). */
export type MaskLoop = (a: Arr, b: Arr | number, n: number, out: Uint8Array) => void;
/** Appends to `out` the rows i < n where the comparison holds (and `valid[i]` is 1 when given); returns the count. */
export type DenseSelectLoop = (a: Arr, b: Arr | number, n: number, valid: Uint8Array | null, out: Int32Array) => number;
/** Keeps the rows `sel[0..n)` where the comparison holds; `out` may be `sel`. Returns the count. */
export type SparseSelectLoop = (a: Arr, b: Arr | number, sel: Int32Array, n: number, valid: Uint8Array | null, out: Int32Array) => number;
/** Computes `out[i] = a[i] op b[i]` (or with scalar operands); zero divisors clear `valid[i]`. */
export type ArithLoop = (a: Arr | number, b: Arr | number, n: number, out: Int32Array | Float64Array, valid: Uint8Array | null) => void;

const cache = new Map<string, unknown>();

function build<T>(key: string, params: string[], body: string): T {
  let f = cache.get(key);
  if (f === undefined) {
    f = new Function(...params, body);
    cache.set(key, f);
  }
  return f as T;
}

/** A branch-free condition: comparisons joined with bitwise operators, giving 0 or 1 (as number or boolean). */
function condition(kind: CompareKind, op: CompareOp): string {
  if (kind === 'i64') {
    switch (op) {
      case '=':
        return '(xh === yh) & (xl === yl)';
      case '!=':
        return '(xh !== yh) | (xl !== yl)';
      case '<':
        return '(xh < yh) | ((xh === yh) & (xl < yl))';
      case '<=':
        return '(xh < yh) | ((xh === yh) & (xl <= yl))';
      case '>':
        return '(xh > yh) | ((xh === yh) & (xl > yl))';
      case '>=':
        return '(xh > yh) | ((xh === yh) & (xl >= yl))';
    }
  }
  if (kind === 'num') return `(x ${op === '=' ? '===' : op === '!=' ? '!==' : op} y) & 1`;
  switch (op) {
    case '=':
      return '(x === y) | ((x !== x) & (y !== y))';
    case '!=':
      return '(x !== y) & ((x === x) | (y === y))';
    case '<':
      return '(x < y) | ((y !== y) & (x === x))';
    case '<=':
      return '(x <= y) | (y !== y)';
    case '>':
      return '(x > y) | ((x !== x) & (y === y))';
    case '>=':
      return '(x >= y) | (x !== x)';
  }
}

function reads(kind: CompareKind, scalar: boolean): { pre: string; row: string } {
  if (kind === 'i64') {
    return {
      pre: scalar ? 'const yh = b[1]; const yl = b[0] >>> 0;' : '',
      row: `const xh = a[2 * i + 1]; const xl = a[2 * i] >>> 0;${scalar ? '' : ' const yh = b[2 * i + 1]; const yl = b[2 * i] >>> 0;'}`,
    };
  }
  return { pre: scalar ? 'const y = b;' : '', row: `const x = a[i];${scalar ? '' : ' const y = b[i];'}` };
}

/** A loop writing the comparison result per row. */
export function maskLoop(kind: CompareKind, op: CompareOp, scalar: boolean): MaskLoop {
  const r = reads(kind, scalar);
  const body = `${r.pre} for (let i = 0; i < n; i++) { ${r.row} out[i] = ${condition(kind, op)}; }`;
  return build(`mask|${kind}|${op}|${scalar}`, ['a', 'b', 'n', 'out'], body);
}

/** A loop selecting the rows of 0..n where the comparison holds. */
export function denseSelectLoop(kind: CompareKind, op: CompareOp, scalar: boolean, withValidity: boolean): DenseSelectLoop {
  const r = reads(kind, scalar);
  const keep = withValidity ? `valid[i] & (${condition(kind, op)})` : `(${condition(kind, op)}) & 1`;
  const body = `${r.pre} let k = 0; for (let i = 0; i < n; i++) { ${r.row} out[k] = i; k += ${keep}; } return k;`;
  return build(`dense|${kind}|${op}|${scalar}|${withValidity}`, ['a', 'b', 'n', 'valid', 'out'], body);
}

/** A loop keeping the selected rows where the comparison holds. */
export function sparseSelectLoop(kind: CompareKind, op: CompareOp, scalar: boolean, withValidity: boolean): SparseSelectLoop {
  const r = reads(kind, scalar);
  const keep = withValidity ? `valid[i] & (${condition(kind, op)})` : `(${condition(kind, op)}) & 1`;
  const body = `${r.pre} let k = 0; for (let j = 0; j < n; j++) { const i = sel[j]; ${r.row} out[k] = i; k += ${keep}; } return k;`;
  return build(`sparse|${kind}|${op}|${scalar}|${withValidity}`, ['a', 'b', 'sel', 'n', 'valid', 'out'], body);
}

/** An arithmetic loop for int32 (`i32`, wrapping) or double (`f64`) operands; `shape` says which side is a scalar. */
export function arithLoop(kind: 'i32' | 'f64', op: ArithOp, shape: 'vv' | 'vs' | 'sv'): ArithLoop {
  if (kind === 'i32' && op === '/') throw internalError('int32 division is done in double');
  const x = shape === 'sv' ? 'a' : 'a[i]';
  const y = shape === 'vs' ? 'b' : 'b[i]';
  let expr: string;
  if (kind === 'i32') expr = op === '*' ? 'Math.imul(x, y)' : `(x ${op} y) | 0`;
  else expr = `x ${op} y`;
  const zero = op === '/' || op === '%' ? 'if (y === 0) { valid[i] = 0; out[i] = 0; continue; }' : '';
  const body = `for (let i = 0; i < n; i++) { const x = ${x}; const y = ${y}; ${zero} out[i] = ${expr}; }`;
  return build(`arith|${kind}|${op}|${shape}`, ['a', 'b', 'n', 'out', 'valid'], body);
}

/**
 * An int64 arithmetic loop (`+ - * %`) over 32-bit halves: `ah`/`bh` are the halves of
 * `a`/`b` (for a scalar `b`, `bh` is [lo, hi] and `b` the bigint). Rows whose operands
 * and result stay within +-2^53 are computed in doubles and written as halves to `oh`
 * (the halves of `out`); the others in BigInt with 64-bit wrap. `%` by zero clears
 * `valid[i]` (which must then be writable); other operators never read `valid`.
 */
export type Int64ArithLoop = (
  ah: Int32Array,
  bh: Int32Array,
  a: BigInt64Array,
  b: BigInt64Array | bigint,
  n: number,
  out: BigInt64Array,
  oh: Int32Array,
  valid: Uint8Array | null,
) => void;

/** A loop for int64 `+ - * %` with a vector or scalar right operand (see {@link Int64ArithLoop}). */
export function int64ArithLoop(op: Exclude<ArithOp, '/'>, scalar: boolean): Int64ArithLoop {
  const pre = scalar ? 'const y = bh[1] * 4294967296 + (bh[0] >>> 0); const Y = b; const ySafe = Math.abs(y) <= 9007199254740991;' : '';
  const readY = scalar ? '' : 'const y = bh[2 * i + 1] * 4294967296 + (bh[2 * i] >>> 0); const ySafe = Math.abs(y) <= 9007199254740991;';
  const zero = op === '%' ? 'if (y === 0) { valid[i] = 0; continue; }' : '';
  const big = `BigInt.asIntN(64, a[i] ${op} ${scalar ? 'Y' : 'b[i]'})`;
  const body = `${pre} for (let i = 0; i < n; i++) {
    const x = ah[2 * i + 1] * 4294967296 + (ah[2 * i] >>> 0); ${readY} ${zero}
    const z = x ${op} y;
    if (ySafe && Math.abs(x) <= 9007199254740991 && Math.abs(z) <= 9007199254740991) {
      const hi = Math.floor(z * 2.3283064365386963e-10); oh[2 * i] = (z - hi * 4294967296) | 0; oh[2 * i + 1] = hi | 0;
    } else out[i] = ${big};
  }`;
  return build(`i64arith|${op}|${scalar}`, ['ah', 'bh', 'a', 'b', 'n', 'out', 'oh', 'valid'], body);
}

/** The operator seen from the other side: `a < b` is `b > a`. */
export function flipCompare(op: CompareOp): CompareOp {
  switch (op) {
    case '<':
      return '>';
    case '<=':
      return '>=';
    case '>':
      return '<';
    case '>=':
      return '<=';
    default:
      return op;
  }
}
