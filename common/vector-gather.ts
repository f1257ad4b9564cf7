import type { ColumnVector } from './column-vector.js';

/**
 * Builds a new vector whose row k is row `indices[k]` of `v`. An index of -1 yields a
 * null row (used by outer joins). Dictionary vectors keep their dictionary.
 */
export function gatherVector(v: ColumnVector, indices: Int32Array, count = indices.length): ColumnVector {
  const src = v.validity;
  let hasMinus = false;
  for (let k = 0; k < count; k++) {
    if ((indices[k] as number) < 0) {
      hasMinus = true;
      break;
    }
  }
  let validity: Uint8Array | null = null;
  if (src !== null || hasMinus) {
    validity = new Uint8Array(count);
    for (let k = 0; k < count; k++) {
      const j = indices[k] as number;
      validity[k] = j < 0 ? 0 : src === null ? 1 : (src[j] as number);
    }
  }
  const type = v.type;
  if (type.kind === 'null') return { type, length: count, validity: null, values: new Uint8Array(0) };
  if ((type.kind === 'utf8' || type.kind === 'binary') && !v.dictionary) return gatherUtf8(v, indices, count, validity);
  if (type.kind === 'list' || type.kind === 'map') return gatherList(v, indices, count, validity);
  if (type.kind === 'struct')
    return { type, length: count, validity, values: new Uint8Array(0), children: (v.children ?? []).map((c) => gatherVector(c, indices, count)) };
  const values = v.values;
  // Typed-array constructors share one shape; the cast keeps this loop monomorphic per type.
  const out = new (values.constructor as new (n: number) => typeof values)(count);
  if (values instanceof BigInt64Array) {
    const s = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const d = new Int32Array(out.buffer, 0, count * 2);
    for (let k = 0; k < count; k++) {
      const j = indices[k] as number;
      if (j >= 0) {
        d[2 * k] = s[2 * j] as number;
        d[2 * k + 1] = s[2 * j + 1] as number;
      }
    }
  } else {
    const o = out as Float64Array;
    const s = values as Float64Array;
    for (let k = 0; k < count; k++) {
      const j = indices[k] as number;
      if (j >= 0) o[k] = s[j] as number;
    }
  }
  const res: ColumnVector = { type, length: count, validity, values: out };
  return v.dictionary ? { ...res, dictionary: v.dictionary } : res;
}

function gatherUtf8(v: ColumnVector, indices: Int32Array, count: number, validity: Uint8Array | null): ColumnVector {
  const so = v.offsets as Int32Array;
  const sb = v.values as Uint8Array;
  const offsets = new Int32Array(count + 1);
  // The first pass remembers each row's source start, so the copy pass reads offsets once.
  const starts = new Int32Array(count);
  let total = 0;
  for (let k = 0; k < count; k++) {
    const j = indices[k] as number;
    if (j >= 0) {
      const a = so[j] as number;
      starts[k] = a;
      total += (so[j + 1] as number) - a;
    }
    offsets[k + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let k = 0; k < count; k++) {
    const d = offsets[k] as number;
    const len = (offsets[k + 1] as number) - d;
    if (len === 0) continue;
    const a = starts[k] as number;
    if (len < 16) for (let x = 0; x < len; x++) bytes[d + x] = sb[a + x] as number;
    else bytes.set(sb.subarray(a, a + len), d);
  }
  return { type: v.type, length: count, validity, values: bytes, offsets };
}

function gatherList(v: ColumnVector, indices: Int32Array, count: number, validity: Uint8Array | null): ColumnVector {
  const so = v.offsets as Int32Array;
  const offsets = new Int32Array(count + 1);
  const childIdx: number[] = [];
  for (let k = 0; k < count; k++) {
    const j = indices[k] as number;
    if (j >= 0) for (let x = so[j] as number; x < (so[j + 1] as number); x++) childIdx.push(x);
    offsets[k + 1] = childIdx.length;
  }
  const child = gatherVector(v.child as ColumnVector, Int32Array.from(childIdx));
  return { type: v.type, length: count, validity, values: new Uint8Array(0), offsets, child };
}

/** Indices of the rows where `mask` is 1 (and, if given, `maskValidity` is 1). */
export function maskToIndices(mask: Uint8Array, maskValidity: Uint8Array | null, length: number): Int32Array {
  let n = 0;
  for (let i = 0; i < length; i++) n += (mask[i] as number) & (maskValidity === null ? 1 : (maskValidity[i] as number));
  const out = new Int32Array(n);
  let k = 0;
  if (maskValidity === null) {
    for (let i = 0; i < length; i++) if (mask[i] === 1) out[k++] = i;
  } else {
    for (let i = 0; i < length; i++) if (mask[i] === 1 && maskValidity[i] === 1) out[k++] = i;
  }
  return out;
}
