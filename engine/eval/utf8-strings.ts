import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { decodeUtf8 } from '../../common/utf8.js';

/**
 * Bulk conversion between utf8 vectors and JS strings for kernels that work on strings
 * row by row: reading decodes an all-ASCII buffer once and slices it (a dictionary's
 * entries once), and writing encodes all rows with one `encodeInto` after measuring their
 * UTF-8 lengths, instead of one TextDecoder / TextEncoder call per row.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The rows of a utf8 vector as strings (null for null rows). */
export function readStrings(v: ColumnVector): (string | null)[] {
  const n = v.length;
  const out: (string | null)[] = new Array(n);
  const valid = v.validity;
  if (v.type.kind === 'null') return out.fill(null);
  if (v.dictionary) {
    const entries = readStrings(v.dictionary);
    const idx = v.values as Int32Array;
    for (let i = 0; i < n; i++) out[i] = valid !== null && valid[i] === 0 ? null : (entries[idx[i] as number] ?? null);
    return out;
  }
  const bytes = v.values as Uint8Array;
  const o = v.offsets as Int32Array;
  const start = o[0] as number;
  const end = o[n] as number;
  let ascii = true;
  for (let k = start; k < end; k++) {
    if ((bytes[k] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const all = decoder.decode(bytes.subarray(start, end));
    for (let i = 0; i < n; i++) out[i] = valid !== null && valid[i] === 0 ? null : all.slice((o[i] as number) - start, (o[i + 1] as number) - start);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = valid !== null && valid[i] === 0 ? null : decodeUtf8(bytes, o[i] as number, o[i + 1] as number);
  return out;
}

/** UTF-8 byte length of a JS string (a lone surrogate counts 3 bytes, as TextEncoder writes U+FFFD). */
export function utf8ByteLength(s: string): number {
  let len = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) len += 1;
    else if (c < 0x800) len += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      len += 4;
      i++;
    } else len += 3;
  }
  return len;
}

/** A plain utf8 vector of `values` (null entries are null rows). */
export function utf8FromStrings(values: readonly (string | null)[], type: DataType = types.utf8): ColumnVector {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let validity: Uint8Array | null = null;
  const parts: string[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = values[i];
    if (s === null || s === undefined) {
      if (validity === null) validity = new Uint8Array(n).fill(1);
      validity[i] = 0;
    } else {
      parts.push(s);
      total += utf8ByteLength(s);
    }
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  encoder.encodeInto(parts.join(''), bytes);
  return { type, length: n, validity, values: bytes, offsets };
}
