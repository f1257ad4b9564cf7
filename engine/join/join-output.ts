import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import { concatVectors } from '../../common/vector-concat.js';
import { gatherVector } from '../../common/vector-gather.js';
import type { JoinSpec } from './join-spec.js';

/** One input's rows of a join: its batch, its evaluated key vectors (for `using` output) and, per output row, the row index (-1 = null). */
export interface JoinSideRows {
  readonly batch: ColumnarBatch;
  readonly keys: readonly ColumnVector[];
  readonly idx: Int32Array;
}

/**
 * Builds `count` output rows of a join from row indices into each side. Layout: left
 * columns then right columns; semi/anti joins output only the left columns; with `using`,
 * the key columns come first (left key for inner/left, right key for right, left key else
 * right key for full, as Spark's coalesce) followed by the non-key columns of each side.
 */
export function assembleJoinOutput(spec: JoinSpec, left: JoinSideRows, right: JoinSideRows, count: number): ColumnarBatch {
  const out = spec.outputSchema;
  const gatherAll = (side: JoinSideRows, keep: (name: string) => boolean, schema: Schema): ColumnVector[] => {
    const cols: ColumnVector[] = [];
    schema.fields.forEach((f, i) => {
      if (keep(f.name)) cols.push(gatherVector(side.batch.columns[i] as ColumnVector, side.idx, count));
    });
    return cols;
  };
  const all = (): boolean => true;
  if (spec.joinType === 'semi' || spec.joinType === 'anti') return makeBatch(out, gatherAll(left, all, spec.leftSchema), count);
  const using = spec.using;
  if (using === null) return makeBatch(out, [...gatherAll(left, all, spec.leftSchema), ...gatherAll(right, all, spec.rightSchema)], count);
  const keyCols = using.map((_, k) => usingKeyColumn(spec, left, right, k, count));
  const notKey = (name: string): boolean => !using.includes(name);
  return makeBatch(out, [...keyCols, ...gatherAll(left, notKey, spec.leftSchema), ...gatherAll(right, notKey, spec.rightSchema)], count);
}

function usingKeyColumn(spec: JoinSpec, left: JoinSideRows, right: JoinSideRows, k: number, count: number): ColumnVector {
  const lk = left.keys[k] as ColumnVector;
  const rk = right.keys[k] as ColumnVector;
  if (spec.joinType === 'right') return gatherVector(rk, right.idx, count);
  if (spec.joinType !== 'full') return gatherVector(lk, left.idx, count);
  let fromLeft = 0;
  for (let i = 0; i < count; i++) if ((left.idx[i] as number) >= 0) fromLeft++;
  if (fromLeft === count) return gatherVector(lk, left.idx, count);
  if (fromLeft === 0) return gatherVector(rk, right.idx, count);
  // Mixed rows: take the left key where the left row exists, else the right key.
  const gl = gatherVector(lk, left.idx, count);
  const gr = gatherVector(rk, right.idx, count);
  const pick = new Int32Array(count);
  for (let i = 0; i < count; i++) pick[i] = (left.idx[i] as number) >= 0 ? i : count + i;
  return gatherVector(concatVectors([gl, gr]), pick, count);
}
