import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { emptyBatch, makeBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import { gatherVector } from '../../common/vector-gather.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import { compilePredicate } from '../eval/compile-predicate.js';
import type { JoinSideRows } from './join-output.js';
import { assembleJoinOutput } from './join-output.js';
import type { JoinRoles, JoinSpec } from './join-spec.js';
import { combinedSchema, joinRoles } from './join-spec.js';

/** A probe batch with its evaluated key columns (empty for joins without keys). */
export interface ProbeInput {
  readonly batch: ColumnarBatch;
  readonly keys: readonly ColumnVector[];
}

/**
 * Turns candidate (probe row, build row) pairs into join output, shared by the hash and
 * nested-loop joins: applies the extra condition over the combined row, records which
 * probe rows (per batch) and build rows (in {@link buildMatched}) found a match, and emits
 * what the join type owes. Build-side leftovers are emitted by {@link buildSideRows}.
 */
export class JoinEmitter {
  readonly spec: JoinSpec;
  readonly roles: JoinRoles;
  /** One byte per build row: 1 once the row matched a probe row (condition included). */
  readonly buildMatched: Uint8Array;
  private readonly build: ProbeInput;
  private readonly combined: Schema;
  private readonly predicate: ((batch: ColumnarBatch) => Int32Array) | null;

  constructor(spec: JoinSpec, build: ColumnarBatch, buildKeys: readonly ColumnVector[]) {
    this.spec = spec;
    this.roles = joinRoles(spec);
    this.build = { batch: build, keys: buildKeys };
    this.buildMatched = new Uint8Array(build.numRows);
    this.combined = combinedSchema(spec);
    this.predicate = spec.condition === null ? null : compilePredicate(spec.condition, this.combined);
  }

  /** True when the join has an extra condition beyond the equi-keys. */
  get hasCondition(): boolean {
    return this.predicate !== null;
  }

  /**
   * Handles `count` candidate pairs (`probeIdx[k]`, `buildIdx[k]`); a build index of -1
   * stands for "no build row" (an unmatched outer row, emitted in line by joins without
   * a condition; with a condition, unmatched rows go through {@link probeTail}).
   * Marks `probeMatched` and {@link buildMatched} for pairs passing the condition and returns
   * their output rows, or null when there are none or the join type emits no pairs.
   */
  pairs(probe: ProbeInput, probeIdx: Int32Array, buildIdx: Int32Array, count: number, probeMatched: Uint8Array): ColumnarBatch | null {
    let p = probeIdx;
    let b = buildIdx;
    let n = count;
    if (this.predicate !== null && n > 0) {
      const [l, r] = this.sides(probe, p, b);
      const cols = [...l.batch.columns.map((c) => gatherVector(c, l.idx, n)), ...r.batch.columns.map((c) => gatherVector(c, r.idx, n))];
      const pass = this.predicate(makeBatch(this.combined, cols, n));
      if (pass.length < n) {
        p = pickIndices(p, pass);
        b = pickIndices(b, pass);
        n = pass.length;
      }
    }
    const matched = this.buildMatched;
    for (let k = 0; k < n; k++) {
      const j = b[k] as number;
      probeMatched[p[k] as number] = 1;
      if (j >= 0) matched[j] = 1;
    }
    if (!this.roles.emitsPairs || n === 0) return null;
    const [l, r] = this.sides(probe, p, b);
    return assembleJoinOutput(this.spec, l, r, n);
  }

  /**
   * After every candidate pair of one probe batch went through {@link pairs}: its rows
   * that the join type still owes (unmatched rows of a preserved probe side, or the
   * semi/anti rows when the left side is the probe side), in row order.
   */
  *probeTail(probe: ProbeInput, probeMatched: Uint8Array, batchSize: number): Generator<ColumnarBatch> {
    const roles = this.roles;
    let want: number;
    if (roles.probeUnmatched) want = 0;
    else if (roles.semiAntiProbe) want = roles.anti ? 0 : 1;
    else return;
    const rows = rowsWhere(probeMatched, probe.batch.numRows, want);
    for (let s = 0; s < rows.length; s += batchSize) {
      const idx = rows.subarray(s, Math.min(rows.length, s + batchSize));
      const none = new Int32Array(idx.length).fill(-1);
      const [l, r] = this.sides(probe, idx, none);
      yield assembleJoinOutput(this.spec, l, r, idx.length);
    }
  }

  private sides(probe: ProbeInput, probeIdx: Int32Array, buildIdx: Int32Array): [JoinSideRows, JoinSideRows] {
    const pr: JoinSideRows = { batch: probe.batch, keys: probe.keys, idx: probeIdx };
    const br: JoinSideRows = { batch: this.build.batch, keys: this.build.keys, idx: buildIdx };
    return this.spec.buildSide === 'left' ? [br, pr] : [pr, br];
  }
}

/**
 * The build rows a join owes once all probing is done: with a right/full outer join (the
 * preserved side built) the rows whose `matched` byte is 0, null-extended; with a semi or
 * anti join built on the left side the rows with `matched` 1 (semi) or 0 (anti). Yields
 * nothing for other joins. `matched` is one byte per build row, e.g. a HashJoinExec's
 * `matchedBuildRows`, or the OR of those of several partitions' probes ({@link orMatched}).
 */
export function* buildSideRows(
  spec: JoinSpec,
  build: ColumnarBatch,
  buildKeys: readonly ColumnVector[],
  matched: Uint8Array,
  batchSize: number,
): Generator<ColumnarBatch> {
  const roles = joinRoles(spec);
  let want: number;
  if (roles.buildUnmatched) want = 0;
  else if (roles.semiAntiBuild) want = roles.anti ? 0 : 1;
  else return;
  const rows = rowsWhere(matched, build.numRows, want);
  const probeSchema = spec.buildSide === 'left' ? spec.rightSchema : spec.leftSchema;
  const noProbe: ProbeInput = { batch: emptyBatch(probeSchema), keys: buildKeys.map((k) => vectorFromValues(k.type, [])) };
  for (let s = 0; s < rows.length; s += batchSize) {
    const idx = rows.subarray(s, Math.min(rows.length, s + batchSize));
    const none = new Int32Array(idx.length).fill(-1);
    const br: JoinSideRows = { batch: build, keys: buildKeys, idx };
    const pr: JoinSideRows = { batch: noProbe.batch, keys: noProbe.keys, idx: none };
    yield spec.buildSide === 'left' ? assembleJoinOutput(spec, br, pr, idx.length) : assembleJoinOutput(spec, pr, br, idx.length);
  }
}

/** ORs the matched bitmap `from` into `into` (same build side, same length): combines partitions' probes. */
export function orMatched(into: Uint8Array, from: Uint8Array): void {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] as number) | (from[i] as number);
}

function rowsWhere(flags: Uint8Array, n: number, want: number): Int32Array {
  let count = 0;
  for (let i = 0; i < n; i++) if (flags[i] === want) count++;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) if (flags[i] === want) out[k++] = i;
  return out;
}

function pickIndices(src: Int32Array, pass: Int32Array): Int32Array {
  const out = new Int32Array(pass.length);
  for (let k = 0; k < pass.length; k++) out[k] = src[pass[k] as number] as number;
  return out;
}
