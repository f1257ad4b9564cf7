import type { ColumnVector } from '../../common/column-vector.js';
import { isNullAt } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { formatDecimal } from '../../common/decimal.js';
import { decodeUtf8 } from '../../common/utf8.js';
import { formatDouble } from '../../dataframe/format-value.js';
import { formatDate, splitMicros } from '../../dataframe/expr/datetime-text.js';

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/**
 * Spark's default `timestampFormat` of the CSV and JSON writers, `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`,
 * in UTC (Sluice's session time zone): `2024-01-31T10:00:00.123Z`. Microseconds below the
 * millisecond are cut, as Spark's pattern does.
 */
export function formatTextTimestamp(micros: bigint): string {
  const [days, tod] = splitMicros(micros);
  const secs = Math.floor(tod / 1e6);
  const ms = Math.floor((tod - secs * 1e6) / 1000);
  return `${formatDate(days)}T${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}.${pad(ms, 3)}Z`;
}

/** The value of row `i` of a timestamp vector in microseconds. */
function micros(v: ColumnVector, i: number): bigint {
  const raw = (v.values as BigInt64Array)[i] as bigint;
  return v.type.kind === 'timestamp' && v.type.unit === 'ms' ? raw * 1000n : raw;
}

/** Custom formats of dates and timestamps (`dateFormat`, `timestampFormat`); absent ones use Spark's defaults. */
export interface DateTimeFormats {
  readonly date?: (days: number) => string;
  readonly timestamp?: (micros: bigint) => string;
}

/** True for the types the CSV writer can put in a cell (Spark's CSV refuses arrays, structs, maps and binary). */
export function isCsvWritableType(t: DataType): boolean {
  return t.kind !== 'list' && t.kind !== 'struct' && t.kind !== 'map' && t.kind !== 'binary';
}

/**
 * The text of row `i` of `v` as Spark's CSV and JSON writers print scalars, or null for a
 * null: booleans `true`/`false`, integers in decimal, doubles as Java prints them (`1.0`,
 * `1.0E10`, `NaN`), dates `yyyy-MM-dd`, timestamps by {@link formatTextTimestamp} (or by
 * `formats`), binary
 * as base64 (Spark's JSON writer; the CSV writer refuses binary). Lists and structs are not
 * scalars (see the JSON writer).
 */
export function scalarText(v: ColumnVector, i: number, formats: DateTimeFormats = {}): string | null {
  if (isNullAt(v, i)) return null;
  switch (v.type.kind) {
    case 'null':
      return null;
    case 'boolean':
      return (v.values as Uint8Array)[i] === 1 ? 'true' : 'false';
    case 'int32':
      return String((v.values as Int32Array)[i]);
    case 'int64':
      return String((v.values as BigInt64Array)[i]);
    case 'decimal':
      return formatDecimal((v.values as BigInt64Array)[i] as bigint, v.type.scale);
    case 'float64':
      return formatDouble((v.values as Float64Array)[i] as number);
    case 'date':
      return (formats.date ?? formatDate)((v.values as Int32Array)[i] as number);
    case 'timestamp':
      return (formats.timestamp ?? formatTextTimestamp)(micros(v, i));
    case 'utf8': {
      if (v.dictionary) return scalarText(v.dictionary, (v.values as Int32Array)[i] as number);
      const o = v.offsets as Int32Array;
      return decodeUtf8(v.values as Uint8Array, o[i] as number, o[i + 1] as number);
    }
    case 'binary': {
      const o = v.offsets as Int32Array;
      return Buffer.from((v.values as Uint8Array).subarray(o[i] as number, o[i + 1] as number)).toString('base64');
    }
    default:
      throw new Error(`internal: scalarText of ${v.type.kind}`);
  }
}
