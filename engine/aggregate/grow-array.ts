/** A typed array with room for at least `n` elements: `a` itself, or a copy grown by doubling (new slots hold `fill`). */
export function growArray<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number, fill = 0): T {
  if (a.length >= n) return a;
  const out = new (a.constructor as new (len: number) => T)(Math.max(n, a.length * 2, 16));
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
  return out;
}
