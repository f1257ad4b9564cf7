/**
 * Fast exact access to int64 storage. Reading a BigInt64Array element allocates a BigInt;
 * reading the two 32-bit halves does not. Values within +-2^53 convert to numbers exactly.
 */

/** A view of a BigInt64Array's bytes as 32-bit halves (little-endian: lo at 2i, hi at 2i+1). */
export function int64Halves(values: BigInt64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** Row `i` as a number; exact for |value| <= 2^53. `halves` comes from {@link int64Halves}. */
export function int64At(halves: Int32Array, i: number): number {
  return (halves[2 * i + 1] as number) * 4294967296 + ((halves[2 * i] as number) >>> 0);
}

/** True when a number is an integer that int64 storage represents exactly through a double. */
export function isSafeInt(x: number): boolean {
  return Number.isSafeInteger(x);
}

/** Largest magnitude for which double arithmetic on integers stays exact. */
export const SAFE_LIMIT = 9007199254740991;
