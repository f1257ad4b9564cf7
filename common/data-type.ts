/**
 * Logical data types of Sluice. Types are frozen plain data tagged by `kind`, so they
 * survive structured clone and can travel to worker threads inside plans.
 */

/** Time unit of a timestamp column. Values are stored as int64 counts of this unit since the epoch. */
export type TimeUnit = 'ms' | 'us';

/** A Sluice data type. */
export type DataType =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'int32' }
  | { readonly kind: 'int64' }
  | { readonly kind: 'float64' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'utf8' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp'; readonly unit: TimeUnit; readonly timezone: string | null }
  | { readonly kind: 'list'; readonly element: DataType }
  | { readonly kind: 'struct'; readonly fields: readonly StructField[] }
  | { readonly kind: 'map'; readonly key: DataType; readonly value: DataType };

/** One named field of a struct type. */
export interface StructField {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

/** The `kind` tag of a {@link DataType}. */
export type TypeKind = DataType['kind'];

/** Type constructors, so user code reads `types.int64` rather than object literals. */
export const types = Object.freeze({
  null: Object.freeze({ kind: 'null' }) as DataType,
  boolean: Object.freeze({ kind: 'boolean' }) as DataType,
  int32: Object.freeze({ kind: 'int32' }) as DataType,
  int64: Object.freeze({ kind: 'int64' }) as DataType,
  float64: Object.freeze({ kind: 'float64' }) as DataType,
  utf8: Object.freeze({ kind: 'utf8' }) as DataType,
  /** Byte strings (Spark's `binary`): stored like utf8 (bytes plus offsets), never dictionary-encoded. */
  binary: Object.freeze({ kind: 'binary' }) as DataType,
  date: Object.freeze({ kind: 'date' }) as DataType,
  /**
   * Exact decimal type (Spark's `decimal(p,s)`): `precision` digits in all, `scale` of them
   * after the point. Stored as int64 unscaled values (value * 10^scale), so precision is
   * limited to 1..18 (see {@link MAX_DECIMAL_PRECISION}); `0 <= scale <= precision`.
   */
  decimal(precision: number, scale: number): DataType {
    return Object.freeze({ kind: 'decimal', precision, scale });
  },
  /** Timestamp type; `unit` defaults to milliseconds, `timezone` to none (a local, zone-less timestamp). */
  timestamp(unit: TimeUnit = 'ms', timezone: string | null = null): DataType {
    return Object.freeze({ kind: 'timestamp', unit, timezone });
  },
  /** List type with the given element type. */
  list(element: DataType): DataType {
    return Object.freeze({ kind: 'list', element });
  },
  /**
   * Map type (Spark's `map<k,v>`, Arrow's Map): per row a list of (key, value) entries with
   * non-null keys. Vectors store it as a list of `struct<key, value>` entries.
   */
  map(key: DataType, value: DataType): DataType {
    return Object.freeze({ kind: 'map', key, value });
  },
  /** Struct type with the given fields (in order). */
  struct(fields: readonly StructField[]): DataType {
    return Object.freeze({ kind: 'struct', fields: Object.freeze(fields.map((f) => Object.freeze({ name: f.name, type: f.type, nullable: f.nullable }))) });
  },
});

/** The type of a window column: `struct<start: timestamp, end: timestamp>` with the time column's unit and zone. */
export function windowStructType(time: DataType): DataType {
  return types.struct([
    { name: 'start', type: time, nullable: true },
    { name: 'end', type: time, nullable: true },
  ]);
}

/** The entry type of a map vector's child: `struct<key (not null), value>`. */
export function mapEntryType(t: Extract<DataType, { kind: 'map' }>): DataType {
  return types.struct([
    { name: 'key', type: t.key, nullable: false },
    { name: 'value', type: t.value, nullable: true },
  ]);
}

/** True when the type is int32, int64 or float64. */
export function isNumeric(t: DataType): boolean {
  return t.kind === 'int32' || t.kind === 'int64' || t.kind === 'float64';
}

/** True when vectors of the type store bytes plus row offsets (utf8 and binary). */
export function hasByteOffsets(t: DataType): boolean {
  return t.kind === 'utf8' || t.kind === 'binary';
}

/** True when the type is int32 or int64. */
export function isIntegral(t: DataType): boolean {
  return t.kind === 'int32' || t.kind === 'int64';
}

/**
 * Whether data of `fileType` can be read as `declared`: equal types, where a timestamp's
 * zone is only a label (the values are instants either way, so `timestamp[ms, UTC]` reads
 * as `timestamp[ms]` and back) and, for a top-level column, its unit may differ (ms -> us
 * is exact, us -> ms floors); inside arrays and structs only the zone may differ.
 */
export function readableAs(fileType: DataType, declared: DataType, nested = false): boolean {
  if (fileType.kind !== declared.kind) return false;
  if (fileType.kind === 'timestamp' && declared.kind === 'timestamp') return !nested || fileType.unit === declared.unit;
  if (fileType.kind === 'decimal' && declared.kind === 'decimal') return fileType.precision === declared.precision && fileType.scale === declared.scale;
  if (fileType.kind === 'list' && declared.kind === 'list') return readableAs(fileType.element, declared.element, true);
  if (fileType.kind === 'map' && declared.kind === 'map')
    return readableAs(fileType.key, declared.key, true) && readableAs(fileType.value, declared.value, true);
  if (fileType.kind === 'struct' && declared.kind === 'struct')
    return (
      fileType.fields.length === declared.fields.length &&
      fileType.fields.every((f, i) => {
        const g = declared.fields[i] as StructField;
        return f.name === g.name && readableAs(f.type, g.type, true);
      })
    );
  return true;
}

/** Structural equality of two types. */
export function typeEquals(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'timestamp' && b.kind === 'timestamp') return a.unit === b.unit && a.timezone === b.timezone;
  if (a.kind === 'decimal' && b.kind === 'decimal') return a.precision === b.precision && a.scale === b.scale;
  if (a.kind === 'list' && b.kind === 'list') return typeEquals(a.element, b.element);
  if (a.kind === 'map' && b.kind === 'map') return typeEquals(a.key, b.key) && typeEquals(a.value, b.value);
  if (a.kind === 'struct' && b.kind === 'struct')
    return (
      a.fields.length === b.fields.length &&
      a.fields.every((f, i) => {
        const g = b.fields[i] as StructField;
        return f.name === g.name && typeEquals(f.type, g.type);
      })
    );
  return true;
}

/** Spark-like display name of a type: `bigint`, `double`, `string`, `timestamp[us, UTC]`... */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case 'null':
      return 'void';
    case 'boolean':
      return 'boolean';
    case 'int32':
      return 'int';
    case 'int64':
      return 'bigint';
    case 'float64':
      return 'double';
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'utf8':
      return 'string';
    case 'binary':
      return 'binary';
    case 'date':
      return 'date';
    case 'timestamp':
      return t.timezone ? `timestamp[${t.unit}, ${t.timezone}]` : `timestamp[${t.unit}]`;
    case 'list':
      return `array<${typeName(t.element)}>`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}>`;
    case 'map':
      return `map<${typeName(t.key)},${typeName(t.value)}>`;
  }
}

/** Parses a type name as written in schemas and casts: `int`, `bigint`, `long`, `double`, `string`, `timestamp`... */
export function parseTypeName(name: string): DataType | undefined {
  const n = name.trim().toLowerCase();
  if (n.startsWith('array<') && n.endsWith('>')) {
    const el = parseTypeName(n.slice(6, -1));
    return el === undefined ? undefined : types.list(el);
  }
  if (n.startsWith('struct<') && n.endsWith('>')) return parseStructTypeName(name.trim().slice(7, -1));
  if (n.startsWith('map<') && n.endsWith('>')) {
    const parts = splitTopLevel(name.trim().slice(4, -1));
    if (parts.length !== 2) return undefined;
    const k = parseTypeName(parts[0] as string);
    const v = parseTypeName(parts[1] as string);
    return k === undefined || v === undefined ? undefined : types.map(k, v);
  }
  switch (n) {
    case 'boolean':
    case 'bool':
      return types.boolean;
    case 'int':
    case 'int32':
    case 'integer':
      return types.int32;
    case 'bigint':
    case 'long':
    case 'int64':
      return types.int64;
    case 'double':
    case 'float64':
    case 'float':
      return types.float64;
    case 'string':
    case 'utf8':
      return types.utf8;
    case 'binary':
      return types.binary;
    case 'date':
      return types.date;
    case 'timestamp':
    case 'timestamp_ntz':
    case 'timestamp[ms]':
      return types.timestamp('ms');
    case 'timestamp_ltz':
      return types.timestamp('ms', 'UTC');
    case 'timestamp[us]':
      return types.timestamp('us');
    default: {
      const d = /^(?:decimal|numeric|dec)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(n);
      if (d !== null) {
        // Spark: `decimal` alone is decimal(10,0); `decimal(p)` is decimal(p,0).
        const p = d[1] === undefined ? 10 : Number(d[1]);
        const s = d[2] === undefined ? 0 : Number(d[2]);
        return p >= 1 && p <= MAX_DECIMAL_PRECISION && s <= p ? types.decimal(p, s) : undefined;
      }
      // timestamp[ms, UTC], timestamp[us, Europe/Paris]...: the zone is a label, kept as written (UTC upper-cased).
      const m = /^timestamp\[(ms|us)\s*,\s*([^\]\s][^\]]*?)\s*\]$/i.exec(name.trim());
      if (m === null) return undefined;
      const zone = (m[2] as string).toLowerCase() === 'utc' ? 'UTC' : (m[2] as string);
      return types.timestamp(m[1]?.toLowerCase() as TimeUnit, zone);
    }
  }
}

/** Splits `a, map<b, c>, d` at top-level commas (outside `<>`, `[]` and `()`). */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '<' || c === '[' || c === '(') depth++;
    else if (c === '>' || c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(from, i));
      from = i + 1;
    }
  }
  if (body.trim() !== '') parts.push(body.slice(from));
  return parts;
}

/** Splits `a:int,b:struct<x:int,y:int>` at top-level commas and parses each `name:type`. */
function parseStructTypeName(body: string): DataType | undefined {
  const parts = splitTopLevel(body);
  const fields: StructField[] = [];
  for (const p of parts) {
    const colon = p.indexOf(':');
    if (colon <= 0) return undefined;
    const t = parseTypeName(p.slice(colon + 1));
    if (t === undefined) return undefined;
    fields.push({ name: p.slice(0, colon).trim(), type: t, nullable: true });
  }
  return types.struct(fields);
}

/** The smallest type both numeric types widen to (int32 < int64 < float64). */
export function widerNumeric(a: DataType, b: DataType): DataType {
  if (a.kind === 'float64' || b.kind === 'float64') return types.float64;
  if (a.kind === 'int64' || b.kind === 'int64') return types.int64;
  return types.int32;
}

/** Largest decimal precision Sluice stores (unscaled values must fit an int64). */
export const MAX_DECIMAL_PRECISION = 18;
