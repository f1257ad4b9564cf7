import type { ColumnVector } from './column-vector.js';
import { internalError } from './errors.js';

/** Turns a dictionary-encoded utf8 vector into a plain utf8 vector. Other vectors pass through. */
export function decodeDictionary(v: ColumnVector): ColumnVector {
  const dict = v.dictionary;
  if (!dict) return v;
  const idx = v.values as Int32Array;
  const dOff = dict.offsets as Int32Array;
  const dBytes = dict.values as Uint8Array;
  const offsets = new Int32Array(v.length + 1);
  let total = 0;
  const valid = v.validity;
  for (let i = 0; i < v.length; i++) {
    if (valid === null || valid[i] === 1) {
      const j = idx[i] as number;
      total += (dOff[j + 1] as number) - (dOff[j] as number);
    }
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < v.length; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const j = idx[i] as number;
    bytes.set(dBytes.subarray(dOff[j] as number, dOff[j + 1] as number), offsets[i] as number);
  }
  return { type: v.type, length: v.length, validity: valid, values: bytes, offsets };
}

/** Concatenates vectors of one type into one vector. Dictionaries are decoded unless all parts share one. */
export function concatVectors(parts: readonly ColumnVector[]): ColumnVector {
  if (parts.length === 0) throw internalError('concatVectors needs at least one part');
  if (parts.length === 1) return parts[0] as ColumnVector;
  const first = parts[0] as ColumnVector;
  const type = first.type;
  const length = parts.reduce((s, p) => s + p.length, 0);
  let validity: Uint8Array | null = null;
  if (parts.some((p) => p.validity !== null)) {
    validity = new Uint8Array(length);
    let pos = 0;
    for (const p of parts) {
      if (p.validity === null) validity.fill(1, pos, pos + p.length);
      else validity.set(p.validity.subarray(0, p.length), pos);
      pos += p.length;
    }
  }
  if (type.kind === 'null') return { type, length, validity: null, values: new Uint8Array(0) };
  if (type.kind === 'utf8' || type.kind === 'binary') {
    const sharedDict = first.dictionary;
    if (sharedDict && parts.every((p) => p.dictionary === sharedDict)) {
      return {
        type,
        length,
        validity,
        values: concatTyped(
          parts.map((p) => p.values as Int32Array),
          length,
        ) as Int32Array,
        dictionary: sharedDict,
      };
    }
    const plain = parts.map(decodeDictionary);
    const offsets = new Int32Array(length + 1);
    let pos = 0;
    let base = 0;
    for (const p of plain) {
      const o = p.offsets as Int32Array;
      const start = o[0] as number;
      for (let i = 1; i <= p.length; i++) offsets[pos + i] = base + (o[i] as number) - start;
      pos += p.length;
      base = offsets[pos] as number;
    }
    const bytes = new Uint8Array(base);
    pos = 0;
    for (const p of plain) {
      const o = p.offsets as Int32Array;
      bytes.set((p.values as Uint8Array).subarray(o[0] as number, o[p.length] as number), offsets[pos] as number);
      pos += p.length;
    }
    return { type, length, validity, values: bytes, offsets };
  }
  if (type.kind === 'list' || type.kind === 'map') {
    const offsets = new Int32Array(length + 1);
    const children: ColumnVector[] = [];
    let pos = 0;
    let base = 0;
    for (const p of parts) {
      const o = p.offsets as Int32Array;
      const start = o[0] as number;
      const end = o[p.length] as number;
      for (let i = 1; i <= p.length; i++) offsets[pos + i] = base + (o[i] as number) - start;
      children.push(sliceVector(p.child as ColumnVector, start, end));
      pos += p.length;
      base += end - start;
    }
    return { type, length, validity, values: new Uint8Array(0), offsets, child: concatVectors(children) };
  }
  if (type.kind === 'struct')
    return {
      type,
      length,
      validity,
      values: new Uint8Array(0),
      children: type.fields.map((_, k) => concatVectors(parts.map((p) => (p.children as readonly ColumnVector[])[k] as ColumnVector))),
    };
  return {
    type,
    length,
    validity,
    values: concatTyped(
      parts.map((p) => p.values.subarray(0, p.length)),
      length,
    ),
  };
}

function concatTyped<T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(arrays: readonly T[], length: number): T {
  const first = arrays[0] as T;
  const out = new (first.constructor as new (n: number) => T)(length);
  let pos = 0;
  for (const a of arrays) {
    (out as Float64Array).set(a as unknown as Float64Array, pos);
    pos += a.length;
  }
  return out;
}

/** Rows `[start, end)` of a vector. Typed arrays are shared (subarray), not copied. */
export function sliceVector(v: ColumnVector, start: number, end: number): ColumnVector {
  const length = end - start;
  const validity = v.validity === null ? null : v.validity.subarray(start, end);
  switch (v.type.kind) {
    case 'null':
      return { type: v.type, length, validity: null, values: v.values };
    case 'utf8':
    case 'binary':
      if (v.dictionary) return { type: v.type, length, validity, values: v.values.subarray(start, end), dictionary: v.dictionary };
      return { type: v.type, length, validity, values: v.values, offsets: (v.offsets as Int32Array).subarray(start, end + 1) };
    case 'list':
    case 'map':
      return { type: v.type, length, validity, values: v.values, offsets: (v.offsets as Int32Array).subarray(start, end + 1), child: v.child as ColumnVector };
    case 'struct':
      return { type: v.type, length, validity, values: v.values, children: (v.children ?? []).map((c) => sliceVector(c, start, end)) };
    default:
      return { type: v.type, length, validity, values: v.values.subarray(start, end) };
  }
}
