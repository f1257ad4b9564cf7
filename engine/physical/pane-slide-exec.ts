import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { concatBatches, makeBatch } from '../../common/columnar-batch.js';
import type { DataType } from '../../common/data-type.js';
import { int64At, int64Halves } from '../../common/int64.js';
import type { Field, Schema } from '../../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../../common/schema.js';
import { gatherVector } from '../../common/vector-gather.js';
import type { AggCall, Expr } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import { rewriteExpr } from '../../dataframe/plan/optimizer/expr-rewrite.js';
import type { BoundAggregate } from '../aggregate/bind-aggregate.js';
import { aggregateValueType, bindAggregate, valueTypeFromState } from '../aggregate/bind-aggregate.js';
import { compilePredicate } from '../eval/compile-predicate.js';
import { writeInt64 } from '../eval/eval-vectors.js';
import { windowSpecIn } from '../eval/struct-kernels.js';
import { GroupTable } from '../hash/group-table.js';
import type { PanePlan } from '../planner/aggregate-parts.js';
import { PANE_COLUMN } from '../planner/aggregate-parts.js';
import { radixSortPermutation } from '../sort/radix-sort.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/** What a {@link PaneSlideExec} outputs per window: final values (`final`) or partial states (`partial`). */
export type PaneSlideMode = 'final' | 'partial';

/** One aggregate call read from pane-level partial states. */
interface SlideAgg {
  readonly bound: BoundAggregate;
  /** Input column of each state field. */
  readonly stateCols: readonly number[];
  /** count(...) (single int64 count state): summed over the window's panes by prefix sums, no merge. */
  readonly isCount: boolean;
}

/** True when `e` references a column named in `names`. */
function readsColumn(e: Expr, names: readonly string[]): boolean {
  let found = false;
  rewriteExpr(e, (x) => {
    if (x.kind === 'col' && names.includes(x.name)) found = true;
    return x;
  });
  return found;
}

/** Number of bits needed to write the non-negative integer x (0 for 0). */
function bitLength(x: number): number {
  let bits = 0;
  for (let v = x; v >= 1; v = Math.floor(v / 2)) bits++;
  return bits;
}

function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

/**
 * Sliding-window aggregation over pane-level partial states, without per-row expansion.
 *
 * Input: rows of (other keys, `__pane`, partial states) as produced by a partial hash
 * aggregate grouped by (keys, pane); the same (keys, pane) may appear several times (one
 * row per task). The operator assigns each row a key id (a hash table over the other keys
 * only), radix-sorts the rows by (key id, pane), and walks each key's panes once with two
 * pointers: window `[w, w + duration)` holds exactly the consecutive panes with
 * `w <= pane <= w + duration - paneLength`, so the windows containing at least one pane
 * are produced in start order, each as a range of the sorted rows. count() is summed
 * over the range by prefix sums (add the entering panes, subtract the leaving ones);
 * every other aggregate merges the range's partial states (at most duration/pane panes
 * per window) with its accumulator, in (pane, input) order. No (keys, window) hash table
 * is built. Rows with a null pane (null event time) are dropped, as Spark drops rows with
 * a null window.
 *
 * Output, in batches of `ctx.batchSize` windows ordered by (key id, window start): the
 * group columns in the order of the pane-level keys with `__pane` replaced by the window's
 * start column (`startName`) and, when `endName` is not null, its end; then per aggregate
 * call its final value named `aggNames[i]` (`final`) or its partial state columns named
 * `${aggNames[i]}#${state}` (`partial`, for the streaming stateful aggregate). Each
 * (keys, window) occurs once. Blocking: it consumes its whole input first.
 */
export class PaneSlideExec implements PhysicalOperator {
  readonly name = 'PaneSlideExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly paneIndex: number;
  /** Input columns of the other group keys, in order. */
  private readonly keyCols: readonly number[];
  /** Position of the pane among the group columns. */
  private readonly panePos: number;
  private readonly aggs: readonly SlideAgg[];
  /** Condition applied to the window and aggregate columns before the keys are gathered, or null. */
  private readonly having: {
    readonly condition: Expr;
    /** The columns the predicate reads: the aggregates, plus the window's when `aggsOnly` is false. */
    readonly schema: Schema;
    readonly predicate: (b: ColumnarBatch) => Int32Array;
    readonly aggsOnly: boolean;
  } | null;

  constructor(
    child: PhysicalOperator,
    private readonly panes: PanePlan,
    private readonly aggCalls: readonly AggCall[],
    private readonly aggNames: readonly string[],
    private readonly mode: PaneSlideMode,
    private readonly startName: string,
    private readonly endName: string | null,
    having: Expr | null = null,
  ) {
    this.children = [child];
    const input = child.schema;
    this.paneIndex = resolveFieldIndex(input, PANE_COLUMN, null);
    const keyCols: number[] = [];
    const fields: Field[] = [];
    this.panePos = panes.paneGroupNames.indexOf(PANE_COLUMN);
    for (const name of panes.paneGroupNames) {
      if (name === PANE_COLUMN) {
        fields.push(field(startName, panes.timeType, true));
        if (endName !== null) fields.push(field(endName, panes.timeType, true));
        continue;
      }
      const i = resolveFieldIndex(input, name, null);
      keyCols.push(i);
      fields.push(input.fields[i] as Field);
    }
    this.keyCols = keyCols;
    this.aggs = aggCalls.map((call, k) => {
      const aggName = aggNames[k] as string;
      const probe = bindAggregate(call, aggregateValueType({ ...call, args: [] }, input));
      const firstState = probe.stateFields[0]?.name ?? '';
      const firstIdx = resolveFieldIndex(input, `${aggName}#${firstState}`, null);
      const bound = bindAggregate(call, valueTypeFromState(call, (input.fields[firstIdx] as Field).type));
      const stateCols = bound.stateFields.map((s) => resolveFieldIndex(input, `${aggName}#${s.name}`, null));
      const isCount = call.fn === 'count' && bound.stateFields.length === 1 && bound.stateFields[0]?.type.kind === 'int64';
      if (mode === 'partial') for (const s of bound.stateFields) fields.push(field(`${aggName}#${s.name}`, s.type, true));
      else fields.push(field(aggName, bound.resultType, call.fn !== 'count' && call.fn !== 'countDistinct' && call.fn !== 'approxCountDistinct'));
      return { bound, stateCols, isCount };
    });
    this.schema = schemaOf(fields);
    if (having === null) this.having = null;
    else {
      // When the condition reads only aggregate values, the window columns are built for the kept windows only.
      const timeCount = endName === null ? 1 : 2;
      const aggsOnly = !readsColumn(having, [startName, ...(endName === null ? [] : [endName])]);
      const groupCount = panes.paneGroupNames.length - 1 + timeCount;
      const narrow = schemaOf(fields.filter((_f, i) => (aggsOnly ? i >= groupCount : !this.isKeyField(i))));
      this.having = { condition: having, schema: narrow, predicate: compilePredicate(having, narrow), aggsOnly };
    }
  }

  /** True when output field `i` is one of the other group keys (not the window, not an aggregate). */
  private isKeyField(i: number): boolean {
    const timeCount = this.endName === null ? 1 : 2;
    const groupCount = this.panes.paneGroupNames.length - 1 + timeCount;
    if (i >= groupCount) return false;
    return i < this.panePos || i >= this.panePos + timeCount;
  }

  /**
   * This operator with `condition` (a filter over its output) applied to each batch of
   * windows before the key columns are gathered, or null when the condition reads a key
   * column. Windows the condition drops are never materialised.
   */
  withHaving(condition: Expr): PaneSlideExec | null {
    const keys = this.schema.fields.filter((_f, i) => this.isKeyField(i)).map((f) => f.name);
    if (readsColumn(condition, keys)) return null;
    const both: Expr = this.having === null ? condition : Object.freeze({ kind: 'binary', op: 'and', left: this.having.condition, right: condition });
    return new PaneSlideExec(this.children[0] as PhysicalOperator, this.panes, this.aggCalls, this.aggNames, this.mode, this.startName, this.endName, both);
  }

  describe(): string {
    const p = this.panes;
    const keys = p.paneGroupNames.map((n) => (n === PANE_COLUMN ? this.startName : n)).join(', ');
    const aggs = this.aggCalls.map((c, i) => `${c.fn} AS ${this.aggNames[i]}`).join(', ');
    const having = this.having === null ? '' : `, having=${exprToString(this.having.condition)}`;
    return `${this.mode}, keys=[${keys}], aggs=[${aggs}]${having}, duration=${p.durationUs}us, slide=${p.slideUs}us, start=${p.startUs}us, pane=${p.paneUs}us`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const child = this.children[0] as PhysicalOperator;
    const batches: ColumnarBatch[] = [];
    for await (const b of child.execute(ctx)) {
      ctx.signal?.throwIfAborted();
      if (b.numRows > 0) batches.push(b);
    }
    if (batches.length === 0) return;
    let t0 = performance.now();
    const input = batches.length === 1 ? (batches[0] as ColumnarBatch) : concatBatches(child.schema, batches);
    batches.length = 0;
    const spec = windowSpecIn(this.panes.timeType, this.panes.durationUs, this.panes.slideUs, this.panes.startUs);
    const paneLen = Number(windowSpecIn(this.panes.timeType, this.panes.paneUs, this.panes.paneUs, 0n).duration);
    const origin = mod(spec.start, paneLen);
    const d = spec.duration / paneLen;
    const s = spec.slide / paneLen;
    const o = mod((spec.start - origin) / paneLen, s);

    const sorted = sortPanes(input, this.paneIndex, this.keyCols, this.aggs, origin, paneLen);
    if (sorted === null) {
      this.metrics.elapsedMs += performance.now() - t0;
      return;
    }
    const { m, sRow, sQ, sKey, keyVecs, prefix } = sorted;
    const cap = Math.max(1, ctx.batchSize);
    const out: SlideBuffers = { key: new Int32Array(cap), start: new Float64Array(cap), lo: new Int32Array(cap), hi: new Int32Array(cap) };
    const cursor: SlideCursor = { a: 0, b: 0, i: 0, j: 0, w: 0, m, d, s, o };
    for (;;) {
      const nw = slideWindows(cursor, sKey, sQ, out, cap);
      if (nw === 0) break;
      const batch = this.flush(input, keyVecs, sRow, prefix, out, nw, origin, paneLen, spec.duration);
      this.metrics.elapsedMs += performance.now() - t0;
      if (batch !== null) {
        this.metrics.outputRows += batch.numRows;
        this.metrics.outputBatches++;
        yield batch;
      }
      ctx.signal?.throwIfAborted();
      t0 = performance.now();
      if (nw < cap) break;
    }
    this.metrics.elapsedMs += performance.now() - t0;
  }

  /** Builds the output batch of windows `[0, nw)` of the buffers. */
  private flush(
    input: ColumnarBatch,
    keyVecs: readonly ColumnVector[],
    sRow: Int32Array,
    prefix: readonly (Float64Array | null)[],
    buf: SlideBuffers,
    nw: number,
    origin: number,
    paneLen: number,
    duration: number,
  ): ColumnarBatch | null {
    const wStart = buf.start;
    const wLo = buf.lo;
    const wHi = buf.hi;
    const timeType: DataType = this.panes.timeType;
    // The aggregate (and window) columns first, as the HAVING reads only these; the keys last.
    const timeCols = (sel: Int32Array | null, rows: number): ColumnVector[] => {
      const starts = new BigInt64Array(rows);
      const sh = int64Halves(starts);
      for (let k = 0; k < rows; k++) writeInt64(sh, k, origin + (wStart[sel === null ? k : (sel[k] as number)] as number) * paneLen);
      const cols: ColumnVector[] = [{ type: timeType, length: rows, validity: null, values: starts }];
      if (this.endName !== null) {
        const ends = new BigInt64Array(rows);
        const eh = int64Halves(ends);
        for (let k = 0; k < rows; k++) writeInt64(eh, k, origin + (wStart[sel === null ? k : (sel[k] as number)] as number) * paneLen + duration);
        cols.push({ type: timeType, length: rows, validity: null, values: ends });
      }
      return cols;
    };
    let aggCols: ColumnVector[] = [];
    // Pair lists (window, input row) for the aggregates merged by accumulators, built once.
    let pairWin: Int32Array | null = null;
    let pairRow: Int32Array | null = null;
    let np = 0;
    this.aggs.forEach((agg, k) => {
      const cum = prefix[k];
      if (cum != null) {
        const counts = new BigInt64Array(nw);
        const ch = int64Halves(counts);
        for (let t = 0; t < nw; t++) {
          const v = (cum[wHi[t] as number] as number) - (cum[wLo[t] as number] as number);
          if (v <= 0x7fffffff) ch[2 * t] = v;
          else writeInt64(ch, t, v);
        }
        aggCols.push({ type: agg.bound.stateFields[0]?.type ?? timeType, length: nw, validity: null, values: counts });
        return;
      }
      if (pairWin === null) {
        for (let t = 0; t < nw; t++) np += (wHi[t] as number) - (wLo[t] as number);
        pairWin = new Int32Array(np);
        pairRow = new Int32Array(np);
        let p = 0;
        for (let t = 0; t < nw; t++)
          for (let u = wLo[t] as number; u < (wHi[t] as number); u++) {
            pairWin[p] = t;
            (pairRow as Int32Array)[p] = sRow[u] as number;
            p++;
          }
      }
      const acc = agg.bound.create();
      acc.resize(nw);
      const rows = pairRow as unknown as Int32Array;
      acc.merge(
        pairWin,
        agg.stateCols.map((c) => gatherVector(input.columns[c] as ColumnVector, rows, np)),
        np,
      );
      if (this.mode === 'partial') aggCols.push(...acc.stateVectors(nw));
      else aggCols.push(acc.finish(nw));
    });
    let keyIdx = buf.key.subarray(0, nw);
    let rows = nw;
    let times: ColumnVector[] | null = null;
    const h = this.having;
    if (h !== null) {
      if (!h.aggsOnly) times = timeCols(null, nw);
      const sel = h.predicate(makeBatch(h.schema, h.aggsOnly ? aggCols : [...(times as ColumnVector[]), ...aggCols], nw));
      if (sel.length === 0) return null;
      if (sel.length < nw) {
        rows = sel.length;
        aggCols = aggCols.map((c) => gatherVector(c, sel, rows));
        times = times === null ? timeCols(sel, rows) : times.map((c) => gatherVector(c, sel, rows));
        const picked = new Int32Array(rows);
        for (let t = 0; t < rows; t++) picked[t] = keyIdx[sel[t] as number] as number;
        keyIdx = picked;
      }
    }
    const windowCols = times ?? timeCols(null, rows);
    const columns: ColumnVector[] = [];
    let kc = 0;
    for (let g = 0; g < this.panes.paneGroupNames.length; g++) {
      if (g === this.panePos) columns.push(...windowCols);
      else columns.push(gatherVector(keyVecs[kc++] as ColumnVector, keyIdx, rows));
    }
    columns.push(...aggCols);
    return makeBatch(this.schema, columns, rows);
  }
}

/** The kept input rows sorted by (key id, pane), with what the slide needs. */
interface SortedPanes {
  /** Rows with a pane. */
  readonly m: number;
  /** Input row, pane index and key id of each sorted position. */
  readonly sRow: Int32Array;
  readonly sQ: Float64Array;
  readonly sKey: Int32Array;
  /** The distinct other keys, row = key id. */
  readonly keyVecs: readonly ColumnVector[];
  /** Per aggregate, prefix sums of its count over the sorted rows (count() only), else null. */
  readonly prefix: readonly (Float64Array | null)[];
}

/**
 * Numbers the panes of `input` (pane index = (start - origin) / paneLen, rows with a null
 * pane dropped), assigns key ids with a hash table over the other keys, radix-sorts the rows
 * by (key id, pane) (stable: equal (key, pane) rows keep input order), and builds the
 * count() prefix sums. Null when no row has a pane.
 */
function sortPanes(
  input: ColumnarBatch,
  paneIndex: number,
  keyCols: readonly number[],
  aggs: readonly SlideAgg[],
  origin: number,
  paneLen: number,
): SortedPanes | null {
  // Pane index of every row with a pane.
  const n = input.numRows;
  const pv = input.columns[paneIndex] as ColumnVector;
  const ph = int64Halves(pv.values as BigInt64Array);
  const pvalid = pv.validity;
  const kept = new Int32Array(n);
  const q = new Float64Array(n);
  let m = 0;
  let qmin = Number.POSITIVE_INFINITY;
  let qmax = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    if (pvalid !== null && pvalid[r] === 0) continue;
    const x = Math.round((int64At(ph, r) - origin) / paneLen);
    kept[m] = r;
    q[m] = x;
    if (x < qmin) qmin = x;
    if (x > qmax) qmax = x;
    m++;
  }
  if (m === 0) return null;

  // Key ids (one hash table over the other keys), then the (key id, pane) order.
  let keyVecs: ColumnVector[] = [];
  const keyOf = new Int32Array(m);
  if (keyCols.length > 0) {
    const table = new GroupTable(keyCols.map((c) => (input.columns[c] as ColumnVector).type));
    const ids = table.insert(
      keyCols.map((c) => input.columns[c] as ColumnVector),
      n,
    );
    for (let k = 0; k < m; k++) keyOf[k] = ids[kept[k] as number] as number;
    keyVecs = table.keyVectors();
  }
  const numKeys = keyCols.length > 0 ? (keyVecs[0]?.length ?? 1) : 1;
  const span = qmax - qmin;
  const keyBits = bitLength(numKeys - 1);
  const paneBits = bitLength(span);
  const sRow = new Int32Array(m);
  const sQ = new Float64Array(m);
  let sKey: Int32Array;
  // The radix sort reorders its key words in place, so the sorted keys and panes are read back from them.
  if (keyBits + paneBits <= 32) {
    // One word: key id in the high bits, pane offset in the low bits.
    const word = new Int32Array(m);
    const shift = 2 ** paneBits;
    for (let k = 0; k < m; k++) word[k] = ((keyOf[k] as number) * shift + ((q[k] as number) - qmin)) | 0;
    const perm = radixSortPermutation([word], m);
    sKey = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      const x = (word[k] as number) >>> 0;
      const key = Math.floor(x / shift);
      sKey[k] = key;
      sQ[k] = x - key * shift + qmin;
      sRow[k] = m === n ? (perm[k] as number) : (kept[perm[k] as number] as number);
    }
  } else {
    const keyWord = new Int32Array(keyOf);
    const lo = new Int32Array(m);
    const hi = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      const rel = (q[k] as number) - qmin;
      const h = Math.floor(rel / 4294967296);
      hi[k] = h | 0;
      lo[k] = (rel - h * 4294967296) | 0;
    }
    const perm = radixSortPermutation([keyWord, hi, lo], m);
    sKey = keyWord;
    for (let k = 0; k < m; k++) {
      sQ[k] = (hi[k] as number) * 4294967296 + ((lo[k] as number) >>> 0) + qmin;
      sRow[k] = m === n ? (perm[k] as number) : (kept[perm[k] as number] as number);
    }
  }

  // Prefix sums of every count() over the sorted rows.
  const prefix: (Float64Array | null)[] = aggs.map((a) => {
    if (!a.isCount) return null;
    const c = input.columns[a.stateCols[0] as number] as ColumnVector;
    const h = int64Halves(c.values as BigInt64Array);
    const valid = c.validity;
    const cum = new Float64Array(m + 1);
    let acc = 0;
    for (let k = 0; k < m; k++) {
      const r = sRow[k] as number;
      if (valid === null || valid[r] === 1) acc += int64At(h, r);
      cum[k + 1] = acc;
    }
    return cum;
  });

  return { m, sRow, sQ, sKey, keyVecs, prefix };
}

/** Output buffers of {@link slideWindows}: per window its key id, start (in panes) and range `[lo, hi)` of sorted rows. */
interface SlideBuffers {
  readonly key: Int32Array;
  readonly start: Float64Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/**
 * Where {@link slideWindows} stopped: the current key's rows `[a, b)`, the current window's
 * rows `[i, j)` and start `w`; `m` sorted rows; window length `d`, slide `s` and alignment
 * `o` (start mod slide), all in panes.
 */
interface SlideCursor {
  a: number;
  b: number;
  i: number;
  j: number;
  w: number;
  readonly m: number;
  readonly d: number;
  readonly s: number;
  readonly o: number;
}

/**
 * Fills `out` with up to `cap` more windows, in (key, start) order, of the rows sorted by
 * (key id `sKey`, pane `sQ`); returns how many (fewer than `cap` only at the end). A
 * window `[w, w + d)` holds the key's rows with `w <= pane <= w + d - 1`, a consecutive
 * range: the upper pointer adds entering panes, the lower drops leaving ones, and after a
 * gap the start jumps to the first window of the next pane.
 */
function slideWindows(c: SlideCursor, sKey: Int32Array, sQ: Float64Array, out: SlideBuffers, cap: number): number {
  const { m, d, s, o } = c;
  const oKey = out.key;
  const oStart = out.start;
  const oLo = out.lo;
  const oHi = out.hi;
  let { a, b, i, j, w } = c;
  let nw = 0;
  while (nw < cap) {
    if (i >= b) {
      // Next key.
      a = b;
      if (a >= m) break;
      const key = sKey[a] as number;
      b = a + 1;
      while (b < m && sKey[b] === key) b++;
      i = a;
      j = a;
      const x = (sQ[a] as number) - d + 1;
      w = x + mod(o - x, s);
    }
    const last = w + d - 1;
    while (j < b && (sQ[j] as number) <= last) j++;
    while (i < j && (sQ[i] as number) < w) i++;
    if (i === j) {
      if (i >= b) continue;
      const x = (sQ[i] as number) - d + 1;
      w = x + mod(o - x, s);
      continue;
    }
    oKey[nw] = sKey[a] as number;
    oStart[nw] = w;
    oLo[nw] = i;
    oHi[nw] = j;
    nw++;
    w += s;
  }
  c.a = a;
  c.b = b;
  c.i = i;
  c.j = j;
  c.w = w;
  return nw;
}
