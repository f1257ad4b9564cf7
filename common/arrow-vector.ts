import * as arrow from 'apache-arrow';
import { arrowTypeOf, dataFromVector, typeFromArrow, vectorFromData } from './arrow-convert.js';
import type { ColumnVector } from './column-vector.js';
import { concatVectors } from './vector-concat.js';

/**
 * One Sluice vector as an Arrow `Vector` (what vectorized UDFs receive): fixed-width values
 * are shared, not copied (`toArray()` of a float64 vector without nulls is the column's own
 * Float64Array); validity and booleans are packed to bitmaps; dictionary-encoded strings
 * stay a Dictionary vector (its `get(i)` gives the string).
 */
export function arrowVectorOf(v: ColumnVector): arrow.Vector {
  return arrow.makeVector(dataFromVector(v, arrowTypeOf(v.type, v.dictionary !== undefined)));
}

/**
 * A Sluice vector from an Arrow `Vector` (its chunks concatenated), sharing fixed-width
 * values where the layout allows. Throws UNSUPPORTED, naming `what`, for Arrow types Sluice
 * cannot hold.
 */
export function columnFromArrowVector(v: arrow.Vector, what = 'column'): ColumnVector {
  const type = typeFromArrow(v.type, what);
  const parts = v.data.map((d) => vectorFromData(d, type));
  if (parts.length === 1) return parts[0] as ColumnVector;
  return concatVectors(parts);
}
