import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { gatherVector } from '../../common/vector-gather.js';
import { splitRegex } from '../../dataframe/expr/regexp-semantics.js';
import { literalValueAt, nullVector } from './eval-vectors.js';
import { readStrings, utf8FromStrings } from './utf8-strings.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/**
 * Kernels producing or consuming arrays: `split` (string -> array<string>, a list vector
 * over one utf8 child), `concatWs` (strings and string arrays -> string) and `reverse` of
 * an array.
 */

/** Compiles `split(str, regexp, limit)`. */
export function compileSplit(args: readonly Operand[]): CompiledExpr {
  const outType = types.list(types.utf8);
  return (batch) => {
    const [sv, pv, lv] = args.map((a) => operandVector(a, batch)) as [ColumnVector, ColumnVector, ColumnVector];
    const n = batch.numRows;
    const strs = sv.type.kind === 'utf8' ? readStrings(sv) : null;
    const offsets = new Int32Array(n + 1);
    let validity: Uint8Array | null = null;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = strs === null ? null : (strs[i] ?? null);
      const p = literalValueAt(pv, i);
      const limit = literalValueAt(lv, i);
      if (s === null || p === null || limit === null) {
        if (validity === null) validity = new Uint8Array(n).fill(1);
        validity[i] = 0;
      } else for (const x of splitRegex(s as string, p as string, limit as number)) parts.push(x);
      offsets[i + 1] = parts.length;
    }
    if (sv.type.kind === 'null') return nullVector(outType, n);
    return { type: outType, length: n, validity, values: new Uint8Array(0), offsets, child: utf8FromStrings(parts) };
  };
}

/** Compiles `reverse` of an array: each row's elements in reverse order (the child gathered once). */
export function compileReverseArray(arg: Operand): CompiledExpr {
  return (batch) => {
    const v = operandVector(arg, batch);
    if (v.type.kind === 'null') return v;
    const o = v.offsets as Int32Array;
    const n = v.length;
    const base = o[0] as number;
    const idx = new Int32Array((o[n] as number) - base);
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const s = o[i] as number;
      const e = o[i + 1] as number;
      for (let k = s; k < e; k++) idx[k - base] = e - 1 - (k - s);
      offsets[i + 1] = e - base;
    }
    return { type: v.type, length: n, validity: v.validity, values: new Uint8Array(0), offsets, child: gatherVector(v.child as ColumnVector, idx) };
  };
}

/** Appends the non-null strings of row `i` of `v` (a string array, or a string column read into `strs`) to `out`. */
function collect(v: ColumnVector, strs: readonly (string | null)[] | null, i: number, out: string[]): void {
  if (v.type.kind === 'list') {
    if (v.validity !== null && v.validity[i] === 0) return;
    const o = v.offsets as Int32Array;
    const child = v.child as ColumnVector;
    for (let k = o[i] as number; k < (o[i + 1] as number); k++) {
      const x = literalValueAt(child, k);
      if (x !== null) out.push(x as string);
    }
    return;
  }
  const x = strs === null ? null : strs[i];
  if (x !== null && x !== undefined) out.push(x);
}

/** Compiles `concat_ws(sep, ...)`: null arguments and null elements are skipped; a null separator gives null. */
export function compileConcatWs(args: readonly Operand[]): CompiledExpr {
  return (batch) => {
    const vs = args.map((a) => operandVector(a, batch));
    const n = batch.numRows;
    const strs = vs.map((v) => (v.type.kind === 'utf8' ? readStrings(v) : null));
    const seps = strs[0] ?? null;
    const out: (string | null)[] = new Array(n);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = seps === null ? null : (seps[i] ?? null);
      if (s === null) {
        out[i] = null;
        continue;
      }
      parts.length = 0;
      for (let k = 1; k < vs.length; k++) collect(vs[k] as ColumnVector, strs[k] ?? null, i, parts);
      out[i] = parts.join(s);
    }
    return utf8FromStrings(out);
  };
}
