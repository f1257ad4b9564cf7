import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { concatBatches, makeBatch, sliceBatch } from '../../common/columnar-batch.js';
import type { DataType } from '../../common/data-type.js';
import { internalError } from '../../common/errors.js';
import type { AggCall, Expr, SortOrder, WindowFrame } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import type { WindowNode } from '../../dataframe/plan/logical-plan.js';
import type { CompiledExpr } from '../eval/compile-expr.js';
import { compileExpr, compileTypedExpr } from '../eval/compile-expr.js';
import { GroupTable } from '../hash/group-table.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from '../physical/physical-operator.js';
import { newMetrics } from '../physical/physical-operator.js';
import { radixSortPermutation } from '../sort/radix-sort.js';
import { isPercentileCall } from '../../dataframe/expr/percentile-options.js';
import { percentileWindowColumn } from './window-percentile.js';
import { sortKeyWords } from '../sort/sort-key-words.js';
import { WINDOW_FUNCTION_NAMES } from '../../dataframe/expr/window-functions.js';
import { evaluateWindowOnlyFunction } from './window-function-columns.js';

/** One window function bound to the child's schema. */
interface BoundFunction {
  readonly call: AggCall;
  readonly arg: CompiledExpr | null;
  readonly outType: DataType;
}

/**
 * The rows sorted by (partition keys, order keys) and each row's frame, as sorted positions:
 * row `perm[k]` of the input is at position k; its frame is positions `[lo[k], hi[k])`
 * (empty when `hi[k] <= lo[k]`). Within a partition `lo` and `hi` never decrease.
 */
export interface WindowFrames {
  readonly perm: Int32Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/**
 * Evaluates window functions (count, countDistinct, sum, avg, min, max; percentiles in window-percentile.ts) over ordered
 * partitions, Spark's WindowExec. Blocking: the whole input is read first. The rows are
 * sorted once by (partition keys, order keys) with the radix sort; each row's frame is
 * found by a two-pointer sweep over its partition (ROWS frames by position; RANGE frames by
 * order value, peers included at a CURRENT ROW bound, null order values forming one peer
 * group whose offset bounds cover just the null peers); then each function slides over the
 * frames, adding rows entering and removing rows leaving: count and sum by add/remove,
 * min/max with a monotonic deque, countDistinct with dense value ids and a count per id.
 * Linear in the rows after the sort; typed arrays only. Output rows keep the input's order,
 * with the function columns appended.
 */
export class WindowAggExec implements PhysicalOperator {
  readonly name = 'WindowAggExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: WindowNode['schema'];
  private readonly keys: readonly CompiledExpr[];
  private readonly orders: readonly { readonly eval: CompiledExpr; readonly order: SortOrder; readonly type: DataType }[];
  private readonly functions: readonly BoundFunction[];

  constructor(
    child: PhysicalOperator,
    private readonly node: WindowNode,
  ) {
    this.children = [child];
    this.schema = node.schema;
    this.keys = node.partitionBy.map((e) => compileExpr(e, child.schema));
    this.orders = node.orderBy.map((o) => {
      const t = compileTypedExpr(o.child, child.schema);
      return { eval: t.eval, order: o, type: t.type };
    });
    const base = child.schema.fields.length;
    this.functions = node.functions.map((f, i) => {
      const call = (f.kind === 'alias' ? f.child : f) as AggCall;
      if (call.kind !== 'agg') throw internalError(`WindowAggExec: function ${exprToString(f)} is not an aggregate call.`);
      const arg = call.args.length > 0 && !WINDOW_FUNCTION_NAMES.has(call.fn) ? compileExpr(call.args[0] as Expr, child.schema) : null;
      return { call, arg, outType: (node.schema.fields[base + i] as { type: DataType }).type };
    });
  }

  describe(): string {
    const f = this.node.frame;
    const b = (v: number | null, u: string): string => (v === null ? u : v === 0 ? 'currentRow' : String(v));
    return `[${this.node.functions.map((e) => exprToString(e)).join(', ')}] partitionBy [${this.node.partitionBy.map((e) => exprToString(e)).join(', ')}] orderBy [${this.node.orderBy.map((e) => exprToString(e)).join(', ')}] ${f.type} between ${b(f.start, 'unboundedPreceding')} and ${b(f.end, 'unboundedFollowing')}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const child = this.children[0] as PhysicalOperator;
    const parts: ColumnarBatch[] = [];
    for await (const b of child.execute(ctx)) parts.push(b);
    ctx.signal?.throwIfAborted();
    const t0 = performance.now();
    const all = concatBatches(child.schema, parts);
    parts.length = 0;
    const n = all.numRows;
    const frames = windowFrames(
      this.keys.map((k) => k(all)),
      this.orders.map((o) => ({ vector: o.eval(all), order: o.order })),
      this.node.frame,
      n,
    );
    const extra = this.functions.map((f) =>
      WINDOW_FUNCTION_NAMES.has(f.call.fn)
        ? evaluateWindowOnlyFunction(f.call, all, f.outType, frames, n)
        : evaluateWindowFunction(f.call.fn, f.arg === null ? null : f.arg(all), f.outType, frames, n, f.call),
    );
    const out = makeBatch(this.schema, [...all.columns, ...extra], n);
    this.metrics.elapsedMs += performance.now() - t0;
    const size = Math.max(1, ctx.batchSize);
    for (let s = 0; s < n || s === 0; s += size) {
      const end = Math.min(n, s + size);
      const slice = s === 0 && end === n ? out : sliceBatch(out, s, end);
      this.metrics.outputRows += slice.numRows;
      this.metrics.outputBatches++;
      yield slice;
      if (end >= n) break;
    }
  }
}

/** Reads an order key as a double in sort direction (negated for descending); nulls are not read. */
function orderValues(v: ColumnVector, perm: Int32Array, ascending: boolean, n: number): Float64Array {
  const out = new Float64Array(n);
  const sign = ascending ? 1 : -1;
  const kind = v.type.kind;
  if (kind === 'int64' || kind === 'timestamp') {
    const b = v.values as BigInt64Array;
    const halves = new Int32Array(b.buffer, b.byteOffset, v.length * 2);
    for (let k = 0; k < n; k++) {
      const i = perm[k] as number;
      out[k] = sign * ((halves[2 * i + 1] as number) * 4294967296 + ((halves[2 * i] as number) >>> 0));
    }
  } else if (kind === 'boolean' || kind === 'int32' || kind === 'date' || kind === 'float64') {
    const a = v.values as Int32Array | Float64Array | Uint8Array;
    for (let k = 0; k < n; k++) {
      const x = a[perm[k] as number] as number;
      // NaN sorts above every number and equals NaN (Spark).
      out[k] = sign * (Number.isNaN(x) ? Number.POSITIVE_INFINITY : x);
    }
  } else {
    throw internalError(`WindowAggExec: RANGE offsets over a ${kind} order key.`);
  }
  return out;
}

const SIGN = -0x80000000;

/**
 * The order values of an integer, date or timestamp key read back from its sort words,
 * which the sort left in sorted order (sequential reads, where going through the
 * permutation would read the column at random). The words of a value are its bits with
 * the sign flipped (inverted for descending), so decoding them as signed numbers gives a
 * value that increases along the sort and differs from the key (or its negation, for
 * descending) by a constant: offsets apply unchanged. Null when the key is another type.
 */
function sortedOrderValues(
  v: ColumnVector,
  words: readonly Int32Array[],
  nullsFirst: boolean,
  n: number,
): { vals: Float64Array; valid: Uint8Array | null } | null {
  const kind = v.type.kind;
  const width = kind === 'int32' || kind === 'date' ? 1 : kind === 'int64' || kind === 'timestamp' ? 2 : 0;
  if (width === 0 || (words.length !== width && words.length !== width + 1)) return null;
  const flagged = words.length === width + 1;
  const vals = new Float64Array(n);
  const w0 = words[flagged ? 1 : 0] as Int32Array;
  if (width === 1) {
    for (let k = 0; k < n; k++) vals[k] = ((w0[k] as number) ^ SIGN) | 0;
  } else {
    const w1 = words[flagged ? 2 : 1] as Int32Array;
    for (let k = 0; k < n; k++) vals[k] = (((w0[k] as number) ^ SIGN) | 0) * 4294967296 + ((w1[k] as number) >>> 0);
  }
  let valid: Uint8Array | null = null;
  if (flagged) {
    const flag = words[0] as Int32Array;
    const nullFlag = nullsFirst ? 0 : 1;
    valid = new Uint8Array(n);
    for (let k = 0; k < n; k++) valid[k] = flag[k] === nullFlag ? 0 : 1;
  }
  return { vals, valid };
}

/** How many order-key units one frame offset is: timestamps take milliseconds. */
function offsetScale(t: DataType): number {
  return t.kind === 'timestamp' && t.unit === 'us' ? 1000 : 1;
}

/**
 * Sorts the rows by (partition keys, order keys) and computes every row's frame. RANGE
 * offsets need exactly one numeric/date/timestamp order key (the builder checks).
 */
export function windowFrames(
  keys: readonly ColumnVector[],
  orders: readonly { readonly vector: ColumnVector; readonly order: SortOrder }[],
  frame: WindowFrame,
  n: number,
): WindowFrames {
  const asc = { ascending: true, nullsFirst: false };
  const keyWords = keys.flatMap((k) => sortKeyWords(k, asc));
  const orderWords = orders.flatMap((o) => sortKeyWords(o.vector, { ascending: o.order.ascending, nullsFirst: o.order.nullsFirst }));
  // The sort moves the words with the rows: afterwards equal neighbouring words mean equal keys.
  const perm = radixSortPermutation([...keyWords, ...orderWords], n);
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const nk = keyWords.length;
  const no = orderWords.length;
  const k0 = keyWords[0];
  const k1 = keyWords[1];
  const sameKey =
    nk === 0
      ? (): boolean => true
      : nk === 1
        ? (p: number): boolean => (k0 as Int32Array)[p] === (k0 as Int32Array)[p - 1]
        : nk === 2
          ? (p: number): boolean => (k0 as Int32Array)[p] === (k0 as Int32Array)[p - 1] && (k1 as Int32Array)[p] === (k1 as Int32Array)[p - 1]
          : (p: number): boolean => {
              for (let w = 0; w < nk; w++) if ((keyWords[w] as Int32Array)[p] !== (keyWords[w] as Int32Array)[p - 1]) return false;
              return true;
            };
  const sameOrder = (p: number): boolean => {
    for (let w = 0; w < no; w++) if ((orderWords[w] as Int32Array)[p] !== (orderWords[w] as Int32Array)[p - 1]) return false;
    return true;
  };
  const offsets = frame.type === 'range' && ((frame.start !== null && frame.start !== 0) || (frame.end !== null && frame.end !== 0));
  let vals: Float64Array | null = null;
  let valid: Uint8Array | null = null;
  let startOff = 0;
  let endOff = 0;
  if (offsets) {
    const o = orders[0];
    if (o === undefined || orders.length !== 1) throw internalError('WindowAggExec: RANGE offsets need exactly one order key.');
    const fromWords = sortedOrderValues(o.vector, orderWords, o.order.nullsFirst, n);
    vals = fromWords?.vals ?? orderValues(o.vector, perm, o.order.ascending, n);
    const scale = offsetScale(o.vector.type);
    startOff = (frame.start ?? 0) * scale;
    endOff = (frame.end ?? 0) * scale;
    const v = o.vector.validity;
    if (fromWords !== null) valid = fromWords.valid;
    else if (v !== null) {
      valid = new Uint8Array(n);
      for (let k = 0; k < n; k++) valid[k] = v[perm[k] as number] as number;
    }
  }
  let p = 0;
  while (p < n) {
    let q = p + 1;
    while (q < n && sameKey(q)) q++;
    if (frame.type === 'rows') {
      for (let k = p; k < q; k++) {
        lo[k] = frame.start === null ? p : Math.min(q, Math.max(p, k + frame.start));
        hi[k] = frame.end === null ? q : Math.min(q, Math.max(p, k + frame.end + 1));
      }
    } else {
      rangeFrames(p, q, frame, sameOrder, vals, valid, startOff, endOff, lo, hi);
    }
    p = q;
  }
  return { perm, lo, hi };
}

/** RANGE frames of the partition `[p, q)`: peers by equal order words, offsets by order value. */
function rangeFrames(
  p: number,
  q: number,
  frame: WindowFrame,
  sameOrder: (pos: number) => boolean,
  vals: Float64Array | null,
  valid: Uint8Array | null,
  startOff: number,
  endOff: number,
  lo: Int32Array,
  hi: Int32Array,
): void {
  // The non-null block of the order key: nulls sort first or last, so it is one run.
  let nnLo = p;
  let nnHi = q;
  if (valid !== null) {
    while (nnLo < q && valid[nnLo] === 0) nnLo++;
    nnHi = nnLo;
    while (nnHi < q && valid[nnHi] === 1) nnHi++;
  }
  let loPtr = nnLo;
  let hiPtr = nnLo;
  let peerStart = p;
  let peerEnd = p;
  for (let k = p; k < q; k++) {
    if (k >= peerEnd) {
      peerStart = k;
      peerEnd = k + 1;
      while (peerEnd < q && sameOrder(peerEnd)) peerEnd++;
    }
    const isNull = valid !== null && valid[k] === 0;
    // Start bound.
    if (frame.start === null) lo[k] = p;
    else if (frame.start === 0 || isNull || vals === null) lo[k] = peerStart;
    else {
      const target = (vals[k] as number) + startOff;
      while (loPtr < nnHi && (vals[loPtr] as number) < target) loPtr++;
      lo[k] = loPtr;
    }
    // End bound.
    if (frame.end === null) hi[k] = q;
    else if (frame.end === 0 || isNull || vals === null) hi[k] = peerEnd;
    else {
      const target = (vals[k] as number) + endOff;
      while (hiPtr < nnHi && (vals[hiPtr] as number) <= target) hiPtr++;
      hi[k] = hiPtr;
    }
  }
}

/** Writes a small non-negative or negative integer into row i of an int64 vector's two 32-bit halves. */
function setInt64(halves: Int32Array, i: number, v: number): void {
  halves[2 * i] = v | 0;
  halves[2 * i + 1] = v < 0 ? -1 : 0;
}

/** One window function's output vector (input row order). */
export function evaluateWindowFunction(fn: string, arg: ColumnVector | null, outType: DataType, f: WindowFrames, n: number, call?: AggCall): ColumnVector {
  if (call !== undefined && isPercentileCall(call)) return percentileWindowColumn(call, arg as ColumnVector, outType, f, n);
  switch (fn) {
    case 'count':
      return countColumn(arg, outType, f, n);
    case 'countDistinct':
      return countDistinctColumn(arg as ColumnVector, outType, f, n);
    case 'sum':
    case 'avg':
      return sumColumn(fn, arg as ColumnVector, outType, f, n);
    case 'min':
    case 'max':
      return minMaxColumn(fn === 'min', arg as ColumnVector, f, n);
    default:
      throw internalError(`WindowAggExec: unsupported window function ${fn}.`);
  }
}

function countColumn(arg: ColumnVector | null, outType: DataType, f: WindowFrames, n: number): ColumnVector {
  const { perm, lo, hi } = f;
  const out = new BigInt64Array(n);
  const halves = new Int32Array(out.buffer);
  const valid = arg === null ? null : arg.type.kind === 'null' ? new Uint8Array(n) : arg.validity;
  if (valid === null) {
    for (let k = 0; k < n; k++) {
      const c = (hi[k] as number) - (lo[k] as number);
      setInt64(halves, perm[k] as number, Math.max(c, 0));
    }
  } else {
    // Non-null counts by prefix sums over sorted positions.
    const pre = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) pre[k + 1] = (pre[k] as number) + (valid[perm[k] as number] as number);
    for (let k = 0; k < n; k++) {
      const a = lo[k] as number;
      const b = hi[k] as number;
      setInt64(halves, perm[k] as number, b > a ? (pre[b] as number) - (pre[a] as number) : 0);
    }
  }
  return { type: outType, length: n, validity: null, values: out };
}

/**
 * Slides over the frames calling `add(pos)` for positions entering and `remove(pos)` for
 * positions leaving, then `emit(k)` for each position. When a frame shares no row with the
 * previous one (a new partition, or a gap), every row still in is removed first.
 */
function slide(f: WindowFrames, n: number, add: (pos: number) => void, remove: (pos: number) => void, emit: (k: number) => void): void {
  const { lo, hi } = f;
  let L = 0;
  let R = 0;
  for (let k = 0; k < n; k++) {
    const a = lo[k] as number;
    let b = hi[k] as number;
    if (b < a) b = a;
    if (a >= R || a < L) {
      while (L < R) remove(L++);
      L = a;
      R = a;
    }
    while (R < b) add(R++);
    while (L < a) remove(L++);
    emit(k);
  }
}

/** Dense ids of a column's values (one hash pass, -1 for null) and the number of distinct values. */
function denseIds(v: ColumnVector): { readonly ids: Int32Array; readonly size: number } {
  const table = new GroupTable([v.type]);
  const ids = table.insert([v], v.length);
  const valid = v.type.kind === 'null' ? new Uint8Array(v.length) : v.validity;
  if (valid !== null) for (let i = 0; i < v.length; i++) if (valid[i] === 0) ids[i] = -1;
  return { ids, size: table.size };
}

function countDistinctColumn(arg: ColumnVector, outType: DataType, f: WindowFrames, n: number): ColumnVector {
  return countDistinctFromIds(denseIds(arg), outType, f, n);
}

/** countDistinct over each row's frame from the dense value ids of the rows (input order, -1 = null). */
function countDistinctFromIds(input: { readonly ids: Int32Array; readonly size: number }, outType: DataType, f: WindowFrames, n: number): ColumnVector {
  const { perm } = f;
  const inputIds = input.ids;
  const ids = new Int32Array(n);
  for (let k = 0; k < n; k++) ids[k] = inputIds[perm[k] as number] as number;
  const counts = new Int32Array(input.size);
  let distinct = 0;
  const out = new BigInt64Array(n);
  const halves = new Int32Array(out.buffer);
  // The slide of {@link slide}, inlined: this loop is the hot one of count-distinct windows.
  const { lo, hi } = f;
  let L = 0;
  let R = 0;
  for (let k = 0; k < n; k++) {
    const a = lo[k] as number;
    let b = hi[k] as number;
    if (b < a) b = a;
    if (a >= R || a < L) {
      for (; L < R; L++) {
        const id = ids[L] as number;
        if (id >= 0 && (counts[id] = (counts[id] as number) - 1) === 0) distinct--;
      }
      L = a;
      R = a;
    }
    for (; R < b; R++) {
      const id = ids[R] as number;
      if (id >= 0 && (counts[id] = (counts[id] as number) + 1) === 1) distinct++;
    }
    for (; L < a; L++) {
      const id = ids[L] as number;
      if (id >= 0 && (counts[id] = (counts[id] as number) - 1) === 0) distinct--;
    }
    const i = perm[k] as number;
    halves[2 * i] = distinct;
    halves[2 * i + 1] = 0;
  }
  return { type: outType, length: n, validity: null, values: out };
}

/** Numeric values of a vector in sorted order, plus validity in sorted order (null when none). */
function sortedNumbers(arg: ColumnVector, perm: Int32Array, n: number): { readonly x: Float64Array; readonly ok: Uint8Array | null } {
  const x = new Float64Array(n);
  const kind = arg.type.kind;
  if (kind === 'int64' || kind === 'timestamp') {
    const b = arg.values as BigInt64Array;
    const halves = new Int32Array(b.buffer, b.byteOffset, arg.length * 2);
    for (let k = 0; k < n; k++) {
      const i = perm[k] as number;
      x[k] = (halves[2 * i + 1] as number) * 4294967296 + ((halves[2 * i] as number) >>> 0);
    }
  } else if (kind !== 'null') {
    const a = arg.values as Int32Array | Float64Array | Uint8Array;
    for (let k = 0; k < n; k++) x[k] = a[perm[k] as number] as number;
  }
  const v = kind === 'null' ? new Uint8Array(arg.length) : arg.validity;
  if (v === null) return { x, ok: null };
  const ok = new Uint8Array(n);
  for (let k = 0; k < n; k++) ok[k] = v[perm[k] as number] as number;
  return { x, ok };
}

function sumColumn(fn: 'sum' | 'avg', arg: ColumnVector, outType: DataType, f: WindowFrames, n: number): ColumnVector {
  const { perm } = f;
  const { x, ok } = sortedNumbers(arg, perm, n);
  let sum = 0;
  let cnt = 0;
  const res = new Float64Array(n);
  const validity = new Uint8Array(n);
  slide(
    f,
    n,
    (pos) => {
      if (ok === null || ok[pos] === 1) {
        sum += x[pos] as number;
        cnt++;
      }
    },
    (pos) => {
      if (ok === null || ok[pos] === 1) {
        sum -= x[pos] as number;
        cnt--;
        if (cnt === 0) sum = 0;
      }
    },
    (k) => {
      const i = perm[k] as number;
      if (cnt > 0) {
        res[i] = fn === 'avg' ? sum / cnt : sum;
        validity[i] = 1;
      }
    },
  );
  if (outType.kind === 'int64') {
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) if (validity[i] === 1) out[i] = BigInt(Math.round(res[i] as number));
    return { type: outType, length: n, validity, values: out };
  }
  return { type: outType, length: n, validity, values: res };
}

function minMaxColumn(isMin: boolean, arg: ColumnVector, f: WindowFrames, n: number): ColumnVector {
  const { perm } = f;
  const { x, ok } = sortedNumbers(arg, perm, n);
  // Monotonic deque of positions: values increasing (min) or decreasing (max) from the front.
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  const best = new Int32Array(n).fill(-1);
  const better = isMin ? (a: number, b: number): boolean => a <= b : (a: number, b: number): boolean => a >= b;
  slide(
    f,
    n,
    (pos) => {
      if (ok !== null && ok[pos] === 0) return;
      const v = x[pos] as number;
      while (tail > head && better(v, x[deque[tail - 1] as number] as number)) tail--;
      deque[tail++] = pos;
    },
    (pos) => {
      if (tail > head && deque[head] === pos) head++;
      if (head === tail) {
        head = 0;
        tail = 0;
      }
    },
    (k) => {
      best[perm[k] as number] = tail > head ? (perm[deque[head] as number] as number) : -1;
    },
  );
  // Gather the winning input rows' values (exact, whatever the type).
  const validity = new Uint8Array(n);
  const kind = arg.type.kind;
  if (kind === 'int64' || kind === 'timestamp') {
    const src = arg.values as BigInt64Array;
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const j = best[i] as number;
      if (j >= 0) {
        out[i] = src[j] as bigint;
        validity[i] = 1;
      }
    }
    return { type: arg.type, length: n, validity, values: out };
  }
  const src = arg.values as Int32Array | Float64Array | Uint8Array;
  const out = kind === 'float64' ? new Float64Array(n) : kind === 'boolean' ? new Uint8Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = best[i] as number;
    if (j >= 0) {
      out[i] = src[j] as number;
      validity[i] = 1;
    }
  }
  return { type: arg.type, length: n, validity, values: out };
}
