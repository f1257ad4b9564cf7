import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';

type Typed = Uint8Array | Int32Array | Float64Array | BigInt64Array;

function shareArray<T extends Typed>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const sab = new SharedArrayBuffer(a.byteLength);
  const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(sab);
  (out as Uint8Array).set(a as unknown as Uint8Array);
  return out;
}

/** A copy of a vector whose typed arrays live on SharedArrayBuffers (already-shared arrays are reused). */
export function shareVector(v: ColumnVector): ColumnVector {
  const out: { -readonly [K in keyof ColumnVector]: ColumnVector[K] } = {
    type: v.type,
    length: v.length,
    validity: v.validity === null ? null : shareArray(v.validity),
    values: shareArray(v.values),
  };
  if (v.offsets) out.offsets = shareArray(v.offsets);
  if (v.dictionary) out.dictionary = shareVector(v.dictionary);
  if (v.child) out.child = shareVector(v.child);
  if (v.children) out.children = v.children.map(shareVector);
  return out;
}

/**
 * Moves a batch onto shared memory once, so sending it to any number of worker tasks costs
 * no copy: a structured clone of a typed array over a SharedArrayBuffer shares the memory.
 */
export function shareBatch(b: ColumnarBatch): ColumnarBatch {
  return { schema: b.schema, columns: b.columns.map(shareVector), numRows: b.numRows };
}

function compactArray<T extends Typed>(a: T, out: ArrayBuffer[]): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const c = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && !out.includes(a.buffer as ArrayBuffer) ? a : (a.slice() as T);
  out.push(c.buffer as ArrayBuffer);
  return c;
}

function compactVector(v: ColumnVector, out: ArrayBuffer[]): ColumnVector {
  const r: { -readonly [K in keyof ColumnVector]: ColumnVector[K] } = {
    type: v.type,
    length: v.length,
    validity: v.validity === null ? null : compactArray(v.validity, out),
    values: compactArray(v.values, out),
  };
  if (v.offsets) r.offsets = compactArray(v.offsets, out);
  if (v.dictionary) r.dictionary = compactVector(v.dictionary, out);
  if (v.child) r.child = compactVector(v.child, out);
  if (v.children) r.children = v.children.map((c) => compactVector(c, out));
  return r;
}

/**
 * Prepares batches to be transferred to another thread: every typed array gets its own
 * exactly-sized buffer (a view into a larger buffer would drag the whole buffer along), and
 * the list of buffers to transfer is returned. Shared buffers are left alone.
 */
export function compactForTransfer(batches: readonly ColumnarBatch[]): { batches: ColumnarBatch[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const out = batches.map((b) => ({ schema: b.schema, columns: b.columns.map((c) => compactVector(c, transfer)), numRows: b.numRows }));
  return { batches: out, transfer };
}
