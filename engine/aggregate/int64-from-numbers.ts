/**
 * Integer-valued doubles (|x| <= 2^53: counts, safe sums) as int64 storage: element
 * `offset + g * stride` of `src` becomes row g. Written through the 32-bit halves, so no
 * BigInt is allocated per value (BigInt(x) per group dominated finishing millions of groups).
 */
export function int64FromNumbers(src: ArrayLike<number>, n: number, stride = 1, offset = 0): BigInt64Array {
  const out = new BigInt64Array(n);
  const h = new Int32Array(out.buffer);
  for (let g = 0; g < n; g++) {
    const x = src[offset + g * stride] as number;
    if (x >= 0 && x <= 0x7fffffff) h[2 * g] = x;
    else {
      const hi = Math.floor(x / 4294967296);
      h[2 * g] = (x - hi * 4294967296) | 0;
      h[2 * g + 1] = hi | 0;
    }
  }
  return out;
}
