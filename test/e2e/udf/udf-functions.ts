// UDFs for the UDF tests: a module without side effects, imported by every worker thread.
import { threadId } from 'node:worker_threads';
import { Utf8, type Vector, vectorFromArray } from 'apache-arrow';

/** Row UDF: trims and lower-cases a name; null stays null. */
export function normalise(name: string | null): string | null {
  return name === null ? null : name.trim().toLowerCase();
}

/** Row UDF: amount with a fee; a null amount counts as 0 (so a null argument can give a value). */
export function withFee(amount: number | null, fee: number | null): number {
  return (amount ?? 0) + (fee ?? 1);
}

/** Row UDF that says which thread it ran in (0 = the main thread). */
export function threadOf(_x: unknown): number {
  return threadId;
}

/** Row UDF declared as double that returns a string: a wrong result type. */
export function wrongType(x: number | null): unknown {
  return `value ${x}`;
}

/** Row UDF that throws for negative input. */
export function failsOnNegative(x: number): number {
  if (x < 0) throw new Error(`negative input ${x}`);
  return x;
}

/** Vectorized UDF: amount * 1.1 + 3 over a whole Float64 vector. */
export function scaleAmount(amount: Vector): Float64Array {
  const a = amount.toArray() as Float64Array;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) * 1.1 + 3;
  return out;
}

/** Vectorized UDF returning a plain array with its own nulls: 'big' / 'small' / null. */
export function sizeLabel(amount: Vector): (string | null)[] {
  const out: (string | null)[] = new Array(amount.length);
  for (let i = 0; i < amount.length; i++) {
    const v = amount.get(i) as number | null;
    out[i] = v === null ? null : v > 100 ? 'big' : 'small';
  }
  return out;
}

/** Vectorized UDF that returns the wrong typed array for a double result. */
export function int32Result(amount: Vector): Int32Array {
  return new Int32Array(amount.length);
}

/** Vectorized UDF returning an Arrow Vector: upper-cases each string, nulls stay null. */
export function upperVector(name: Vector): Vector {
  const out: (string | null)[] = [];
  for (let i = 0; i < name.length; i++) {
    const s = name.get(i) as string | null;
    out.push(s === null ? null : s.toUpperCase());
  }
  return vectorFromArray(out, new Utf8());
}
