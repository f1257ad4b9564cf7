import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import { decodeDictionary } from '../../common/vector-concat.js';
import { nullVector } from './eval-vectors.js';
import type { CompiledExpr } from './operand.js';

/**
 * CASE WHEN and coalesce: both pick, per row, one of several value vectors of one type.
 * All branches are evaluated over the whole batch (no branch can fail: errors such as
 * division by zero are nulls in Sluice), then rows are copied from the chosen vector.
 */

/** Row i of the result is row i of `sources[choice[i]]`, or null where `choice[i]` is -1. */
export function pickRows(type: DataType, sources: readonly ColumnVector[], choice: Int32Array, n: number): ColumnVector {
  if (type.kind === 'null') return nullVector(type, n);
  const srcs = sources.map((s) => (s.type.kind === 'null' ? nullVector(type, n) : decodeDictionary(s)));
  const validity = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = choice[i] as number;
    if (c < 0) continue;
    const m = (srcs[c] as ColumnVector).validity;
    validity[i] = m === null ? 1 : (m[i] as number);
  }
  if (type.kind === 'utf8') {
    const offsets = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (validity[i] === 1) {
        const o = (srcs[choice[i] as number] as ColumnVector).offsets as Int32Array;
        total += (o[i + 1] as number) - (o[i] as number);
      }
      offsets[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let i = 0; i < n; i++) {
      if (validity[i] === 0) continue;
      const s = srcs[choice[i] as number] as ColumnVector;
      const o = s.offsets as Int32Array;
      bytes.set((s.values as Uint8Array).subarray(o[i] as number, o[i + 1] as number), offsets[i] as number);
    }
    return { type, length: n, validity, values: bytes, offsets };
  }
  if (type.kind === 'list' || type.kind === 'map') {
    throw new SluiceError('UNSUPPORTED', 'CASE WHEN and coalesce over array and map values are not supported; choose the array with a join or filter instead.');
  }
  const proto = (srcs[0] as ColumnVector).values;
  const out = new (proto.constructor as new (n: number) => Float64Array)(n);
  const arrays = srcs.map((s) => s.values as Float64Array);
  for (let i = 0; i < n; i++) if (validity[i] === 1) out[i] = (arrays[choice[i] as number] as Float64Array)[i] as number;
  return { type, length: n, validity, values: out };
}

/** Compiles CASE WHEN: the first branch whose condition is true (not null) gives the value. */
export function compileCase(whens: readonly CompiledExpr[], thens: readonly CompiledExpr[], otherwise: CompiledExpr | null, type: DataType): CompiledExpr {
  return (batch) => {
    const n = batch.numRows;
    const choice = new Int32Array(n).fill(-2);
    whens.forEach((w, k) => {
      const c = w(batch);
      const v = c.values as Uint8Array;
      const m = c.validity;
      for (let i = 0; i < n; i++) if (choice[i] === -2 && v[i] === 1 && (m === null || m[i] === 1)) choice[i] = k;
    });
    const other = otherwise === null ? -1 : thens.length;
    for (let i = 0; i < n; i++) if (choice[i] === -2) choice[i] = other;
    const sources = thens.map((t) => t(batch));
    if (otherwise !== null) sources.push(otherwise(batch));
    return pickRows(type, sources, choice, n);
  };
}

/** Compiles coalesce: the first non-null argument per row. */
export function compileCoalesce(args: readonly CompiledExpr[], type: DataType): CompiledExpr {
  return (batch) => {
    const n = batch.numRows;
    const sources = args.map((a) => a(batch));
    const choice = new Int32Array(n).fill(-1);
    sources.forEach((s, k) => {
      if (s.type.kind === 'null') return;
      const m = s.validity;
      for (let i = 0; i < n; i++) if (choice[i] === -1 && (m === null || m[i] === 1)) choice[i] = k;
    });
    return pickRows(type, sources, choice, n);
  };
}
