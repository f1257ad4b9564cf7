import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { encodeUtf8 } from '../../common/utf8.js';
import type { LiteralValue, ScalarFunctionName } from '../../dataframe/expr/expr.js';
import { scalarCallValue } from '../../dataframe/expr/scalar-call-value.js';
import { compileLike } from '../../dataframe/expr/string-semantics.js';
import { booleanVector, mapDictionary, mapRows, nullVector } from './eval-vectors.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';
import type { BytesTest } from './utf8-lut.js';
import { bytesContain, bytesEndWith, bytesStartWith, utf8Predicate } from './utf8-lut.js';

/**
 * String kernels. A function of one string column and literal arguments runs once per
 * dictionary entry on dictionary-encoded input (string results stay dictionary-encoded).
 * LIKE and startsWith/endsWith/contains with a literal test bytes directly (LIKE patterns
 * that are a plain prefix, suffix or infix too); the rest decode row by row and share
 * per-value semantics with constant folding.
 */

/** Functions this file compiles. */
export const STRING_FUNCTIONS: ReadonlySet<ScalarFunctionName> = new Set([
  'lower',
  'upper',
  'trim',
  'length',
  'substring',
  'concat',
  'like',
  'startsWith',
  'endsWith',
  'contains',
]);

function utf8Length(v: ColumnVector): ColumnVector {
  const n = v.length;
  const o = v.offsets as Int32Array;
  const b = v.values as Uint8Array;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let k = o[i] as number; k < (o[i + 1] as number); k++) c += ((b[k] as number) & 0xc0) !== 0x80 ? 1 : 0;
    out[i] = c;
  }
  return { type: types.int32, length: n, validity: v.validity, values: out };
}

function literalBytesTest(fn: ScalarFunctionName, lit: string): { key: string; test: BytesTest } | null {
  if (fn === 'like') {
    const m = compileLike(lit);
    const b = encodeUtf8(m.literal);
    switch (m.shape) {
      case 'exact':
        return { key: `like=${lit}`, test: (x, s, e) => e - s === b.length && bytesStartWith(x, s, e, b) };
      case 'prefix':
        return { key: `like^${lit}`, test: (x, s, e) => bytesStartWith(x, s, e, b) };
      case 'suffix':
        return { key: `like$${lit}`, test: (x, s, e) => bytesEndWith(x, s, e, b) };
      case 'contains':
        return { key: `like*${lit}`, test: (x, s, e) => bytesContain(x, s, e, b) };
      default:
        return null;
    }
  }
  const b = encodeUtf8(lit);
  if (fn === 'startsWith') return { key: `sw${lit}`, test: (x, s, e) => bytesStartWith(x, s, e, b) };
  if (fn === 'endsWith') return { key: `ew${lit}`, test: (x, s, e) => bytesEndWith(x, s, e, b) };
  if (fn === 'contains') return { key: `ct${lit}`, test: (x, s, e) => bytesContain(x, s, e, b) };
  return null;
}

/** Compiles a string function call over analyzed operands. */
export function compileStringCall(fn: ScalarFunctionName, args: readonly Operand[]): CompiledExpr {
  const outType = fn === 'length' ? types.int32 : fn === 'like' || fn === 'startsWith' || fn === 'endsWith' || fn === 'contains' ? types.boolean : types.utf8;
  const first = args[0] as Operand;
  const rest = args.slice(1);
  const restLits = rest.every((a) => a.kind === 'lit');
  if (restLits && rest.some((a) => a.kind === 'lit' && a.value === null)) return (b) => nullVector(outType, b.numRows);
  const litVals: LiteralValue[] = rest.map((a) => (a.kind === 'lit' ? a.value : null));
  const types_ = args.map((a) => a.type);
  const perValue = (vals: LiteralValue[]): LiteralValue => scalarCallValue(fn, vals, types_);
  if (first.kind === 'vec' && restLits && fn !== 'concat') {
    const bytesTest = rest.length === 1 ? literalBytesTest(fn, litVals[0] as string) : null;
    const onPlain = (v: ColumnVector): ColumnVector => {
      if (fn === 'length') return utf8Length(v);
      return mapRows(outType, [v], v.length, (vals) => perValue([vals[0] ?? null, ...litVals]));
    };
    return (batch) => {
      const v = first.eval(batch);
      if (v.type.kind === 'null') return nullVector(outType, batch.numRows);
      if (bytesTest !== null) return utf8Predicate(v, bytesTest.key, bytesTest.test);
      if (v.dictionary) return mapDictionary(v, outType, onPlain);
      return onPlain(v);
    };
  }
  return (batch) => {
    const vs = args.map((a) => operandVector(a, batch));
    const r = mapRows(outType, vs, batch.numRows, perValue);
    return outType.kind === 'boolean' ? booleanVector(r.values as Uint8Array, r.validity) : r;
  };
}
