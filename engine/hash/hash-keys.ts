import type { ColumnVector } from '../../common/column-vector.js';
import { int64Halves } from '../../common/int64.js';
import { finalizeHash, HASH_SEED, hashByteRange, mixWord, NULL_HASH } from './hash-mix.js';

const CANONICAL_NAN_HI = 0x7ff80000;

/**
 * Row-wise hash of key columns; equal keys (null equals null here) hash equal. A
 * dictionary-encoded utf8 column hashes each dictionary entry once and maps the indices,
 * and hashes exactly like the same strings stored plainly. Floats hash by value: -0 equals
 * 0 and every NaN equals every other NaN.
 */
export function hashKeys(keys: readonly ColumnVector[], numRows: number): Int32Array {
  const out = new Int32Array(numRows).fill(HASH_SEED);
  for (const k of keys) mixColumnInto(out, k, numRows);
  for (let i = 0; i < numRows; i++) out[i] = finalizeHash(out[i] as number);
  return out;
}

/**
 * Folds rows `[0, numRows)` of one column into the running row hashes `out` (not finalised;
 * callers finish with `finalizeHash`). Shared by {@link hashKeys} and the distinct-count sketches.
 */
export function mixColumnInto(out: Int32Array, v: ColumnVector, numRows: number): void {
  const valid = v.validity;
  const kind = v.type.kind;
  if (kind === 'null') {
    for (let i = 0; i < numRows; i++) out[i] = mixWord(out[i] as number, NULL_HASH);
    return;
  }
  if (kind === 'int64' || kind === 'decimal' || kind === 'timestamp') {
    const h = int64Halves(v.values as BigInt64Array);
    for (let i = 0; i < numRows; i++) {
      const x = out[i] as number;
      out[i] = valid !== null && valid[i] === 0 ? mixWord(x, NULL_HASH) : mixWord(mixWord(x, h[2 * i] as number), h[2 * i + 1] as number);
    }
    return;
  }
  if (kind === 'float64') {
    mixFloatColumn(out, v.values as Float64Array, valid, numRows);
    return;
  }
  if (kind === 'utf8') {
    mixUtf8Column(out, v, numRows);
    return;
  }
  if (kind === 'list') {
    mixListColumn(out, v, numRows);
    return;
  }
  const vals = v.values as Int32Array | Uint8Array;
  for (let i = 0; i < numRows; i++) {
    const x = out[i] as number;
    out[i] = valid !== null && valid[i] === 0 ? mixWord(x, NULL_HASH) : mixWord(x, vals[i] as number);
  }
}

function mixFloatColumn(out: Int32Array, f: Float64Array, valid: Uint8Array | null, numRows: number): void {
  const w = new Int32Array(f.buffer, f.byteOffset, f.length * 2);
  for (let i = 0; i < numRows; i++) {
    const x = out[i] as number;
    if (valid !== null && valid[i] === 0) {
      out[i] = mixWord(x, NULL_HASH);
      continue;
    }
    const d = f[i] as number;
    if (d === 0) out[i] = mixWord(mixWord(x, 0), 0);
    else if (Number.isNaN(d)) out[i] = mixWord(mixWord(x, 0), CANONICAL_NAN_HI);
    else out[i] = mixWord(mixWord(x, w[2 * i] as number), w[2 * i + 1] as number);
  }
}

function mixUtf8Column(out: Int32Array, v: ColumnVector, numRows: number): void {
  const valid = v.validity;
  const dict = v.dictionary;
  if (dict) {
    const entryHash = utf8EntryHashes(dict);
    const idx = v.values as Int32Array;
    for (let i = 0; i < numRows; i++) {
      const x = out[i] as number;
      out[i] = valid !== null && valid[i] === 0 ? mixWord(x, NULL_HASH) : mixWord(x, entryHash[idx[i] as number] as number);
    }
    return;
  }
  const bytes = v.values as Uint8Array;
  const offs = v.offsets as Int32Array;
  for (let i = 0; i < numRows; i++) {
    const x = out[i] as number;
    out[i] = valid !== null && valid[i] === 0 ? mixWord(x, NULL_HASH) : mixWord(x, hashByteRange(HASH_SEED, bytes, offs[i] as number, offs[i + 1] as number));
  }
}

/** Byte hash of every entry of a plain utf8 vector (a dictionary). */
export function utf8EntryHashes(dict: ColumnVector): Int32Array {
  const bytes = dict.values as Uint8Array;
  const offs = dict.offsets as Int32Array;
  const out = new Int32Array(dict.length);
  for (let j = 0; j < dict.length; j++) out[j] = hashByteRange(HASH_SEED, bytes, offs[j] as number, offs[j + 1] as number);
  return out;
}

function mixListColumn(out: Int32Array, v: ColumnVector, numRows: number): void {
  const valid = v.validity;
  const offs = v.offsets as Int32Array;
  const child = v.child as ColumnVector;
  const childLen = offs[numRows] as number;
  const elem = new Int32Array(childLen).fill(HASH_SEED);
  mixColumnInto(elem, child, childLen);
  for (let i = 0; i < numRows; i++) {
    let x = out[i] as number;
    if (valid !== null && valid[i] === 0) {
      out[i] = mixWord(x, NULL_HASH);
      continue;
    }
    const s = offs[i] as number;
    const e = offs[i + 1] as number;
    x = mixWord(x, e - s);
    for (let k = s; k < e; k++) x = mixWord(x, elem[k] as number);
    out[i] = x;
  }
}
