import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { isNullAt } from '../../common/column-vector.js';
import type { Schema } from '../../common/schema.js';
import { decodeDictionary } from '../../common/vector-concat.js';
import { scalarText } from './text-cells.js';
import type { CsvWriteOptions, JsonWriteOptions } from './text-write-options.js';

const encoder = new TextEncoder();

/** Drops leading characters up to U+0020 (spaces and control characters), as univocity's whitespace trimming does. */
function trimStartControl(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) <= 32) i++;
  return i === 0 ? s : s.slice(i);
}

/** Drops trailing characters up to U+0020. */
function trimEndControl(s: string): string {
  let j = s.length;
  while (j > 0 && s.charCodeAt(j - 1) <= 32) j--;
  return j === s.length ? s : s.slice(0, j);
}

/** Spark's (univocity's) rule for a CSV value: trimmed, then quoted when it holds a separator, quote or line break. */
function csvCell(text: string, o: CsvWriteOptions): string {
  let s = text;
  if (o.trimLeading) s = trimStartControl(s);
  if (o.trimTrailing) s = trimEndControl(s);
  if (s === '') return o.emptyValue;
  const hasQuote = s.includes(o.quote);
  if (o.quoteAll || s.includes(o.sep) || s.includes('\n') || s.includes('\r') || (hasQuote && o.escapeQuotes)) {
    const body = hasQuote ? s.split(o.quote).join(`${o.escape}${o.quote}`) : s;
    return `${o.quote}${body}${o.quote}`;
  }
  return s;
}

/**
 * Encodes batches as CSV text (Spark's CSV writer): one line per row, `\n` line ends, the
 * header line first when `header` is set; nulls as `nullValue` (default: nothing), empty
 * strings as `emptyValue` (default `""`); values with the separator, the quote or a line
 * break quoted, quotes inside escaped with `escape`. The caller checked the column types
 * (no lists, structs or binary).
 */
export function encodeCsv(schema: Schema, batches: readonly ColumnarBatch[], o: CsvWriteOptions): Uint8Array {
  const lines: string[] = [];
  if (o.header) lines.push(schema.fields.map((f) => csvCell(f.name, o)).join(o.sep));
  for (const b of batches) {
    const cols = b.columns.map(decodeDictionary);
    const cells = cols.map((c) => {
      const out = new Array<string>(b.numRows);
      for (let i = 0; i < b.numRows; i++) {
        const t = scalarText(c, i, o.formats);
        out[i] = t === null ? o.nullValue : csvCell(t, o);
      }
      return out;
    });
    for (let i = 0; i < b.numRows; i++) {
      let line = '';
      for (let k = 0; k < cells.length; k++) line += (k > 0 ? o.sep : '') + (cells[k] as string[])[i];
      lines.push(line);
    }
  }
  return encoder.encode(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

/** JSON text of row `i` of `v`, or null for a null (left out of objects when `ignoreNullFields`). */
function jsonValue(v: ColumnVector, i: number, o: JsonWriteOptions): string | null {
  if (isNullAt(v, i)) return null;
  switch (v.type.kind) {
    case 'boolean':
    case 'int32':
    case 'int64':
    case 'decimal':
      return scalarText(v, i);
    case 'float64': {
      const x = (v.values as Float64Array)[i] as number;
      const t = scalarText(v, i) as string;
      // Spark (Jackson) writes NaN and the infinities as strings; every other double as Java prints it.
      return Number.isFinite(x) ? t : JSON.stringify(t);
    }
    case 'list': {
      const off = v.offsets as Int32Array;
      const child = v.child as ColumnVector;
      const items: string[] = [];
      for (let k = off[i] as number; k < (off[i + 1] as number); k++) items.push(jsonValue(child, k, o) ?? 'null');
      return `[${items.join(',')}]`;
    }
    case 'struct':
      return jsonObject(v.type.fields, v.children as readonly ColumnVector[], i, o);
    case 'map': {
      // Spark writes a map as a JSON object, its keys as text; a null value is kept as null.
      const off = v.offsets as Int32Array;
      const [keys, vals] = (v.child as ColumnVector).children as readonly ColumnVector[];
      const items: string[] = [];
      for (let k = off[i] as number; k < (off[i + 1] as number); k++) {
        const key = jsonValue(keys as ColumnVector, k, o);
        const keyText = key?.startsWith('"') ? key : JSON.stringify(key ?? 'null');
        items.push(`${keyText}:${jsonValue(vals as ColumnVector, k, o) ?? 'null'}`);
      }
      return `{${items.join(',')}}`;
    }
    default: {
      const t = scalarText(v, i, o.formats);
      return t === null ? null : JSON.stringify(t);
    }
  }
}

function jsonObject(fields: readonly { readonly name: string }[], cols: readonly ColumnVector[], i: number, o: JsonWriteOptions): string {
  let s = '{';
  let first = true;
  for (let k = 0; k < fields.length; k++) {
    const val = jsonValue(cols[k] as ColumnVector, i, o);
    if (val === null && o.ignoreNullFields) continue;
    s += `${first ? '' : ','}${JSON.stringify((fields[k] as { name: string }).name)}:${val ?? 'null'}`;
    first = false;
  }
  return `${s}}`;
}

/**
 * Encodes batches as JSON lines (Spark's JSON writer): one object per row, fields in
 * schema order, null fields left out unless `ignoreNullFields` is false; numbers as JSON
 * numbers (doubles as Java prints them, NaN and infinities as strings), dates, timestamps
 * and strings as JSON strings, binary as base64, lists as arrays, structs and maps as objects.
 */
export function encodeJson(schema: Schema, batches: readonly ColumnarBatch[], o: JsonWriteOptions): Uint8Array {
  const lines: string[] = [];
  for (const b of batches) {
    const cols = b.columns.map(decodeDictionary);
    for (let i = 0; i < b.numRows; i++) lines.push(jsonObject(schema.fields, cols, i, o));
  }
  return encoder.encode(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}
