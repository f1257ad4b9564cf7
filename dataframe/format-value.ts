import type { DataType } from '../common/data-type.js';
import type { JsStruct, JsValue } from '../common/vector-from-values.js';

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Formats epoch milliseconds plus extra microseconds as Spark shows timestamps: `2024-01-01 00:00:05.123`. */
export function formatTimestamp(ms: number, micros = 0): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = d.getUTCMilliseconds() * 1000 + micros;
  if (frac === 0) return base;
  return `${base}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}

/** Formats a double as Spark/Java print it: `1.0`, `0.1`, `1.0E10`, `NaN`, `Infinity`. */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e7 || a < 1e-3)) {
    const [m, e] = x.toExponential().split('e') as [string, string];
    return `${m.includes('.') ? m : `${m}.0`}E${Number(e)}`;
  }
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** Formats one value for `show()`. */
export function formatValue(v: JsValue, type: DataType): string {
  if (v === null || v === undefined) return 'NULL';
  switch (type.kind) {
    case 'float64':
      return formatDouble(v as number);
    case 'timestamp':
      return formatTimestamp((v as Date).getTime());
    case 'date': {
      const d = v as Date;
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    }
    case 'binary':
      // Spark shows binary as hex bytes in brackets: [48 69].
      return `[${Array.from(v as Uint8Array, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')}]`;
    case 'list':
      return `[${(v as JsValue[]).map((x) => formatValue(x, type.element)).join(', ')}]`;
    case 'map':
      // Spark shows a map as {k1 -> v1, k2 -> v2}.
      return `{${Array.from(v as ReadonlyMap<JsValue, JsValue>, ([k, x]) => `${formatValue(k, type.key)} -> ${formatValue(x, type.value)}`).join(', ')}}`;
    case 'struct': {
      const o = v as JsStruct;
      return `{${type.fields.map((f) => formatValue(o[f.name] ?? null, f.type)).join(', ')}}`;
    }
    default:
      return String(v);
  }
}
