import type { DataType, StructField } from './data-type.js';
import type { JsValue } from './vector-from-values.js';

const MS_PER_DAY = 86_400_000;

/**
 * A parsed JSON value (`JSON.parse` output) as a value of `type` for `vectorFromValues`,
 * or null when it does not fit (the field becomes null): numbers must fit the integer
 * types, strings take any scalar (objects and arrays as their JSON text), timestamps and
 * dates come from ISO strings (timestamps also from epoch milliseconds), arrays and
 * objects fill list and struct types field by field.
 */
export function fitJsonValue(v: unknown, type: DataType): JsValue {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : null;
    case 'int64':
      return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
    case 'float64':
      return typeof v === 'number' ? v : null;
    case 'utf8':
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'timestamp': {
      const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : Number.NaN;
      return Number.isFinite(ms) ? new Date(ms) : null;
    }
    case 'date': {
      const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
      return Number.isFinite(ms) ? new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY) : null;
    }
    case 'list':
      return Array.isArray(v) ? v.map((x) => fitJsonValue(x, type.element)) : null;
    case 'struct':
      return typeof v === 'object' && !Array.isArray(v) ? fitJsonStruct(v as Record<string, unknown>, type.fields) : null;
    default:
      return null;
  }
}

function fitJsonStruct(o: Record<string, unknown>, fields: readonly StructField[]): JsValue {
  const out: Record<string, JsValue> = {};
  for (const f of fields) out[f.name] = fitJsonValue(o[f.name], f.type);
  return out;
}
