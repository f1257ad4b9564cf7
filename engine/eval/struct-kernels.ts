import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { internalError, SluiceError } from '../../common/errors.js';
import type { ScalarFunctionName } from '../../dataframe/expr/expr.js';
import { andValidity, writeInt64 } from './eval-vectors.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/** The struct and window functions compiled by {@link compileStructCall}. */
export const STRUCT_FUNCTIONS: ReadonlySet<string> = new Set<ScalarFunctionName>(['window', 'windowTime', 'session_window', 'struct', 'getField']);

const TWO32 = 4294967296;
/** Largest magnitude handled in double arithmetic; larger times take the bigint path. */
const SAFE = 2 ** 52;

/** Reads int64 row `i` (as two int32 halves) as a double; exact while |x| < 2^53. */
export function readInt64(halves: Int32Array, i: number): number {
  return (halves[2 * i + 1] as number) * TWO32 + ((halves[2 * i] as number) >>> 0);
}

/** Non-negative remainder of a by m (m > 0). */
function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

function modBig(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Window parameters in the time column's unit (a multiple of it, checked by the analyzer). */
export interface WindowSpec {
  readonly duration: number;
  readonly slide: number;
  readonly start: number;
}

/** Converts microsecond window literals to the unit of `time` (ms or us). */
export function windowSpecIn(time: DataType, durationUs: bigint, slideUs: bigint, startUs: bigint): WindowSpec {
  const f = time.kind === 'timestamp' && time.unit === 'ms' ? 1000n : 1n;
  return { duration: Number(durationUs / f), slide: Number(slideUs / f), start: Number(startUs / f) };
}

/**
 * Start of the latest window containing time t: `t - ((t - start) mod slide)`, the mod made
 * non-negative so negative times align the same way (Spark's rule).
 */
export function lastWindowStart(t: number, spec: WindowSpec): number {
  return t - mod(t - spec.start, spec.slide);
}

/**
 * Builds the window struct vector of `times`: row r gets window `lastStart - index * slide`,
 * `[start, start + duration)`; rows whose time is null, and (when `dropUncontained`) rows the
 * window does not contain, are null.
 */
export function windowVector(times: ColumnVector, type: DataType, spec: WindowSpec, index: number, dropUncontained: boolean): ColumnVector {
  const n = times.length;
  const src = times.values as BigInt64Array;
  const th = new Int32Array(src.buffer, src.byteOffset, n * 2);
  const starts = new BigInt64Array(n);
  const ends = new BigInt64Array(n);
  const sh = new Int32Array(starts.buffer);
  const eh = new Int32Array(ends.buffer);
  const tv = times.validity;
  let validity: Uint8Array | null = tv === null ? null : tv.slice(0, n);
  const markNull = (r: number): void => {
    if (validity === null) validity = new Uint8Array(n).fill(1);
    validity[r] = 0;
  };
  const offset = index * spec.slide;
  // Times arrive roughly in order: a time inside the previous row's slide bucket [lo, lo + slide)
  // has the same latest window start, which skips the (slow, floating-point) remainder.
  let bucketLo = 1;
  let bucketHi = 0;
  for (let r = 0; r < n; r++) {
    if (tv !== null && tv[r] === 0) continue;
    const t = readInt64(th, r);
    if (t > -SAFE && t < SAFE) {
      if (t < bucketLo || t >= bucketHi) {
        bucketLo = t - mod(t - spec.start, spec.slide);
        bucketHi = bucketLo + spec.slide;
      }
      const s = bucketLo - offset;
      const e = s + spec.duration;
      if (dropUncontained && t >= e) {
        markNull(r);
        continue;
      }
      writeInt64(sh, r, s);
      writeInt64(eh, r, e);
    } else {
      const tb = src[r] as bigint;
      const s = tb - modBig(tb - BigInt(spec.start), BigInt(spec.slide)) - BigInt(offset);
      const e = s + BigInt(spec.duration);
      if (dropUncontained && tb >= e) {
        markNull(r);
        continue;
      }
      starts[r] = s;
      ends[r] = e;
    }
  }
  const ft = type.kind === 'struct' ? type.fields : [];
  const child = (k: number, values: BigInt64Array): ColumnVector => ({ type: (ft[k] as { type: DataType }).type, length: n, validity, values });
  return { type, length: n, validity, values: new Uint8Array(0), children: [child(0, starts), child(1, ends)] };
}

function bigintArg(o: Operand | undefined): bigint {
  if (o === undefined || o.kind !== 'lit' || typeof o.value !== 'bigint') throw internalError('window() needs int64 literal durations');
  return o.value;
}

/** Compiles a struct or window call over compiled operands; `type` is the analyzed result type. */
export function compileStructCall(fn: ScalarFunctionName, args: readonly Operand[], type: DataType): CompiledExpr {
  switch (fn) {
    case 'struct':
      return (b) => ({ type, length: b.numRows, validity: null, values: new Uint8Array(0), children: args.map((a) => operandVector(a, b)) });
    case 'getField': {
      const s = args[0] as Operand;
      const name = (args[1] as Operand).kind === 'lit' ? ((args[1] as Operand & { kind: 'lit' }).value as string) : '';
      const k = s.type.kind === 'struct' ? s.type.fields.findIndex((f) => f.name === name) : -1;
      if (k < 0) throw internalError(`getField: no field '${name}'`);
      return (b) => {
        const v = operandVector(s, b);
        const c = (v.children as readonly ColumnVector[])[k] as ColumnVector;
        if (v.validity === null) return c;
        return { ...c, validity: andValidity(v.validity, c.validity, v.length) };
      };
    }
    case 'windowTime': {
      const w = args[0] as Operand;
      const k = w.type.kind === 'struct' ? w.type.fields.findIndex((f) => f.name === 'end') : -1;
      const endType = w.type.kind === 'struct' ? w.type.fields[k]?.type : undefined;
      const f = endType?.kind === 'timestamp' && endType.unit === 'ms' ? 1000n : 1n;
      return (b) => {
        const v = operandVector(w, b);
        const end = (v.children as readonly ColumnVector[])[k] as ColumnVector;
        const n = v.length;
        const src = end.values as BigInt64Array;
        const out = new BigInt64Array(n);
        for (let r = 0; r < n; r++) out[r] = (src[r] as bigint) * f - 1n;
        return { type, length: n, validity: andValidity(v.validity, end.validity, n), values: out };
      };
    }
    case 'window': {
      const t = args[0] as Operand;
      const spec = windowSpecIn(t.type, bigintArg(args[1]), bigintArg(args[2]), bigintArg(args[3]));
      const indexArg = args[4];
      if (indexArg === undefined && spec.slide !== spec.duration)
        throw internalError('a sliding window() reached evaluation; the plan builder or planner must expand it into one row per window');
      const index = indexArg?.kind === 'lit' ? Number(indexArg.value) : 0;
      return (b) => windowVector(operandVector(t, b), type, spec, index, indexArg !== undefined);
    }
    case 'session_window':
      throw new SluiceError(
        'UNSUPPORTED',
        "sessionWindow() can only be used as a grouping key: df.groupBy(sessionWindow(col('t'), '5 minutes'), ...).agg(...). A session depends on the other rows of its key, so it is not a per-row value.",
      );
    default:
      throw internalError(`compileStructCall got ${fn}`);
  }
}
