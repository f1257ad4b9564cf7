import type { ColumnVector } from '../../common/column-vector.js';
import { keyWidth, keyWords } from './fixed-key-store.js';

/** Key rows of one batch encoded as int32 words: row i is `words[offsets[i] .. offsets[i+1])`. */
export interface EncodedKeyRows {
  readonly words: Int32Array;
  readonly offsets: Int32Array;
}

/**
 * Encodes each row's key tuple as a sequence of int32 words such that two rows have equal
 * words exactly when their keys are equal (null equals null, -0 equals 0, NaN equals NaN,
 * dictionary-encoded strings equal plain ones). Layout per row: a null bitmap (one word per
 * 32 columns), then per column its value words: one for boolean/int32/date, two for
 * int64/timestamp/float64, and for utf8 the byte length followed by the bytes packed four
 * per word. Null values encode as zeros. Works column by column over typed arrays.
 */
export function encodeKeyRows(keys: readonly ColumnVector[], numRows: number): EncodedKeyRows {
  const header = Math.max(1, Math.ceil(keys.length / 32));
  const offsets = new Int32Array(numRows + 1);
  let fixed = header;
  for (const k of keys) if (k.type.kind !== 'utf8' && k.type.kind !== 'null') fixed += keyWidth(k.type);
  for (let i = 0; i < numRows; i++) offsets[i + 1] = fixed;
  for (const k of keys) if (k.type.kind === 'utf8') addStringLengths(k, numRows, offsets);
  for (let i = 0; i < numRows; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  const words = new Int32Array(offsets[numRows] as number);
  const cursor = offsets.slice(0, numRows);
  for (let i = 0; i < numRows; i++) cursor[i] = (cursor[i] as number) + header;
  keys.forEach((k, c) => {
    markNulls(k, c, numRows, words, offsets);
    if (k.type.kind === 'utf8') writeStrings(k, numRows, words, cursor);
    else if (k.type.kind !== 'null') writeFixed(k, numRows, words, cursor);
  });
  return { words, offsets };
}

function addStringLengths(k: ColumnVector, numRows: number, lengths: Int32Array): void {
  const valid = k.validity;
  const idx = k.dictionary ? (k.values as Int32Array) : null;
  const so = (k.dictionary ?? k).offsets as Int32Array;
  for (let i = 0; i < numRows; i++) {
    let extra = 1;
    if (valid === null || valid[i] === 1) {
      const r = idx === null ? i : (idx[i] as number);
      extra += ((so[r + 1] as number) - (so[r] as number) + 3) >> 2;
    }
    lengths[i + 1] = (lengths[i + 1] as number) + extra;
  }
}

function markNulls(k: ColumnVector, c: number, numRows: number, words: Int32Array, offsets: Int32Array): void {
  const bit = 1 << (c & 31);
  const word = c >> 5;
  if (k.type.kind === 'null') {
    for (let i = 0; i < numRows; i++) words[(offsets[i] as number) + word] = (words[(offsets[i] as number) + word] as number) | bit;
    return;
  }
  const valid = k.validity;
  if (valid === null) return;
  for (let i = 0; i < numRows; i++) if (valid[i] === 0) words[(offsets[i] as number) + word] = (words[(offsets[i] as number) + word] as number) | bit;
}

function writeFixed(k: ColumnVector, numRows: number, words: Int32Array, cursor: Int32Array): void {
  const src = keyWords(k, numRows);
  const valid = k.validity;
  if (keyWidth(k.type) === 1) {
    for (let i = 0; i < numRows; i++) {
      const at = cursor[i] as number;
      if (valid === null || valid[i] === 1) words[at] = src[i] as number;
      cursor[i] = at + 1;
    }
    return;
  }
  for (let i = 0; i < numRows; i++) {
    const at = cursor[i] as number;
    if (valid === null || valid[i] === 1) {
      words[at] = src[2 * i] as number;
      words[at + 1] = src[2 * i + 1] as number;
    }
    cursor[i] = at + 2;
  }
}

function writeStrings(k: ColumnVector, numRows: number, words: Int32Array, cursor: Int32Array): void {
  const valid = k.validity;
  const idx = k.dictionary ? (k.values as Int32Array) : null;
  const plain = k.dictionary ?? k;
  const bytes = plain.values as Uint8Array;
  const so = plain.offsets as Int32Array;
  for (let i = 0; i < numRows; i++) {
    let at = cursor[i] as number;
    if (valid !== null && valid[i] === 0) {
      cursor[i] = at + 1;
      continue;
    }
    const r = idx === null ? i : (idx[i] as number);
    const s = so[r] as number;
    const e = so[r + 1] as number;
    words[at++] = e - s;
    let b = s;
    for (; b + 4 <= e; b += 4) {
      words[at++] = (bytes[b] as number) | ((bytes[b + 1] as number) << 8) | ((bytes[b + 2] as number) << 16) | ((bytes[b + 3] as number) << 24);
    }
    if (b < e) {
      let w = 0;
      for (let shift = 0; b < e; b++, shift += 8) w |= (bytes[b] as number) << shift;
      words[at++] = w;
    }
    cursor[i] = at;
  }
}
