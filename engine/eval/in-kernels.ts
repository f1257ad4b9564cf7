import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { int64At, int64Halves, SAFE_LIMIT } from '../../common/int64.js';
import { bytesEqual, encodeUtf8 } from '../../common/utf8.js';
import type { LiteralValue } from '../../dataframe/expr/expr.js';
import { booleanVector, nullVector } from './eval-vectors.js';
import type { CompiledExpr } from './operand.js';
import type { BytesTest } from './utf8-lut.js';
import { utf8Predicate } from './utf8-lut.js';

/**
 * `x IN (literals...)` with SQL null semantics: true on a match; otherwise null when x is
 * null or the list holds a null; else false. Doubles match NaN to NaN and 0.0 to -0.0
 * (Set semantics, which are Spark's for IN).
 */

/** A compiled membership test over a vector: 1/0 per row (null rows unspecified). */
export type MembershipTest = (v: ColumnVector) => Uint8Array;

/** The byte test of membership in a list of strings, with its cache key for dictionary lookups. */
export function utf8Membership(values: readonly string[]): { key: string; test: BytesTest } {
  const lits = values.map((s) => encodeUtf8(s));
  const key = `in${lits.map((b) => Array.from(b).join(',')).join('|')}`;
  const test = (bytes: Uint8Array, s: number, e: number): boolean => {
    for (const lit of lits) if (bytesEqual(bytes, s, e, lit, 0, lit.length)) return true;
    return false;
  };
  return { key, test };
}

/** Builds the membership test for non-null literal `values` of `type`. */
export function membershipTest(values: readonly LiteralValue[], type: DataType): MembershipTest {
  if (type.kind === 'utf8') {
    const { key, test } = utf8Membership(values as readonly string[]);
    return (v) => utf8Predicate(v, key, test).values as Uint8Array;
  }
  if (type.kind === 'int64' || type.kind === 'timestamp' || type.kind === 'decimal') {
    const big = new Set(values as bigint[]);
    const small = new Set((values as bigint[]).filter((x) => x >= -BigInt(SAFE_LIMIT) && x <= BigInt(SAFE_LIMIT)).map(Number));
    return (v) => {
      const a = v.values as BigInt64Array;
      const h = int64Halves(a);
      const out = new Uint8Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = int64At(h, i);
        out[i] = (Math.abs(x) <= SAFE_LIMIT ? small.has(x) : big.has(a[i] as bigint)) ? 1 : 0;
      }
      return out;
    };
  }
  const set = new Set((values as (number | boolean)[]).map((x) => (typeof x === 'boolean' ? (x ? 1 : 0) : x)));
  return (v) => {
    const a = v.values as ArrayLike<number>;
    const out = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = set.has(a[i] as number) ? 1 : 0;
    return out;
  };
}

/** Compiles `child IN (values)`; `values` are the literal list (nulls allowed). */
export function compileIn(child: CompiledExpr, values: readonly LiteralValue[], type: DataType): CompiledExpr {
  const nonNull = values.filter((x) => x !== null);
  const listHasNull = nonNull.length < values.length;
  const test = membershipTest(nonNull, type);
  return (batch) => {
    const v = child(batch);
    const n = batch.numRows;
    if (type.kind === 'null') return nullVector({ kind: 'boolean' }, n);
    const hit = test(v);
    if (!listHasNull) return booleanVector(hit, v.validity);
    const valid = new Uint8Array(n);
    const m = v.validity;
    for (let i = 0; i < n; i++) valid[i] = (m === null ? 1 : (m[i] as number)) & (hit[i] as number);
    return booleanVector(hit, valid);
  };
}
