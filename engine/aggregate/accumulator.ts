import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';

/** One column of an aggregate's partial state: `name` (e.g. `sum`, `count`) and type. */
export interface StateField {
  readonly name: string;
  readonly type: DataType;
}

/**
 * Per-group running state of one aggregate call, held in typed arrays indexed by group id.
 *
 * Contract: the caller calls `resize(numGroups)` whenever the number of groups grows, before
 * passing ids below it; new groups start empty. `update` folds input rows (`args` are the
 * evaluated value arguments) into their groups; `merge` folds partial states (vectors laid
 * out as the aggregate's {@link StateField}s) in input order, so first/last stay ordered.
 * `stateVectors` and `finish` read groups `[0, numGroups)` and do not disturb the state.
 * Aggregates skip null inputs (except count(*) and first/last without ignoreNulls).
 */
export interface Accumulator {
  /** Makes room for group ids below `numGroups`. */
  resize(numGroups: number): void;
  /** Folds `numRows` input rows into groups `groupIds[i]`. */
  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void;
  /** Folds `numRows` partial-state rows into groups `groupIds[i]`. */
  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void;
  /** The partial state of every group, one vector per state field. */
  stateVectors(numGroups: number): ColumnVector[];
  /** The final value of every group. */
  finish(numGroups: number): ColumnVector;
  /** Approximate bytes held. */
  memoryBytes(): number;
}
