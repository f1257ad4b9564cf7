/** UTF-8 helpers for utf8 vectors: fast paths for ASCII, TextDecoder for the rest. */

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Decodes `bytes[start..end)` to a JS string. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 32) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if ((bytes[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i] as number);
      return s;
    }
  }
  return decoder.decode(bytes.subarray(start, end));
}

/** Encodes a JS string to UTF-8 bytes. */
export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Byte-wise equality of `a[as..ae)` and `b[bs..be)`. */
export function bytesEqual(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  const n = ae - as;
  if (n !== be - bs) return false;
  for (let k = 0; k < n; k++) if (a[as + k] !== b[bs + k]) return false;
  return true;
}

/** Byte-wise comparison (which is code-point order for valid UTF-8): negative, zero or positive. */
export function bytesCompare(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const d = (a[as + k] as number) - (b[bs + k] as number);
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

/** 32-bit FNV-1a hash of `bytes[start..end)`. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= bytes[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
