import type { DataType } from './data-type.js';
import { mapEntryType, typeName, types } from './data-type.js';
import { decimalFromDouble, fitsPrecision, parseDecimal, pow10 } from './decimal.js';
import type { ColumnVector } from './column-vector.js';
import { encodeUtf8 } from './utf8.js';
import { describeValue } from './describe-value.js';
import { invalidArgument } from './errors.js';

/** A JS value as accepted by {@link vectorFromValues} and returned by `valueAt`; a struct row is a plain object. */
export type JsValue = null | undefined | boolean | number | bigint | string | Date | Uint8Array | readonly JsValue[] | JsStruct | JsMap;

/** A map row: a JS Map (or, for string keys, a plain object when building vectors). */
export type JsMap = ReadonlyMap<JsValue, JsValue>;

/** A struct row as a plain object, one property per field. */
export interface JsStruct {
  readonly [field: string]: JsValue;
}

const MS_PER_DAY = 86400000;

function toBigInt(v: JsValue, type: DataType, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (v instanceof Date && type.kind === 'timestamp') return BigInt(v.getTime()) * (type.unit === 'us' ? 1000n : 1n);
  if (typeof v === 'string' && type.kind === 'timestamp') {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return BigInt(ms) * (type.unit === 'us' ? 1000n : 1n);
  }
  throw invalidArgument(
    `Cannot store ${describe(v)} in ${what} of type ${type.kind}. Give an integer, bigint${type.kind === 'timestamp' ? ', Date or ISO string' : ''}.`,
  );
}

const describe = describeValue;

/** Builds a vector of `type` from JS values (null and undefined become nulls). */
export function vectorFromValues(type: DataType, values: readonly JsValue[], what = 'column'): ColumnVector {
  const n = values.length;
  let validity: Uint8Array | null = null;
  const markNull = (i: number): void => {
    if (validity === null) validity = new Uint8Array(n).fill(1);
    validity[i] = 0;
  };
  switch (type.kind) {
    case 'null':
      return { type, length: n, validity: null, values: new Uint8Array(0) };
    case 'boolean': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) markNull(i);
        else if (typeof v === 'boolean') out[i] = v ? 1 : 0;
        else throw invalidArgument(`Cannot store ${describe(v)} in boolean ${what}.`);
      }
      return { type, length: n, validity, values: out };
    }
    case 'int32':
    case 'date': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) markNull(i);
        else if (typeof v === 'number' && Number.isInteger(v)) out[i] = v;
        else if (typeof v === 'bigint') out[i] = Number(v);
        else if (type.kind === 'date' && v instanceof Date) out[i] = Math.floor(v.getTime() / MS_PER_DAY);
        else if (type.kind === 'date' && typeof v === 'string' && !Number.isNaN(Date.parse(v))) out[i] = Math.floor(Date.parse(v) / MS_PER_DAY);
        else throw invalidArgument(`Cannot store ${describe(v)} in ${type.kind} ${what}.`);
      }
      return { type, length: n, validity, values: out };
    }
    case 'int64':
    case 'timestamp': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) markNull(i);
        else out[i] = toBigInt(v, type, what);
      }
      return { type, length: n, validity, values: out };
    }
    case 'decimal': {
      // Decimal values: text ('12.30') or numbers are parsed (half-up to the scale); a bigint is an integer value.
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) {
          markNull(i);
          continue;
        }
        const x =
          typeof v === 'bigint'
            ? fitsPrecision(v * pow10(type.scale), type.precision)
              ? v * pow10(type.scale)
              : null
            : typeof v === 'number'
              ? decimalFromDouble(v, type.precision, type.scale)
              : typeof v === 'string'
                ? parseDecimal(v, type.precision, type.scale)
                : undefined;
        if (x === undefined)
          throw invalidArgument(`Cannot store ${describe(v)} in ${typeName(type)} ${what}. Give a decimal string ('12.30'), a number or a bigint.`);
        if (x === null)
          throw invalidArgument(
            `Cannot store ${describe(v)} in ${typeName(type)} ${what}: it is not a number or needs more than ${type.precision} digits. Widen the decimal type.`,
          );
        out[i] = x;
      }
      return { type, length: n, validity, values: out };
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) markNull(i);
        else if (typeof v === 'number') out[i] = v;
        else if (typeof v === 'bigint') out[i] = Number(v);
        else throw invalidArgument(`Cannot store ${describe(v)} in double ${what}.`);
      }
      return { type, length: n, validity, values: out };
    }
    case 'utf8':
    case 'binary': {
      const offsets = new Int32Array(n + 1);
      const parts: Uint8Array[] = [];
      let total = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) markNull(i);
        else if (typeof v === 'object' && !(v instanceof Date) && !(v instanceof Uint8Array))
          throw invalidArgument(`Cannot store ${describe(v)} in string ${what}. Give a string (or a number or boolean, stored as its text).`);
        else {
          const b = v instanceof Uint8Array ? v : encodeUtf8(typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : String(v));
          parts.push(b);
          total += b.length;
        }
        offsets[i + 1] = total;
      }
      const bytes = new Uint8Array(total);
      let pos = 0;
      for (const p of parts) {
        bytes.set(p, pos);
        pos += p.length;
      }
      return { type, length: n, validity, values: bytes, offsets };
    }
    case 'list': {
      const offsets = new Int32Array(n + 1);
      const flat: JsValue[] = [];
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) markNull(i);
        else if (Array.isArray(v)) flat.push(...(v as JsValue[]));
        else throw invalidArgument(`Cannot store ${describe(v)} in array ${what}.`);
        offsets[i + 1] = flat.length;
      }
      return { type, length: n, validity, values: new Uint8Array(0), offsets, child: vectorFromValues(type.element, flat, what) };
    }
    case 'map': {
      const offsets = new Int32Array(n + 1);
      const keys: JsValue[] = [];
      const vals: JsValue[] = [];
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) markNull(i);
        else if (v instanceof Map || (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array))) {
          const entries = v instanceof Map ? v.entries() : Object.entries(v as JsStruct);
          for (const [k, x] of entries) {
            keys.push(k as JsValue);
            vals.push(x as JsValue);
          }
        } else throw invalidArgument(`Cannot store ${describe(v)} in map ${what}; give a Map or an object.`);
        offsets[i + 1] = keys.length;
      }
      if (keys.some((k) => k === null || k === undefined)) throw invalidArgument(`Cannot store a null map key in ${what}: map keys are never null.`);
      const entries = mapEntryType(type);
      const child: ColumnVector = {
        type: entries,
        length: keys.length,
        validity: null,
        values: new Uint8Array(0),
        children: [vectorFromValues(type.key, keys, `${what} key`), vectorFromValues(type.value, vals, `${what} value`)],
      };
      return { type, length: n, validity, values: new Uint8Array(0), offsets, child };
    }
    case 'struct': {
      const columns: JsValue[][] = type.fields.map(() => new Array<JsValue>(n).fill(null));
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) markNull(i);
        else if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
          const o = v as JsStruct;
          type.fields.forEach((f, k) => {
            (columns[k] as JsValue[])[i] = o[f.name] ?? null;
          });
        } else throw invalidArgument(`Cannot store ${describe(v)} in struct ${what}; give an object with fields ${type.fields.map((f) => f.name).join(', ')}.`);
      }
      const children = type.fields.map((f, k) => vectorFromValues(f.type, columns[k] as JsValue[], `${what}.${f.name}`));
      return { type, length: n, validity, values: new Uint8Array(0), children };
    }
  }
}

/** Infers a type from JS values: integers -> int64, other numbers -> double, Date -> timestamp[ms]... */
export function inferTypeOfValues(values: readonly JsValue[], what = 'column'): DataType {
  let seen: DataType | null = null;
  let allInt = true;
  // List rows are typed together: the element type is inferred over every row's elements.
  const elements: JsValue[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    let t: DataType;
    if (typeof v === 'boolean') t = types.boolean;
    else if (typeof v === 'bigint') t = types.int64;
    else if (typeof v === 'number') {
      if (!Number.isInteger(v)) allInt = false;
      t = types.int64;
    } else if (typeof v === 'string') t = types.utf8;
    else if (v instanceof Date) t = types.timestamp('ms');
    else if (Array.isArray(v)) {
      elements.push(...(v as JsValue[]));
      t = types.list(types.null);
    } else throw invalidArgument(`Cannot infer a type for ${describe(v)} in ${what}. Pass a schema.`);
    if (seen === null) seen = t;
    else if (seen.kind !== t.kind) throw invalidArgument(`Mixed types in ${what}: ${seen.kind} and ${t.kind}. Pass a schema.`);
  }
  if (seen === null) return types.utf8;
  if (seen.kind === 'list') return types.list(inferTypeOfValues(elements, what));
  if (seen.kind === 'int64' && !allInt && !values.some((v) => typeof v === 'bigint')) return types.float64;
  return seen;
}
