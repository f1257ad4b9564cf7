import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { divideHalfUp, fitsPrecision, pow10 } from '../../common/decimal.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';
import { IntSumState } from './int-sum-state.js';

type Decimal = Extract<DataType, { kind: 'decimal' }>;

function exactSums(state: IntSumState, numGroups: number): (bigint | null)[] {
  return state.exactSums(numGroups);
}

/** Marks groups whose partial state says "had values" (isEmpty false) but whose sum is null: an overflow. */
function markOverflow(overflow: Uint8Array, groupIds: Int32Array, sum: ColumnVector, isEmpty: ColumnVector, numRows: number): void {
  const e = isEmpty.values as Uint8Array;
  for (let i = 0; i < numRows; i++) {
    const emptyNull = isEmpty.validity !== null && isEmpty.validity[i] === 0;
    if (!emptyNull && e[i] === 0 && sum.validity !== null && sum.validity[i] === 0) overflow[groupIds[i] as number] = 1;
  }
}

/**
 * sum over decimal(p,s): exact sums of the int64 unscaled values, result
 * decimal(min(18, p+10), s); a group whose sum needs more than the result's digits is
 * null (Spark's non-ANSI overflow). State: `sum` in the result type and `isEmpty`
 * (as Spark's), so a partial sum that overflowed keeps the group null after merging.
 */
export class DecimalSumAccumulator implements Accumulator {
  private readonly state = new IntSumState();
  private overflow = new Uint8Array(16);

  constructor(private readonly resultType: DataType) {}

  resize(numGroups: number): void {
    this.state.resize(numGroups);
    this.overflow = growArray(this.overflow, numGroups);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    this.state.add(groupIds, args[0] as ColumnVector, numRows);
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    const s = states[0] as ColumnVector;
    markOverflow(this.overflow, groupIds, s, states[1] as ColumnVector, numRows);
    this.state.add(groupIds, s, numRows);
  }

  stateVectors(numGroups: number): ColumnVector[] {
    const isEmpty = new Uint8Array(numGroups);
    const sums = exactSums(this.state, numGroups);
    for (let g = 0; g < numGroups; g++) isEmpty[g] = sums[g] === null && this.overflow[g] === 0 ? 1 : 0;
    return [this.finish(numGroups), { type: types.boolean, length: numGroups, validity: null, values: isEmpty }];
  }

  finish(numGroups: number): ColumnVector {
    const sums = exactSums(this.state, numGroups);
    const precision = (this.resultType as Decimal).precision;
    const out = new BigInt64Array(numGroups);
    const validity = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const x = sums[g];
      if (x === null || x === undefined || this.overflow[g] === 1 || !fitsPrecision(x, precision)) continue;
      out[g] = x;
      validity[g] = 1;
    }
    return { type: this.resultType, length: numGroups, validity: validity.includes(0) ? validity : null, values: out };
  }

  memoryBytes(): number {
    return this.state.memoryBytes() + this.overflow.byteLength;
  }
}

/**
 * avg over decimal(p,s): the exact sum divided by the count, rounded half-up to the result
 * type decimal(min(18, p+4), min(18, s+4)); null for a group without values or when the
 * average needs more digits. State: `sum` (labelled with the input type, values of up to 18
 * digits) and `count` bigint.
 */
export class DecimalAvgAccumulator implements Accumulator {
  private readonly state = new IntSumState();
  private counts = new Float64Array(16);
  private overflow = new Uint8Array(16);

  constructor(
    private readonly inputType: DataType,
    private readonly sumStateType: DataType,
    private readonly resultType: DataType,
  ) {}

  resize(numGroups: number): void {
    this.state.resize(numGroups);
    this.counts = growArray(this.counts, numGroups);
    this.overflow = growArray(this.overflow, numGroups);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    const valid = v.validity;
    const counts = this.counts;
    for (let i = 0; i < numRows; i++)
      if (valid === null || valid[i] === 1) {
        const g = groupIds[i] as number;
        counts[g] = (counts[g] as number) + 1;
      }
    this.state.add(groupIds, v, numRows);
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    const sum = states[0] as ColumnVector;
    this.state.add(groupIds, sum, numRows);
    const c = (states[1] as ColumnVector).values as BigInt64Array;
    for (let i = 0; i < numRows; i++) {
      const g = groupIds[i] as number;
      const n = Number(c[i] as bigint);
      this.counts[g] = (this.counts[g] as number) + n;
      if (n > 0 && sum.validity !== null && sum.validity[i] === 0) this.overflow[g] = 1;
    }
  }

  stateVectors(numGroups: number): ColumnVector[] {
    const sums = exactSums(this.state, numGroups);
    const out = new BigInt64Array(numGroups);
    const validity = new Uint8Array(numGroups);
    const counts = new BigInt64Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      counts[g] = BigInt(this.counts[g] as number);
      const x = sums[g];
      if (x === null || x === undefined) continue;
      // The state sum is decimal(18, s): a partial sum beyond 18 digits travels as null with a
      // non-zero count, which finish() cannot tell from a null sum and so reports null (overflow).
      if (!fitsPrecision(x, 18)) {
        this.overflow[g] = 1;
        continue;
      }
      out[g] = x;
      validity[g] = 1;
    }
    return [
      { type: this.sumStateType, length: numGroups, validity: validity.includes(0) ? validity : null, values: out },
      { type: types.int64, length: numGroups, validity: null, values: counts },
    ];
  }

  finish(numGroups: number): ColumnVector {
    const sums = exactSums(this.state, numGroups);
    const rt = this.resultType as Decimal;
    const shift = pow10(rt.scale - (this.inputType as Decimal).scale);
    const out = new BigInt64Array(numGroups);
    const validity = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const x = sums[g];
      const n = this.counts[g] as number;
      if (x === null || x === undefined || n === 0 || this.overflow[g] === 1) continue;
      const avg = divideHalfUp(x * shift, BigInt(n));
      if (!fitsPrecision(avg, rt.precision)) continue;
      out[g] = avg;
      validity[g] = 1;
    }
    return { type: this.resultType, length: numGroups, validity: validity.includes(0) ? validity : null, values: out };
  }

  memoryBytes(): number {
    return this.state.memoryBytes() + this.counts.byteLength;
  }
}
