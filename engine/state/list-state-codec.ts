import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import type { EncodedRows } from './row-codec.js';

/** What the list codec needs of the row codec of its elements (a one-column schema). */
export interface ElementCodec {
  encode(columns: readonly ColumnVector[], numRows: number, normalize: boolean): EncodedRows;
  decode(buf: Uint8Array, starts: Int32Array, count: number): ColumnVector[];
  /** Bytes of the encoded row starting at `start` in `buf`. */
  rowLength(buf: Uint8Array, view: DataView, start: number): number;
}

/**
 * Encodes list values of state rows (the distinct values of countDistinct, the sketch of
 * approxCountDistinct, the values of percentile aggregates...) as byte blobs: a blob is the
 * element count (int32 little-endian) followed by each element encoded as a one-column row
 * by the element type's row codec. The row codec stores a list column like a utf8 one: the
 * blob's byte length in the column's slot and the blob after the fixed part of the row.
 */
export class ListStateCodec {
  constructor(
    private readonly type: DataType,
    private readonly elements: ElementCodec,
  ) {}

  /** The blobs of rows `[0, numRows)` of list vector `v` (a null row gets an empty blob). */
  encodeBlobs(v: ColumnVector, numRows: number): EncodedRows {
    const offs = v.offsets as Int32Array;
    const child = v.child as ColumnVector;
    const elems = this.elements.encode([child], child.length, false);
    const eo = elems.offsets;
    const offsets = new Int32Array(numRows + 1);
    const valid = v.validity;
    for (let i = 0; i < numRows; i++) {
      const len = valid !== null && valid[i] === 0 ? 0 : 4 + (eo[offs[i + 1] as number] as number) - (eo[offs[i] as number] as number);
      offsets[i + 1] = (offsets[i] as number) + len;
    }
    const bytes = new Uint8Array(offsets[numRows] as number);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < numRows; i++) {
      const at = offsets[i] as number;
      if (at === offsets[i + 1]) continue;
      const lo = offs[i] as number;
      const hi = offs[i + 1] as number;
      view.setInt32(at, hi - lo, true);
      bytes.set(elems.bytes.subarray(eo[lo] as number, eo[hi] as number), at + 4);
    }
    return { bytes, offsets };
  }

  /** Decodes `n` blobs starting at `starts[r]` in `buf` (rows with validity 0 are null lists). */
  decodeBlobs(buf: Uint8Array, view: DataView, starts: Int32Array, n: number, validity: Uint8Array | null): ColumnVector {
    const offsets = new Int32Array(n + 1);
    for (let r = 0; r < n; r++) {
      const count = validity !== null && validity[r] === 0 ? 0 : view.getInt32(starts[r] as number, true);
      offsets[r + 1] = (offsets[r] as number) + count;
    }
    const elemStarts = new Int32Array(offsets[n] as number);
    let k = 0;
    for (let r = 0; r < n; r++) {
      let at = (starts[r] as number) + 4;
      for (let e = offsets[r] as number; e < (offsets[r + 1] as number); e++) {
        elemStarts[k++] = at;
        at += this.elements.rowLength(buf, view, at);
      }
    }
    const child = this.elements.decode(buf, elemStarts, elemStarts.length)[0] as ColumnVector;
    return { type: this.type, length: n, validity, values: new Uint8Array(0), offsets, child };
  }
}
