import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { internalError } from '../../common/errors.js';
import { concatVectors } from '../../common/vector-concat.js';
import { gatherVector } from '../../common/vector-gather.js';
import type { AggCall, Expr } from '../../dataframe/expr/expr.js';
import { compileExpr } from '../eval/compile-expr.js';
import type { WindowFrames } from './window-agg-exec.js';

/**
 * Partition and peer boundaries per sorted position, read from the frames of the default
 * ordered frame (RANGE UNBOUNDED PRECEDING .. CURRENT ROW), where `lo` is the partition's
 * first position and `hi` the end of the row's peer group. The builder puts every ranking
 * and lag/lead function into a window node with that frame.
 */
interface Boundaries {
  readonly partStart: Int32Array;
  readonly partEnd: Int32Array;
  readonly peerStart: Int32Array;
}

/** Boundaries per frames object: the functions of one window node share them. */
const BOUNDARIES = new WeakMap<WindowFrames, Boundaries>();

function boundaries(f: WindowFrames, n: number): Boundaries {
  const known = BOUNDARIES.get(f);
  if (known !== undefined) return known;
  const b = computeBoundaries(f, n);
  BOUNDARIES.set(f, b);
  return b;
}

function computeBoundaries(f: WindowFrames, n: number): Boundaries {
  const { lo, hi } = f;
  const partEnd = new Int32Array(n);
  for (let k = n - 1; k >= 0; k--) partEnd[k] = k + 1 < n && lo[k + 1] === lo[k] ? (partEnd[k + 1] as number) : k + 1;
  const peerStart = new Int32Array(n);
  for (let k = 0; k < n; k++) peerStart[k] = k > (lo[k] as number) && hi[k - 1] === hi[k] ? (peerStart[k - 1] as number) : k;
  return { partStart: lo, partEnd, peerStart };
}

function literalNumber(e: Expr | undefined): number {
  if (e === undefined || e.kind !== 'lit' || typeof e.value !== 'number') throw internalError('window function: expected an integer literal argument.');
  return e.value;
}

/**
 * One window-only function's output vector, in input row order: the ranking functions
 * (rowNumber, rank, denseRank, percentRank, cumeDist, ntile) and lag/lead from partition
 * and peer boundaries, firstValue/lastValue from each row's frame `[lo, hi)`. Linear in the
 * rows over the sorted permutation; values are gathered once with the common gather, so
 * every column type works.
 */
export function evaluateWindowOnlyFunction(call: AggCall, batch: ColumnarBatch, outType: DataType, f: WindowFrames, n: number): ColumnVector {
  const { perm } = f;
  switch (call.fn) {
    case 'rowNumber':
    case 'rank':
    case 'denseRank':
    case 'ntile':
      return rankColumn(call, outType, boundaries(f, n), perm, n);
    case 'percentRank':
    case 'cumeDist': {
      const b = boundaries(f, n);
      const out = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const ps = b.partStart[k] as number;
        const size = (b.partEnd[k] as number) - ps;
        out[perm[k] as number] = call.fn === 'cumeDist' ? ((f.hi[k] as number) - ps) / size : size > 1 ? ((b.peerStart[k] as number) - ps) / (size - 1) : 0;
      }
      return { type: outType, length: n, validity: null, values: out };
    }
    case 'lag':
    case 'lead':
      return offsetColumn(call, batch, f, n);
    case 'firstValue':
    case 'lastValue':
      return frameValueColumn(call, batch, f, n);
    default:
      throw internalError(`WindowAggExec: ${call.fn} is not a window-only function.`);
  }
}

/** The int ranking functions, one tight loop each over the sorted positions. */
function rankColumn(call: AggCall, outType: DataType, b: Boundaries, perm: Int32Array, n: number): ColumnVector {
  const out = new Int32Array(n);
  const { partStart, partEnd, peerStart } = b;
  switch (call.fn) {
    case 'rowNumber':
      for (let k = 0; k < n; k++) out[perm[k] as number] = k - (partStart[k] as number) + 1;
      break;
    case 'rank':
      for (let k = 0; k < n; k++) out[perm[k] as number] = (peerStart[k] as number) - (partStart[k] as number) + 1;
      break;
    case 'denseRank': {
      let dense = 0;
      for (let k = 0; k < n; k++) {
        if (k === partStart[k]) dense = 0;
        if (peerStart[k] === k) dense++;
        out[perm[k] as number] = dense;
      }
      break;
    }
    default: {
      // ntile: the first `size % buckets` buckets hold one row more.
      const buckets = literalNumber(call.args[0]);
      for (let k = 0; k < n; k++) {
        const ps = partStart[k] as number;
        const size = (partEnd[k] as number) - ps;
        const i = k - ps;
        const per = Math.floor(size / buckets);
        const rem = size % buckets;
        out[perm[k] as number] = i < rem * (per + 1) ? Math.floor(i / (per + 1)) + 1 : Math.floor((i - rem) / per) + 1;
      }
    }
  }
  return { type: outType, length: n, validity: null, values: out };
}

/** lag/lead: the value `offset` rows before/after within the partition, else the default (evaluated at the current row). */
function offsetColumn(call: AggCall, batch: ColumnarBatch, f: WindowFrames, n: number): ColumnVector {
  const { perm } = f;
  const x = compileExpr(call.args[0] as Expr, batch.schema)(batch);
  const off = literalNumber(call.args[1]) * (call.fn === 'lag' ? -1 : 1);
  const defExpr = call.args[2] as Expr;
  const nullDefault = defExpr.kind === 'lit' && defExpr.value === null;
  const b = boundaries(f, n);
  const idx = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const t = k + off;
    const i = perm[k] as number;
    if (t >= (b.partStart[k] as number) && t < (b.partEnd[k] as number)) idx[i] = perm[t] as number;
    else idx[i] = nullDefault ? -1 : n + i;
  }
  if (nullDefault) return gatherVector(x, idx);
  // Out of range rows read the default's row i, placed after the n rows of x.
  const def = compileExpr(defExpr, batch.schema)(batch);
  return gatherVector(concatVectors([x, def]), idx);
}

/** firstValue/lastValue over each row's frame; with ignoreNulls the first/last non-null value in it. */
function frameValueColumn(call: AggCall, batch: ColumnarBatch, f: WindowFrames, n: number): ColumnVector {
  const { perm, lo, hi } = f;
  const x = compileExpr(call.args[0] as Expr, batch.schema)(batch);
  const a1 = call.args[1];
  const ignoreNulls = a1 !== undefined && a1.kind === 'lit' && a1.value === true;
  const first = call.fn === 'firstValue';
  const valid = x.type.kind === 'null' ? new Uint8Array(x.length) : x.validity;
  const idx = new Int32Array(n);
  if (!ignoreNulls || valid === null) {
    for (let k = 0; k < n; k++) {
      const a = lo[k] as number;
      const e = hi[k] as number;
      idx[perm[k] as number] = e > a ? (perm[first ? a : e - 1] as number) : -1;
    }
    return gatherVector(x, idx);
  }
  // Nearest valid sorted position at or after (first) / at or before (last) each position.
  const near = new Int32Array(n);
  if (first) {
    let next = n;
    for (let k = n - 1; k >= 0; k--) {
      if (valid[perm[k] as number] === 1) next = k;
      near[k] = next;
    }
  } else {
    let prev = -1;
    for (let k = 0; k < n; k++) {
      if (valid[perm[k] as number] === 1) prev = k;
      near[k] = prev;
    }
  }
  for (let k = 0; k < n; k++) {
    const a = lo[k] as number;
    const e = hi[k] as number;
    let j = -1;
    if (e > a) {
      const p = first ? (near[a] as number) : (near[e - 1] as number);
      if (p >= a && p < e) j = perm[p] as number;
    }
    idx[perm[k] as number] = j;
  }
  return gatherVector(x, idx);
}
