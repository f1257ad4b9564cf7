import type { ColumnVector } from '../../common/column-vector.js';
import { booleanVector } from './eval-vectors.js';

/**
 * Utf8 predicates evaluated on a dictionary's entries once (cached per dictionary object and
 * predicate key, since batches of one source usually share a dictionary), then mapped
 * through the indices; and the same predicates row by row over plain utf8 bytes.
 */

/** Tests the bytes `[start, end)` of `bytes`. */
export type BytesTest = (bytes: Uint8Array, start: number, end: number) => boolean;

const luts = new WeakMap<ColumnVector, Map<string, Uint8Array>>();

/** 1/0 per dictionary entry for `test`; cached under `key` (which must identify the predicate). */
export function dictionaryLut(dict: ColumnVector, key: string, test: BytesTest): Uint8Array {
  let m = luts.get(dict);
  if (m === undefined) {
    m = new Map();
    luts.set(dict, m);
  }
  let lut = m.get(key);
  if (lut === undefined) {
    lut = utf8Test(dict, test);
    m.set(key, lut);
  }
  return lut;
}

/** 1/0 per row of a plain utf8 vector (null rows give 0). */
export function utf8Test(v: ColumnVector, test: BytesTest): Uint8Array {
  const n = v.length;
  const o = v.offsets as Int32Array;
  const bytes = v.values as Uint8Array;
  const valid = v.validity;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    out[i] = test(bytes, o[i] as number, o[i + 1] as number) ? 1 : 0;
  }
  return out;
}

/** The boolean vector of a utf8 predicate over a plain or dictionary-encoded vector. */
export function utf8Predicate(v: ColumnVector, key: string, test: BytesTest): ColumnVector {
  if (!v.dictionary) return booleanVector(utf8Test(v, test), v.validity);
  const lut = dictionaryLut(v.dictionary, key, test);
  const idx = v.values as Int32Array;
  const n = v.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = lut[idx[i] as number] as number;
  return booleanVector(out, v.validity);
}

/** True when `needle` occurs in `bytes[start, end)`. */
export function bytesContain(bytes: Uint8Array, start: number, end: number, needle: Uint8Array): boolean {
  const m = needle.length;
  if (m === 0) return true;
  const first = needle[0] as number;
  for (let i = start; i + m <= end; i++) {
    if (bytes[i] !== first) continue;
    let k = 1;
    while (k < m && bytes[i + k] === needle[k]) k++;
    if (k === m) return true;
  }
  return false;
}

/** True when `bytes[start, end)` starts with `prefix`. */
export function bytesStartWith(bytes: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  const m = prefix.length;
  if (end - start < m) return false;
  for (let k = 0; k < m; k++) if (bytes[start + k] !== prefix[k]) return false;
  return true;
}

/** True when `bytes[start, end)` ends with `suffix`. */
export function bytesEndWith(bytes: Uint8Array, start: number, end: number, suffix: Uint8Array): boolean {
  const m = suffix.length;
  if (end - start < m) return false;
  for (let k = 0; k < m; k++) if (bytes[end - m + k] !== suffix[k]) return false;
  return true;
}
