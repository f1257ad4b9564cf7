import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, emptyBatch, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import { types } from '../../../common/data-type.js';
import type { Schema } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { concatVectors } from '../../../common/vector-concat.js';
import { vectorFromValues } from '../../../common/vector-from-values.js';
import { gatherVector, maskToIndices } from '../../../common/vector-gather.js';
import type { Join, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { HashJoinTable } from '../../join/hash-join-table.js';
import type { ProbeInput } from '../../join/join-emitter.js';
import { JoinEmitter } from '../../join/join-emitter.js';
import type { JoinSideRows } from '../../join/join-output.js';
import { assembleJoinOutput } from '../../join/join-output.js';
import type { JoinSpec } from '../../join/join-spec.js';
import type { StateStore } from '../../state/state-store.js';
import { atOrBeforeWatermark, minDeadlineMs, minOf } from './event-time-key.js';
import type { PartitionedState } from './partitioned-state.js';
import { StatefulOperatorBase } from './stateful-operator-base.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';
import type { StreamJoinBounds } from './stream-join-condition.js';
import { streamJoinBounds } from './stream-join-condition.js';
import { flattenVector, hashableKeyVectors } from './stream-join-flatten.js';

import { boolVector, byPart, indicesWhere, JoinSideState, pushIf } from './stream-join-side.js';

/**
 * Stream-stream join: Spark's StreamingSymmetricHashJoinExec, for inner, left outer, right
 * outer, full outer and left semi joins with equi-keys (append output mode).
 *
 * State, per side (state store `left` / `right` under the operator's directory, partitioned
 * by join-key hash): every row kept so far, keyed by its join key plus a sequence number
 * (batch id << 32 | row), with a `matched` flag. Per batch:
 * 1. Rows at or before the late-events watermark on a side's event-time column are dropped.
 * 2. New left rows join the stored right rows; new right rows join the stored left rows and
 *    the new left rows (so a new-new pair is produced once). The extra condition applies to
 *    every pair; matched flags are set on both sides.
 * 3. Each side's state watermark is derived from this batch's watermark (see
 *    {@link streamJoinBounds}): new rows at or before it are not stored (an unmatched one on
 *    the preserved side of an outer join is emitted at once with nulls), stored rows at or
 *    before it are evicted, and evicted rows of the preserved side that never matched are
 *    emitted with nulls for the other side.
 * A full outer join preserves both sides. A left semi join outputs a left row once, when it
 * first matches (a new left row matching stored right rows in step 1, or a stored or
 * new left row matched by a new right row); matched new left rows are not stored, stored
 * left rows keep their matched flag so they are not output again, and evicted rows emit
 * nothing. Without a state watermark a side's state grows without bound (inner joins only;
 * the plan check refuses outer and semi joins whose emitting side cannot be evicted).
 */
export class StreamingSymmetricHashJoin extends StatefulOperatorBase implements StreamingStatefulOperator {
  readonly name = 'symmetricHashJoin';
  private readonly left: JoinSideState;
  private readonly right: JoinSideState;
  private readonly spec: JoinSpec;
  private readonly bounds: StreamJoinBounds;

  constructor(
    readonly node: Join,
    env: StatefulOperatorEnv,
  ) {
    super(env);
    const et = env.eventTimeColumns;
    this.bounds = streamJoinBounds(node, [et[0] ?? new Set(), et[1] ?? new Set()]);
    this.left = new JoinSideState(node.left.schema, node.leftKeys, this.bounds.left, this.bounds.lateColumn[0], env, 'left');
    this.right = new JoinSideState(node.right.schema, node.rightKeys, this.bounds.right, this.bounds.lateColumn[1], env, 'right');
    this.spec = {
      joinType: node.joinType,
      buildSide: 'right',
      leftSchema: node.left.schema,
      rightSchema: node.right.schema,
      outputSchema: node.schema,
      condition: node.condition,
      using: node.using,
    };
  }

  async verify(_inputs: readonly LogicalPlan[], version: number): Promise<void> {
    await this.left.state.verify(version);
    await this.right.state.verify(version);
    let d: number | null = null;
    for (const side of [this.left, this.right]) {
      if (side.eviction === null) continue;
      const stored = side.load(await side.state.openAll(version));
      d = minOf(d, this.sideDeadline(side, stored.rows, stored.keys));
      side.state.abort();
    }
    this.deadline = d;
  }

  /**
   * The join's output watermark (Spark's produceOutputWatermark for the symmetric hash join):
   * the minimum of the input watermark and each bounded side's state watermark (`input +
   * offset`). A time-range condition thus delays the operators after the join by the range:
   * a stored row can still match until its side's state watermark passes it.
   */
  outputWatermarkMs(inputMs: number): number {
    let out = inputMs;
    for (const e of [this.bounds.left, this.bounds.right]) if (e !== null) out = Math.min(out, inputMs + e.offsetMs);
    return out;
  }

  /** Spark's StreamingSymmetricHashJoinExec: a no-data batch when the watermark moved and it bounds the state of either side. */
  override shouldRunAnotherBatch(nextInputWatermarkMs: number, lastInputWatermarkMs: number): boolean {
    return (this.bounds.left !== null || this.bounds.right !== null) && nextInputWatermarkMs > lastInputWatermarkMs;
  }

  private sideDeadline(side: JoinSideState, rows: ColumnarBatch, keys: readonly ColumnVector[]): number | null {
    const t = side.timeOf(rows, keys);
    if (t === null || t.length === 0) return null;
    const m = minDeadlineMs(t);
    return m === null || side.eviction === null ? null : m - side.eviction.offsetMs;
  }

  private async rowsOf(plan: LogicalPlan, schema: Schema): Promise<ColumnarBatch> {
    const local = plan.kind === 'local' ? plan : await this.env.planner.executor.materialize(plan);
    if (local.kind !== 'local') throw new Error(`internal: materialize returned a ${local.kind} plan`);
    const rows = local.batches.length === 0 ? emptyBatch(schema) : concatBatches(local.schema, local.batches);
    return makeBatch(schema, rows.columns, rows.numRows);
  }

  /** Drops late rows of one side (counted, and kept for a late-rows sink as null-padded join rows). */
  private dropLate(side: JoinSideState, rows: ColumnarBatch, lateWatermarkMs: number, isLeft: boolean): ColumnarBatch {
    if (side.lateColumn < 0 || rows.numRows === 0) return rows;
    const late = atOrBeforeWatermark(rows.columns[side.lateColumn] as ColumnVector, lateWatermarkMs);
    const lateIdx = maskToIndices(late, null, rows.numRows);
    if (lateIdx.length === 0) return rows;
    this.dropped += lateIdx.length;
    // A left semi join outputs left rows only: its late right rows have no output shape and are only counted.
    if (this.keep && (isLeft || this.node.joinType !== 'semi')) {
      const gone = gatherBatch(rows, lateIdx);
      const spec: JoinSpec = {
        ...this.spec,
        joinType: this.node.joinType === 'semi' ? 'semi' : 'full',
        outputSchema: schemaOf(this.node.schema.fields.map((f) => field(f.name, f.type, true, f.qualifier ?? null))),
      };
      this.droppedRows.push(
        this.nullPadded(
          spec,
          isLeft,
          gone,
          side.keysOf(gone),
          indicesWhere(gone.numRows, () => true),
        ),
      );
    }
    const keepIdx = indicesWhere(rows.numRows, (i) => late[i] === 0);
    return gatherBatch(rows, keepIdx);
  }

  /** Rows `idx` of one side's `rows`, with nulls for the other side, in `spec`'s output layout. */
  private nullPadded(spec: JoinSpec, isLeft: boolean, rows: ColumnarBatch, keys: readonly ColumnVector[], idx: Int32Array): ColumnarBatch {
    const none = new Int32Array(idx.length).fill(-1);
    const otherSide = isLeft ? this.right : this.left;
    const other: JoinSideRows = {
      batch: emptyBatch(otherSide.schema),
      keys: keys.map((k) => vectorFromValues(k.type, [])),
      idx: none,
    };
    const mine: JoinSideRows = { batch: rows, keys, idx };
    return isLeft ? assembleJoinOutput(spec, mine, other, idx.length) : assembleJoinOutput(spec, other, mine, idx.length);
  }

  /**
   * Joins `probe` rows against `build` rows (both with their key columns) and returns the
   * output of the pairs that pass the condition, marking matched rows on both sides.
   */
  private joinPairs(probeLeft: boolean, probe: ProbeInput, build: ProbeInput, probeMatched: Uint8Array, buildMatched: Uint8Array): ColumnarBatch | null {
    if (probe.batch.numRows === 0 || build.batch.numRows === 0) return null;
    const table = new HashJoinTable(build.batch, build.keys.flatMap(hashableKeyVectors));
    const groups = table.lookup(probe.keys.flatMap(hashableKeyVectors), probe.batch.numRows);
    const pIdx: number[] = [];
    const bIdx: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as number;
      if (g < 0) continue;
      for (let r = table.head[g] as number; r >= 0; r = table.next[r] as number) {
        pIdx.push(i);
        bIdx.push(r);
      }
    }
    if (pIdx.length === 0) return null;
    const emitter = new JoinEmitter({ ...this.spec, buildSide: probeLeft ? 'right' : 'left' }, build.batch, build.keys);
    const out = emitter.pairs(probe, Int32Array.from(pIdx), Int32Array.from(bIdx), pIdx.length, probeMatched);
    const bm = emitter.buildMatched;
    for (let i = 0; i < bm.length; i++) if (bm[i] === 1) buildMatched[i] = 1;
    return out;
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const L = this.left;
    const R = this.right;
    this.dropped = 0;
    let newL = await this.rowsOf(inputs[0] as LogicalPlan, L.schema);
    let newR = await this.rowsOf(inputs[1] as LogicalPlan, R.schema);
    newL = this.dropLate(L, newL, ctx.lateWatermarkMs, true);
    newR = this.dropLate(R, newR, ctx.lateWatermarkMs, false);
    const newLKeys = L.keysOf(newL);
    const newRKeys = R.keysOf(newR);
    const lStores = await L.state.openAll(ctx.batchId);
    const rStores = await R.state.openAll(ctx.batchId);
    if (newL.numRows === 0 && newR.numRows === 0 && (this.deadline === null || ctx.evictionWatermarkMs < this.deadline)) {
      // Nothing to join and nothing to evict: leave the state as it is (still committed as the next version).
      this.pendingDeadline = this.deadline;
      return emptyBatch(this.node.schema);
    }
    const sL = L.load(lStores);
    const sR = R.load(rStores);
    const out: ColumnarBatch[] = [];
    const newLMatched = new Uint8Array(newL.numRows);
    const newRMatched = new Uint8Array(newR.numRows);
    const sLMatched = sL.matched.slice();
    const sRMatched = sR.matched.slice();

    // 1. New left rows x stored right rows.
    const a = this.joinPairs(true, { batch: newL, keys: newLKeys }, { batch: sR.rows, keys: sR.keys }, newLMatched, sRMatched);
    if (a !== null) out.push(a);
    const semi = this.node.joinType === 'semi';
    // Left semi: a new left row that matched a stored right row is output now, once.
    if (semi)
      pushIf(
        out,
        this.semiRows(
          newL,
          newLKeys,
          indicesWhere(newL.numRows, (i) => newLMatched[i] === 1),
        ),
      );
    // 2. New right rows x (stored left rows + new left rows).
    const nSL = sL.rows.numRows;
    const allL = concatBatches(L.schema, [sL.rows, newL]);
    const allLKeys = sL.keys.map((k, i) => concatVectors([k, newLKeys[i] as ColumnVector]));
    const allLMatched = new Uint8Array(allL.numRows);
    const b = this.joinPairs(false, { batch: newR, keys: newRKeys }, { batch: allL, keys: allLKeys }, newRMatched, allLMatched);
    if (b !== null) out.push(b);
    // Left semi: left rows matched for the first time by a new right row are output now, once
    // (rows matched before, in state or in step 1, are not: Spark's excludeRowsAlreadyMatched).
    if (semi) {
      const first = indicesWhere(allL.numRows, (i) => allLMatched[i] === 1 && (i < nSL ? sL.matched[i] === 0 : newLMatched[i - nSL] === 0));
      pushIf(out, this.semiRows(allL, allLKeys, first));
    }
    for (let i = 0; i < nSL; i++) if (allLMatched[i] === 1) sLMatched[i] = 1;
    for (let i = 0; i < newL.numRows; i++) if (allLMatched[nSL + i] === 1) newLMatched[i] = 1;

    // 3. Store new rows, evict old ones, emit unmatched rows of the preserved side.
    const preservesLeft = this.node.joinType === 'left' || this.node.joinType === 'full';
    const preservesRight = this.node.joinType === 'right' || this.node.joinType === 'full';
    let deadline: number | null = null;
    const sides = [
      {
        side: L,
        stores: lStores,
        stored: sL,
        storedMatched: sLMatched,
        rows: newL,
        keys: newLKeys,
        matched: newLMatched,
        preserved: preservesLeft,
        isLeft: true,
      },
      {
        side: R,
        stores: rStores,
        stored: sR,
        storedMatched: sRMatched,
        rows: newR,
        keys: newRKeys,
        matched: newRMatched,
        preserved: preservesRight,
        isLeft: false,
      },
    ];
    for (const s of sides) {
      const stateWm = s.side.eviction === null ? null : ctx.evictionWatermarkMs + s.side.eviction.offsetMs;
      // New rows: store those not already past the state watermark.
      const newTime = s.side.timeOf(s.rows, s.keys);
      const tooOld = newTime === null || stateWm === null ? new Uint8Array(s.rows.numRows) : atOrBeforeWatermark(newTime, stateWm);
      // Left semi: a matched left row was output and can never be output again, so it is not stored.
      const skipMatched = semi && s.isLeft;
      const storeIdx = indicesWhere(s.rows.numRows, (i) => tooOld[i] === 0 && !(skipMatched && s.matched[i] === 1));
      if (s.preserved) {
        const gone = indicesWhere(s.rows.numRows, (i) => tooOld[i] === 1 && s.matched[i] === 0);
        if (gone.length > 0) out.push(this.nullPadded(this.spec, s.isLeft, s.rows, s.keys, gone));
      }
      this.storeNew(s.side, s.stores, s.rows, s.keys, s.matched, storeIdx, ctx.batchId);
      // Stored rows: evict those past the state watermark; update matched flags of the rest.
      const st = s.stored;
      const n = st.rows.numRows;
      const oldTime = s.side.timeOf(st.rows, st.keys);
      const evict = oldTime === null || stateWm === null ? new Uint8Array(n) : atOrBeforeWatermark(oldTime, stateWm);
      const evictIdx = indicesWhere(n, (i) => evict[i] === 1);
      if (s.preserved) {
        const unmatched = indicesWhere(n, (i) => evict[i] === 1 && s.storedMatched[i] === 0);
        if (unmatched.length > 0) out.push(this.nullPadded(this.spec, s.isLeft, st.rows, st.keys, unmatched));
      }
      const numParts = s.stores.length;
      byPart(st.part, evictIdx, numParts).forEach((idx, p) => {
        if (idx.length > 0) (s.stores[p] as StateStore).removeBatch(gatherBatch(st.storeKeys, idx));
      });
      const nowMatched = indicesWhere(n, (i) => evict[i] === 0 && st.matched[i] === 0 && s.storedMatched[i] === 1);
      if (nowMatched.length > 0) {
        const values = makeBatch(
          s.side.state.valueSchema,
          [...st.storeValues.columns.slice(0, s.side.flatValueCount), boolVector(new Uint8Array(n).fill(1))],
          n,
        );
        byPart(st.part, nowMatched, numParts).forEach((idx, p) => {
          if (idx.length > 0) (s.stores[p] as StateStore).putBatch(gatherBatch(st.storeKeys, idx), gatherBatch(values, idx));
        });
      }
      if (s.side.eviction !== null) {
        const keptOld = indicesWhere(n, (i) => evict[i] === 0);
        deadline = minOf(
          deadline,
          this.sideDeadline(
            s.side,
            gatherBatch(st.rows, keptOld),
            st.keys.map((k) => gatherVector(k, keptOld)),
          ),
        );
        deadline = minOf(
          deadline,
          this.sideDeadline(
            s.side,
            gatherBatch(s.rows, storeIdx),
            s.keys.map((k) => gatherVector(k, storeIdx)),
          ),
        );
      }
    }
    this.pendingDeadline = deadline;
    return concatBatches(this.node.schema, out);
  }

  /** Rows `idx` of left rows in the left semi join's output layout (the left columns), or null for none. */
  private semiRows(rows: ColumnarBatch, keys: readonly ColumnVector[], idx: Int32Array): ColumnarBatch | null {
    return idx.length === 0 ? null : this.nullPadded(this.spec, true, rows, keys, idx);
  }

  /** Puts new rows `idx` of one side into its state, keyed by join key + (batch id << 32 | row). */
  private storeNew(
    side: JoinSideState,
    stores: readonly StateStore[],
    rows: ColumnarBatch,
    keys: readonly ColumnVector[],
    matched: Uint8Array,
    idx: Int32Array,
    batchId: number,
  ): void {
    if (idx.length === 0) return;
    const n = rows.numRows;
    const seq = new BigInt64Array(n);
    const base = BigInt(batchId) << 32n;
    for (let i = 0; i < n; i++) seq[i] = base | BigInt(i);
    const storeKeys = makeBatch(side.state.keySchema, [...keys.flatMap(flattenVector), { type: types.int64, length: n, validity: null, values: seq }], n);
    const storeValues = makeBatch(side.state.valueSchema, [...rows.columns.flatMap(flattenVector), boolVector(matched)], n);
    const parts = side.state.split(side.hashKeys(keys), n);
    const wanted = new Uint8Array(n);
    for (const i of idx) wanted[i] = 1;
    parts.forEach((pIdx, p) => {
      const sel = pIdx.filter((i) => wanted[i] === 1);
      if (sel.length > 0) (stores[p] as StateStore).putBatch(gatherBatch(storeKeys, sel), gatherBatch(storeValues, sel));
    });
  }

  protected stores(): readonly PartitionedState[] {
    return [this.left.state, this.right.state];
  }
}
