import type { ColumnVector } from './column-vector.js';
import { isNullAt } from './column-vector.js';
import { formatDecimal } from './decimal.js';
import { decodeUtf8 } from './utf8.js';
import type { JsValue } from './vector-from-values.js';

/**
 * Row `i` of a vector as a JS value: boolean, number (int32, double), bigint (int64),
 * string (also a decimal, as its exact text such as `12.30`), Date (timestamp and date; microseconds are truncated to milliseconds), array
 * (list), Uint8Array (binary), plain object (struct, one property per field), Map (map) or null. For display and `toArray()`, never in a hot loop.
 */
export function valueAt(v: ColumnVector, i: number): JsValue {
  if (isNullAt(v, i)) return null;
  switch (v.type.kind) {
    case 'null':
      return null;
    case 'boolean':
      return (v.values as Uint8Array)[i] === 1;
    case 'int32':
    case 'float64':
      return (v.values as Int32Array | Float64Array)[i] as number;
    case 'date':
      return new Date(((v.values as Int32Array)[i] as number) * 86400000);
    case 'int64':
      return (v.values as BigInt64Array)[i] as bigint;
    case 'decimal':
      return formatDecimal((v.values as BigInt64Array)[i] as bigint, v.type.scale);
    case 'timestamp': {
      const raw = (v.values as BigInt64Array)[i] as bigint;
      return new Date(Number(v.type.unit === 'us' ? raw / 1000n - (raw % 1000n < 0n ? 1n : 0n) : raw));
    }
    case 'utf8': {
      if (v.dictionary) return valueAt(v.dictionary, (v.values as Int32Array)[i] as number);
      const o = v.offsets as Int32Array;
      return decodeUtf8(v.values as Uint8Array, o[i] as number, o[i + 1] as number);
    }
    case 'binary': {
      const o = v.offsets as Int32Array;
      return (v.values as Uint8Array).slice(o[i] as number, o[i + 1] as number);
    }
    case 'list': {
      const o = v.offsets as Int32Array;
      const child = v.child as ColumnVector;
      const out: JsValue[] = [];
      for (let k = o[i] as number; k < (o[i + 1] as number); k++) out.push(valueAt(child, k));
      return out;
    }
    case 'map': {
      const o = v.offsets as Int32Array;
      const [keys, vals] = (v.child as ColumnVector).children as readonly ColumnVector[];
      const out = new Map<JsValue, JsValue>();
      for (let k = o[i] as number; k < (o[i + 1] as number); k++) out.set(valueAt(keys as ColumnVector, k), valueAt(vals as ColumnVector, k));
      return out;
    }
    case 'struct': {
      const out: { [name: string]: JsValue } = {};
      const children = v.children as readonly ColumnVector[];
      v.type.fields.forEach((f, k) => {
        out[f.name] = valueAt(children[k] as ColumnVector, i);
      });
      return out;
    }
  }
}
