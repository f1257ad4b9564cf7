import type { DataType, StructField } from '../../common/data-type.js';
import { types, typeEquals } from '../../common/data-type.js';
import { hasTimePart, parseBoolean, parseDateDays, parseFloat64, parseInt32, parseInt64, parseTimestampMicros } from './text-value-parse.js';

/** The timestamp type text inference produces (Spark keeps microseconds). */
export const INFERRED_TIMESTAMP = types.timestamp('us');

const NUMERIC_RANK: Record<string, number> = { int32: 1, int64: 2, float64: 3 };

/**
 * Merges two inferred types, Spark-like: int32 < int64 < double; date < timestamp; a list
 * merges its elements; structs merge field by field (the union of the fields, sorted by
 * name); anything else that disagrees becomes string. `null` means "no value seen".
 */
export function mergeInferred(a: DataType | null, b: DataType | null): DataType | null {
  if (a === null) return b;
  if (b === null) return a;
  if (typeEquals(a, b)) return a;
  const ra = NUMERIC_RANK[a.kind];
  const rb = NUMERIC_RANK[b.kind];
  if (ra !== undefined && rb !== undefined) return ra >= rb ? a : b;
  if ((a.kind === 'date' && b.kind === 'timestamp') || (a.kind === 'timestamp' && b.kind === 'date')) return INFERRED_TIMESTAMP;
  if (a.kind === 'list' && b.kind === 'list') {
    // An element type 'null' means only empty or all-null arrays were seen.
    const e = mergeInferred(a.element.kind === 'null' ? null : a.element, b.element.kind === 'null' ? null : b.element) ?? types.null;
    return types.list(e);
  }
  if (a.kind === 'struct' && b.kind === 'struct') return mergeStructs(a.fields, b.fields);
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  return types.utf8;
}

/** The narrowest type of one CSV cell: int, bigint, double, boolean, date, timestamp (when allowed) or string. */
export function inferCellType(s: string, inferTimestamp: boolean): DataType {
  if (parseInt32(s) !== undefined) return types.int32;
  if (parseInt64(s) !== undefined) return types.int64;
  if (parseFloat64(s) !== undefined) return types.float64;
  if (parseBoolean(s) !== undefined) return types.boolean;
  if (inferTimestamp) {
    if (!hasTimePart(s) && parseDateDays(s) !== undefined) return types.date;
    if (parseTimestampMicros(s) !== undefined) return INFERRED_TIMESTAMP;
  }
  return types.utf8;
}

function mergeStructs(a: readonly StructField[], b: readonly StructField[]): DataType {
  const byName = new Map<string, DataType | null>();
  for (const f of [...a, ...b]) byName.set(f.name, mergeInferred(byName.get(f.name) ?? null, f.type));
  return types.struct([...byName.keys()].sort().map((name) => ({ name, type: byName.get(name) ?? types.null, nullable: true })));
}

/**
 * The type of one JSON value, as Spark infers it: integers bigint, other numbers double,
 * booleans, strings (timestamps when `inferTimestamp` and the text is ISO-8601 with a
 * time), arrays as arrays of their merged element type, objects as structs with fields
 * sorted by name. Null gives null (no information).
 */
export function inferJsonValueType(v: unknown, inferTimestamp: boolean): DataType | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return types.boolean;
  if (typeof v === 'number') return Number.isInteger(v) ? types.int64 : types.float64;
  if (typeof v === 'string') return inferTimestamp && hasTimePart(v) && parseTimestampMicros(v) !== undefined ? INFERRED_TIMESTAMP : types.utf8;
  if (Array.isArray(v)) {
    let e: DataType | null = null;
    for (const item of v) e = mergeInferred(e, inferJsonValueType(item, inferTimestamp));
    return types.list(e ?? types.null);
  }
  if (typeof v === 'object') {
    const fields = Object.keys(v as object)
      .sort()
      .map((name) => ({ name, type: inferJsonValueType((v as Record<string, unknown>)[name], inferTimestamp) ?? types.null, nullable: true }));
    return types.struct(fields);
  }
  return types.utf8;
}

/** The final form of an inferred type: no value seen -> string (also inside arrays and structs). */
export function finalInferred(t: DataType | null | undefined): DataType {
  if (t === null || t === undefined || t.kind === 'null') return types.utf8;
  if (t.kind === 'list') return types.list(finalInferred(t.element));
  if (t.kind === 'struct') return types.struct(t.fields.map((f) => ({ name: f.name, type: finalInferred(f.type), nullable: true })));
  return t;
}
