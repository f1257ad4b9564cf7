import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { int64FromNumbers } from './int64-from-numbers.js';

/** The aggregate functions {@link FusedDoubleAggregates} computes. */
export type FusedFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** One fused aggregate: its function and which distinct input it reads (-1: count(*)). */
export interface FusedSpec {
  readonly fn: FusedFn;
  readonly input: number;
}

/** Slot offsets within a group's stride for one distinct input (-1: slot absent). */
interface InputSlots {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/**
 * count(*), count(x), sum, avg, min and max over float64 inputs, updated together in one
 * loop per distinct input and batch. Aggregates over the same input share state: one
 * non-null count (also the "has a value" flag), one sum, one min, one max. The state of a
 * group is interleaved in one Float64Array (stride slots per group), so a row touches one
 * cache line instead of one per accumulator. Results and partial states are identical to
 * CountAccumulator, DoubleSumAccumulator, AvgAccumulator(double) and MinMaxAccumulator(float64)
 * (sums add in row order; NaN is the largest value). Update only: partial states from
 * other operators are merged by the per-aggregate accumulators.
 */
export class FusedDoubleAggregates {
  private readonly stride: number;
  private readonly starSlot: number;
  private readonly slots: readonly InputSlots[];
  private state = new Float64Array(0);
  private capacity = 0;

  constructor(
    private readonly specs: readonly FusedSpec[],
    numInputs: number,
  ) {
    let next = 0;
    this.starSlot = specs.some((s) => s.input < 0) ? next++ : -1;
    const slots: InputSlots[] = [];
    for (let j = 0; j < numInputs; j++) {
      const fns = new Set(specs.filter((s) => s.input === j).map((s) => s.fn));
      const count = next++;
      const sum = fns.has('sum') || fns.has('avg') ? next++ : -1;
      const min = fns.has('min') ? next++ : -1;
      const max = fns.has('max') ? next++ : -1;
      slots.push({ count, sum, min, max });
    }
    this.slots = slots;
    // Round small strides up to a power of two so a group never straddles two cache lines.
    let stride = 1;
    while (stride < next) stride *= 2;
    this.stride = next > 8 ? next : stride;
  }

  /** Makes room for group ids below `numGroups`; new groups start empty. */
  resize(numGroups: number): void {
    if (numGroups <= this.capacity) return;
    const cap = Math.max(numGroups, this.capacity * 2, 16);
    const s = this.stride;
    const out = new Float64Array(cap * s);
    out.set(this.state);
    for (const sl of this.slots) {
      // min starts at NaN (any number replaces it), max at -Infinity (anything but -Infinity itself replaces it).
      if (sl.min >= 0) for (let g = this.capacity; g < cap; g++) out[g * s + sl.min] = Number.NaN;
      if (sl.max >= 0) for (let g = this.capacity; g < cap; g++) out[g * s + sl.max] = Number.NEGATIVE_INFINITY;
    }
    this.state = out;
    this.capacity = cap;
  }

  /** Folds `numRows` rows into groups `groupIds[i]`; `inputs[j]` is distinct input j (float64). */
  update(groupIds: Int32Array, inputs: readonly ColumnVector[], numRows: number): void {
    const st = this.state;
    const s = this.stride;
    let star = this.starSlot;
    for (let j = 0; j < this.slots.length; j++) {
      const sl = this.slots[j] as InputSlots;
      const v = inputs[j] as ColumnVector;
      this.updateInput(st, s, star, sl, groupIds, v.values as Float64Array, v.validity, numRows);
      star = -1;
    }
    if (star >= 0)
      for (let i = 0; i < numRows; i++) {
        const o = (groupIds[i] as number) * s + star;
        st[o] = (st[o] as number) + 1;
      }
  }

  private updateInput(
    st: Float64Array,
    s: number,
    star: number,
    sl: InputSlots,
    groupIds: Int32Array,
    x: Float64Array,
    valid: Uint8Array | null,
    numRows: number,
  ): void {
    const cs = sl.count;
    const ss = sl.sum;
    const mn = sl.min;
    const mx = sl.max;
    if (valid === null && s === 4 && star === 0 && cs === 1 && ss === 2 && mx === 3) {
      updateStarCountSumMax(st, groupIds, x, numRows);
      return;
    }
    for (let i = 0; i < numRows; i++) {
      const base = (groupIds[i] as number) * s;
      if (star >= 0) st[base + star] = (st[base + star] as number) + 1;
      if (valid !== null && valid[i] === 0) continue;
      const a = x[i] as number;
      st[base + cs] = (st[base + cs] as number) + 1;
      if (ss >= 0) st[base + ss] = (st[base + ss] as number) + a;
      if (mx >= 0) {
        const c = st[base + mx] as number;
        if (a > c || (Number.isNaN(a) && !Number.isNaN(c))) st[base + mx] = a;
      }
      if (mn >= 0) {
        const c = st[base + mn] as number;
        if (a < c || (Number.isNaN(c) && !Number.isNaN(a))) st[base + mn] = a;
      }
    }
  }

  /** Aggregate `k`'s partial state vectors (laid out like its accumulator's) for groups `[0, numGroups)`. */
  stateVectors(k: number, numGroups: number): ColumnVector[] {
    const spec = this.specs[k] as FusedSpec;
    if (spec.fn !== 'avg') return [this.finish(k, numGroups)];
    const sl = this.slots[spec.input] as InputSlots;
    return [
      { type: types.float64, length: numGroups, validity: null, values: this.column(sl.sum, numGroups) },
      { type: types.int64, length: numGroups, validity: null, values: this.counts(sl.count, numGroups) },
    ];
  }

  /** Aggregate `k`'s result for groups `[0, numGroups)`. */
  finish(k: number, numGroups: number): ColumnVector {
    const spec = this.specs[k] as FusedSpec;
    if (spec.fn === 'count') {
      const slot = spec.input < 0 ? this.starSlot : (this.slots[spec.input] as InputSlots).count;
      return { type: types.int64, length: numGroups, validity: null, values: this.counts(slot, numGroups) };
    }
    const sl = this.slots[spec.input] as InputSlots;
    const n = this.column(sl.count, numGroups);
    const slot = spec.fn === 'min' ? sl.min : spec.fn === 'max' ? sl.max : sl.sum;
    const values = this.column(slot, numGroups);
    let validity: Uint8Array | null = null;
    for (let g = 0; g < numGroups; g++) {
      if (n[g] === 0) {
        validity ??= new Uint8Array(numGroups).fill(1);
        validity[g] = 0;
        values[g] = 0;
      } else if (spec.fn === 'avg') values[g] = (values[g] as number) / (n[g] as number);
    }
    return { type: types.float64, length: numGroups, validity, values };
  }

  private column(slot: number, numGroups: number): Float64Array {
    const out = new Float64Array(numGroups);
    const st = this.state;
    const s = this.stride;
    for (let g = 0; g < numGroups; g++) out[g] = st[g * s + slot] as number;
    return out;
  }

  private counts(slot: number, numGroups: number): BigInt64Array {
    return int64FromNumbers(this.state, numGroups, this.stride, slot);
  }

  /** Approximate bytes held. */
  memoryBytes(): number {
    return this.state.byteLength;
  }
}

/**
 * The loop for the common layout [count(*), count(x), sum(x), max(x)] (stride 4) over a
 * batch without nulls: constant slot offsets let V8 fold the address arithmetic.
 */
function updateStarCountSumMax(st: Float64Array, groupIds: Int32Array, x: Float64Array, numRows: number): void {
  for (let i = 0; i < numRows; i++) {
    const base = (groupIds[i] as number) * 4;
    const a = x[i] as number;
    st[base] = (st[base] as number) + 1;
    st[base + 1] = (st[base + 1] as number) + 1;
    st[base + 2] = (st[base + 2] as number) + a;
    const c = st[base + 3] as number;
    if (a > c || (Number.isNaN(a) && !Number.isNaN(c))) st[base + 3] = a;
  }
}
