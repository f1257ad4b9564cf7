import type { ColumnVector } from '../../common/column-vector.js';
import { int64Halves } from '../../common/int64.js';

/**
 * The rows of a numeric vector as doubles (int64 read through its halves; exact within
 * +-2^53). float64 vectors are returned as they are; a null-typed vector reads as zeros.
 */
export function numericAsDoubles(v: ColumnVector, numRows: number): Float64Array {
  switch (v.type.kind) {
    case 'float64':
      return v.values as Float64Array;
    case 'int64':
    case 'timestamp': {
      const h = int64Halves(v.values as BigInt64Array);
      const out = new Float64Array(numRows);
      for (let i = 0; i < numRows; i++) out[i] = (h[2 * i + 1] as number) * 4294967296 + ((h[2 * i] as number) >>> 0);
      return out;
    }
    case 'null':
      return new Float64Array(numRows);
    default:
      return Float64Array.from((v.values as Int32Array | Uint8Array).subarray(0, numRows));
  }
}

/** Validity of a vector for aggregation: a null-typed vector is all null. */
export function aggValidity(v: ColumnVector, numRows: number): Uint8Array | null {
  return v.type.kind === 'null' ? new Uint8Array(numRows) : v.validity;
}
