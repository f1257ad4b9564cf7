// The UDFs of the UDF benchmark: a module without side effects that the worker threads import.
import type { Vector } from 'apache-arrow';

/** Vectorized `amount * 1.1 + 3`: one loop over the column's Float64Array. */
export function scaleVector(amount: Vector): Float64Array {
  const a = amount.toArray() as Float64Array;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) * 1.1 + 3;
  return out;
}

/** Row `amount * 1.1 + 3`. */
export function scaleRow(amount: number | null): number | null {
  return amount === null ? null : amount * 1.1 + 3;
}

/** Vectorized `lower(name)`: reads each string through the Arrow vector. */
export function lowerVector(name: Vector): (string | null)[] {
  const n = name.length;
  const out: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = name.get(i) as string | null;
    out[i] = s === null ? null : s.toLowerCase();
  }
  return out;
}

/** Row `lower(name)`. */
export function lowerRow(name: string | null): string | null {
  return name === null ? null : name.toLowerCase();
}
