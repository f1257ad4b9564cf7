/**
 * The bridge between Apache Arrow JS and Sluice's column format.
 *
 * In: Bool -> boolean; Int8/16/32, UInt8/16 -> int32; Int64, UInt32 -> int64;
 * Float16/32/64 -> float64; Decimal(p,s) with p <= 18 -> decimal(p,s) (exact int64 unscaled
 * values; wider decimals throw UNSUPPORTED suggesting a cast to double); Utf8/LargeUtf8 -> utf8; Dictionary<*, Utf8> -> dictionary-encoded
 * utf8 (the dictionary is kept); Timestamp s/ms -> ms, us/ns -> us (ns floored to us, as Spark
 * keeps microseconds), timezone kept; Date32/Date64 -> date; List/LargeList -> list; Map -> map; Struct -> struct; Null -> null.
 * Other Arrow types throw UNSUPPORTED naming the column.
 * Fixed-width values are shared with Arrow (zero-copy) when the layout is the same; validity
 * bitmaps and booleans are unpacked to one byte per row.
 *
 * Out: the reverse, as proper Arrow vectors: timestamps keep unit and timezone, dictionary
 * utf8 columns become Dictionary<Int32, Utf8> when every batch of the column is dictionary-encoded.
 */
import * as arrow from 'apache-arrow';
import type { ColumnarBatch, ColumnVector } from './column-vector.js';
import type { DataType } from './data-type.js';
import { MAX_DECIMAL_PRECISION, mapEntryType, typeName, types } from './data-type.js';
import { SluiceError } from './errors.js';
import type { Field, Schema } from './schema.js';
import { field, schemaOf } from './schema.js';
import { decodeDictionary, sliceVector } from './vector-concat.js';

type AnyData = arrow.Data<arrow.DataType>;

function unsupported(name: string, t: arrow.DataType): SluiceError {
  return new SluiceError(
    'UNSUPPORTED',
    `Column '${name}' has Arrow type ${String(t)}, which Sluice cannot read. Supported: booleans, integers, floats, decimals of up to 18 digits, strings, dates, timestamps and lists of those. Select other columns or cast the column when writing the file.`,
  );
}

/** The Sluice type an Arrow type maps to (see the module comment). */
export function typeFromArrow(t: arrow.DataType, name = 'column'): DataType {
  switch (t.typeId) {
    case arrow.Type.Null:
      return types.null;
    case arrow.Type.Bool:
      return types.boolean;
    case arrow.Type.Int: {
      const it = t as arrow.Int;
      if (it.bitWidth <= 16 || (it.bitWidth === 32 && it.isSigned)) return types.int32;
      if (it.bitWidth === 32 || it.isSigned) return types.int64;
      throw unsupported(name, t);
    }
    case arrow.Type.Float:
      return types.float64;
    case arrow.Type.Decimal: {
      const dt = t as arrow.Decimal;
      if (dt.precision > MAX_DECIMAL_PRECISION || dt.scale < 0 || dt.scale > dt.precision)
        throw new SluiceError(
          'UNSUPPORTED',
          `Column '${name}' has type decimal(${dt.precision},${dt.scale}); Sluice reads decimals of up to ${MAX_DECIMAL_PRECISION} digits (with 0 <= scale <= precision) exactly. Cast the column to double (or a narrower decimal) when writing the file.`,
        );
      return types.decimal(dt.precision, dt.scale);
    }
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8:
      return types.utf8;
    case arrow.Type.Dictionary: {
      const d = t as arrow.Dictionary;
      if (d.dictionary.typeId === arrow.Type.Utf8 || d.dictionary.typeId === arrow.Type.LargeUtf8) return types.utf8;
      throw unsupported(name, t);
    }
    case arrow.Type.Timestamp: {
      const ts = t as arrow.Timestamp;
      const unit = ts.unit === arrow.TimeUnit.SECOND || ts.unit === arrow.TimeUnit.MILLISECOND ? 'ms' : 'us';
      return types.timestamp(unit, ts.timezone ?? null);
    }
    case arrow.Type.Date:
      return types.date;
    case arrow.Type.List:
    case arrow.Type.LargeList: {
      const child = (t as arrow.List).children[0];
      if (!child) throw unsupported(name, t);
      return types.list(typeFromArrow(child.type, name));
    }
    case arrow.Type.Map: {
      const entries = (t as arrow.Map_).children[0]?.type as arrow.Struct | undefined;
      const [k, v] = entries?.children ?? [];
      if (k === undefined || v === undefined) throw unsupported(name, t);
      return types.map(typeFromArrow(k.type, `${name}.key`), typeFromArrow(v.type, `${name}.value`));
    }
    case arrow.Type.Struct:
      return types.struct((t as arrow.Struct).children.map((c) => ({ name: c.name, type: typeFromArrow(c.type, `${name}.${c.name}`), nullable: c.nullable })));
    default:
      throw unsupported(name, t);
  }
}

/** The Sluice schema of an Arrow schema. Throws UNSUPPORTED for columns of unsupported types. */
export function schemaFromArrow(s: arrow.Schema): Schema {
  return schemaOf(s.fields.map((f) => field(f.name, typeFromArrow(f.type, f.name), f.nullable)));
}

function unpackBits(bits: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const b = offset + i;
    out[i] = ((bits[b >> 3] as number) >> (b & 7)) & 1;
  }
  return out;
}

function validityOf(d: AnyData): Uint8Array | null {
  if (d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0) return null;
  return unpackBits(d.nullBitmap, d.offset, d.length);
}

function widenToInt32(v: ArrayLike<number>, length: number): Int32Array {
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = v[i] as number;
  return out;
}

function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Low 64 bits of each little-endian two's-complement decimal (exact when precision <= 18). */
function decimalToInt64(words: Uint32Array, length: number, stride: number): BigInt64Array {
  const out = new BigInt64Array(length);
  const pairs = new Uint32Array(out.buffer);
  for (let i = 0; i < length; i++) {
    pairs[2 * i] = words[i * stride] as number;
    pairs[2 * i + 1] = stride > 1 ? (words[i * stride + 1] as number) : (words[i * stride] as number) & 0x80000000 ? 0xffffffff : 0;
  }
  return out;
}

/** Decimal128 words of int64 unscaled values (sign-extended to 128 bits). */
function int64ToDecimal128(values: BigInt64Array, length: number): Uint32Array {
  const out = new Uint32Array(length * 4);
  const src = new Uint32Array(values.buffer, values.byteOffset, length * 2);
  for (let i = 0; i < length; i++) {
    const hi = src[2 * i + 1] as number;
    const ext = hi & 0x80000000 ? 0xffffffff : 0;
    out[4 * i] = src[2 * i] as number;
    out[4 * i + 1] = hi;
    out[4 * i + 2] = ext;
    out[4 * i + 3] = ext;
  }
  return out;
}

function bigOffsetsToInt32(o: BigInt64Array, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = Number(o[i] as bigint);
  return out;
}

/** Converts one Arrow Data (a column chunk) to a Sluice vector of `type`. */
export function vectorFromData(d: AnyData, type: DataType): ColumnVector {
  const length = d.length;
  const validity = type.kind === 'null' ? null : validityOf(d);
  const t = d.type;
  switch (t.typeId) {
    case arrow.Type.Null:
      return { type, length, validity: null, values: new Uint8Array(0) };
    case arrow.Type.Bool:
      return { type, length, validity, values: unpackBits(d.values as Uint8Array, d.offset, length) };
    case arrow.Type.Int: {
      const v = d.values as Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | BigInt64Array;
      if (type.kind === 'int32')
        return { type, length, validity, values: v instanceof Int32Array ? v.subarray(0, length) : widenToInt32(v as ArrayLike<number>, length) };
      if (v instanceof BigInt64Array) return { type, length, validity, values: v.subarray(0, length) };
      const out = new BigInt64Array(length);
      for (let i = 0; i < length; i++) out[i] = BigInt(v[i] as number);
      return { type, length, validity, values: out };
    }
    case arrow.Type.Float: {
      const v = d.values as Float64Array | Float32Array | Uint16Array;
      if (v instanceof Float64Array) return { type, length, validity, values: v.subarray(0, length) };
      const out = new Float64Array(length);
      if (v instanceof Uint16Array) for (let i = 0; i < length; i++) out[i] = float16ToNumber(v[i] as number);
      else for (let i = 0; i < length; i++) out[i] = v[i] as number;
      return { type, length, validity, values: out };
    }
    case arrow.Type.Decimal: {
      const dt = t as arrow.Decimal;
      const words = d.values as Uint32Array;
      return { type, length, validity, values: decimalToInt64(words, length, dt.bitWidth / 32) };
    }
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8: {
      const o = d.valueOffsets as Int32Array | BigInt64Array;
      const offsets = o instanceof Int32Array ? o.subarray(0, length + 1) : bigOffsetsToInt32(o, length + 1);
      return { type, length, validity, values: d.values as Uint8Array, offsets };
    }
    case arrow.Type.Dictionary: {
      const dictVec = d.dictionary;
      if (!dictVec) throw new SluiceError('CORRUPT_FILE', 'An Arrow dictionary column has no dictionary.');
      const dictParts = dictVec.data.map((p) => vectorFromData(p as AnyData, types.utf8));
      const dictionary = dictParts.length === 1 ? (dictParts[0] as ColumnVector) : concatPlainUtf8(dictParts);
      const idx = d.values as ArrayLike<number> & { subarray?: unknown };
      const values = idx instanceof Int32Array ? idx.subarray(0, length) : widenToInt32(idx as ArrayLike<number>, length);
      return { type, length, validity, values, dictionary };
    }
    case arrow.Type.Timestamp: {
      const unit = (t as arrow.Timestamp).unit;
      const v = (d.values as BigInt64Array).subarray(0, length);
      if (unit === arrow.TimeUnit.MILLISECOND || unit === arrow.TimeUnit.MICROSECOND) return { type, length, validity, values: v };
      const out = new BigInt64Array(length);
      if (unit === arrow.TimeUnit.SECOND) for (let i = 0; i < length; i++) out[i] = (v[i] as bigint) * 1000n;
      else
        for (let i = 0; i < length; i++) {
          const x = v[i] as bigint;
          const q = x / 1000n;
          out[i] = x < 0n && q * 1000n !== x ? q - 1n : q;
        }
      return { type, length, validity, values: out };
    }
    case arrow.Type.Date: {
      const v = d.values as Int32Array | BigInt64Array;
      if (v instanceof Int32Array) return { type, length, validity, values: v.subarray(0, length) };
      const out = new Int32Array(length);
      for (let i = 0; i < length; i++) out[i] = Math.floor(Number(v[i] as bigint) / 86400000);
      return { type, length, validity, values: out };
    }
    case arrow.Type.List:
    case arrow.Type.LargeList: {
      if (type.kind !== 'list') throw unsupported('list', t);
      const o = d.valueOffsets as Int32Array | BigInt64Array;
      const offsets = o instanceof Int32Array ? o.subarray(0, length + 1) : bigOffsetsToInt32(o, length + 1);
      const childData = d.children[0];
      if (!childData) throw unsupported('list', t);
      return { type, length, validity, values: new Uint8Array(0), offsets, child: vectorFromData(childData, type.element) };
    }
    case arrow.Type.Map: {
      if (type.kind !== 'map') throw unsupported('map', t);
      const offsets = (d.valueOffsets as Int32Array).subarray(0, length + 1);
      const childData = d.children[0];
      if (!childData) throw unsupported('map', t);
      return { type, length, validity, values: new Uint8Array(0), offsets, child: vectorFromData(childData, mapEntryType(type)) };
    }
    case arrow.Type.Struct: {
      if (type.kind !== 'struct') throw unsupported('struct', t);
      const children = type.fields.map((f, k) => {
        const cd = d.children[k];
        if (!cd) throw unsupported('struct', t);
        return vectorFromData(cd.length === length ? cd : (cd.slice(0, length) as AnyData), f.type);
      });
      return { type, length, validity, values: new Uint8Array(0), children };
    }
    default:
      throw unsupported('column', t);
  }
}

function concatPlainUtf8(parts: readonly ColumnVector[]): ColumnVector {
  const length = parts.reduce((s, p) => s + p.length, 0);
  const offsets = new Int32Array(length + 1);
  let pos = 0;
  let total = 0;
  for (const p of parts) {
    const o = p.offsets as Int32Array;
    for (let i = 0; i < p.length; i++) offsets[pos + i + 1] = total + (o[i + 1] as number) - (o[0] as number);
    pos += p.length;
    total = offsets[pos] as number;
  }
  const bytes = new Uint8Array(total);
  pos = 0;
  for (const p of parts) {
    const o = p.offsets as Int32Array;
    bytes.set((p.values as Uint8Array).subarray(o[0] as number, o[p.length] as number), offsets[pos] as number);
    pos += p.length;
  }
  return { type: types.utf8, length, validity: null, values: bytes, offsets };
}

/** Converts an Arrow record batch to a Sluice batch, sharing fixed-width buffers where the layout allows. */
export function batchFromArrow(rb: arrow.RecordBatch): ColumnarBatch {
  const schema = schemaFromArrow(rb.schema);
  const columns = schema.fields.map((f, i) => vectorFromData(rb.data.children[i] as AnyData, f.type));
  return { schema, columns, numRows: rb.numRows };
}

/** Converts every record batch of an Arrow table (empty batches are dropped). */
export function batchesFromArrowTable(t: arrow.Table): ColumnarBatch[] {
  return t.batches.filter((b) => b.numRows > 0).map(batchFromArrow);
}

function timeUnitOf(t: DataType): arrow.TimeUnit {
  return t.kind === 'timestamp' && t.unit === 'us' ? arrow.TimeUnit.MICROSECOND : arrow.TimeUnit.MILLISECOND;
}

/** The Arrow type of a Sluice type; `dictionary` makes utf8 a Dictionary<Int32, Utf8>. */
export function arrowTypeOf(t: DataType, dictionary = false): arrow.DataType {
  switch (t.kind) {
    case 'null':
      return new arrow.Null();
    case 'boolean':
      return new arrow.Bool();
    case 'int32':
      return new arrow.Int32();
    case 'int64':
      return new arrow.Int64();
    case 'float64':
      return new arrow.Float64();
    case 'decimal':
      return new arrow.Decimal(t.scale, t.precision, 128);
    case 'binary':
      return new arrow.Binary();
    case 'utf8':
      return dictionary ? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()) : new arrow.Utf8();
    case 'date':
      return new arrow.DateDay();
    case 'timestamp':
      return new arrow.Timestamp(timeUnitOf(t), t.timezone);
    case 'list':
      return new arrow.List(new arrow.Field('item', arrowTypeOf(t.element), true));
    case 'struct':
      return new arrow.Struct(t.fields.map((f) => new arrow.Field(f.name, arrowTypeOf(f.type), f.nullable)));
    case 'map': {
      const entries = new arrow.Struct([new arrow.Field('key', arrowTypeOf(t.key), false), new arrow.Field('value', arrowTypeOf(t.value), true)]);
      return new arrow.Map_(new arrow.Field('entries', entries, false), false);
    }
  }
}

function arrowField(f: Field, dictionary: boolean): arrow.Field {
  return new arrow.Field(f.name, arrowTypeOf(f.type, dictionary), f.nullable);
}

/** The Arrow schema of a Sluice schema (utf8 as plain Utf8). */
export function arrowSchemaFromSchema(s: Schema): arrow.Schema {
  return new arrow.Schema(s.fields.map((f) => arrowField(f, false)));
}

function packBits(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) if (bytes[i] === 1) out[i >> 3] = (out[i >> 3] as number) | (1 << (i & 7));
  return out;
}

function countNulls(validity: Uint8Array | null, length: number): number {
  if (validity === null) return 0;
  let n = 0;
  for (let i = 0; i < length; i++) n += 1 - (validity[i] as number);
  return n;
}

/** Rebased offsets (starting at 0) and the matching byte range. */
function rebased(offsets: Int32Array, length: number): { offsets: Int32Array; start: number; end: number } {
  const start = offsets[0] as number;
  const end = offsets[length] as number;
  if (start === 0) return { offsets: offsets.subarray(0, length + 1), start, end };
  const out = new Int32Array(length + 1);
  for (let i = 0; i <= length; i++) out[i] = (offsets[i] as number) - start;
  return { offsets: out, start, end };
}

/** Converts a Sluice vector to Arrow Data of `at` (which must match the vector's type). */
export function dataFromVector(v: ColumnVector, at: arrow.DataType): AnyData {
  const length = v.length;
  const nullCount = v.type.kind === 'null' ? length : countNulls(v.validity, length);
  const nullBitmap = nullCount > 0 && v.validity !== null ? packBits(v.validity, length) : undefined;
  const base = { type: at, length, nullCount, nullBitmap };
  switch (v.type.kind) {
    case 'null':
      return arrow.makeData({ type: at as arrow.Null, length });
    case 'boolean':
      return arrow.makeData({ ...base, type: at as arrow.Bool, data: packBits(v.values as Uint8Array, length) });
    case 'utf8': {
      if (at.typeId === arrow.Type.Dictionary) {
        const dict = v.dictionary as ColumnVector;
        const dictData = dataFromVector(dict, new arrow.Utf8());
        return arrow.makeData({
          ...base,
          type: at as arrow.Dictionary,
          data: (v.values as Int32Array).subarray(0, length),
          dictionary: arrow.makeVector(dictData),
        });
      }
      const plain = decodeDictionary(v);
      const r = rebased(plain.offsets as Int32Array, length);
      return arrow.makeData({ ...base, type: at as arrow.Utf8, valueOffsets: r.offsets, data: (plain.values as Uint8Array).subarray(r.start, r.end) });
    }
    case 'binary': {
      const r = rebased(v.offsets as Int32Array, length);
      return arrow.makeData({ ...base, type: at as arrow.Binary, valueOffsets: r.offsets, data: (v.values as Uint8Array).subarray(r.start, r.end) });
    }
    case 'list': {
      const r = rebased(v.offsets as Int32Array, length);
      const child = sliceVector(v.child as ColumnVector, r.start, r.end);
      const childType = (at as arrow.List).children[0]?.type ?? arrowTypeOf((v.type as { element: DataType }).element);
      return arrow.makeData({ ...base, type: at as arrow.List, valueOffsets: r.offsets, child: dataFromVector(child, childType) });
    }
    case 'map': {
      const r = rebased(v.offsets as Int32Array, length);
      const child = sliceVector(v.child as ColumnVector, r.start, r.end);
      const mt = at as arrow.Map_;
      return arrow.makeData({ ...base, type: mt, valueOffsets: r.offsets, child: dataFromVector(child, (mt.children[0] as arrow.Field).type) });
    }
    case 'decimal':
      return arrow.makeData({ ...base, type: at as arrow.Decimal, data: int64ToDecimal128(v.values as BigInt64Array, length) });
    case 'struct': {
      const st = at as arrow.Struct;
      const children = (v.children as readonly ColumnVector[]).map((c, k) => dataFromVector(c, (st.children[k] as arrow.Field).type));
      return arrow.makeData({ ...base, type: st, children });
    }
    default:
      return arrow.makeData({ ...base, type: at as arrow.Int32, data: v.values.subarray(0, length) as Int32Array });
  }
}

/**
 * Builds an Arrow table from Sluice batches of `schema` (one Arrow record batch per
 * non-empty batch). Throws TYPE_MISMATCH when a batch's column type differs from the schema.
 */
export function arrowTableFromBatches(schema: Schema, batches: readonly ColumnarBatch[]): arrow.Table {
  const live = batches.filter((b) => b.numRows > 0);
  const fields = schema.fields.map((f, i) => {
    const dict = f.type.kind === 'utf8' && live.length > 0 && live.every((b) => b.columns[i]?.dictionary !== undefined);
    return arrowField(f, dict);
  });
  const arrowSchema = new arrow.Schema(fields);
  if (live.length === 0) return new arrow.Table(arrowSchema);
  const rbs = live.map((b) => {
    const children = fields.map((af, i) => {
      const v = b.columns[i] as ColumnVector;
      const f = schema.fields[i] as Field;
      if (v.type.kind !== f.type.kind)
        throw new SluiceError('TYPE_MISMATCH', `Column '${f.name}' holds ${typeName(v.type)} values but the schema says ${typeName(f.type)}.`);
      return dataFromVector(v, af.type);
    });
    const struct = arrow.makeData({ type: new arrow.Struct(fields), length: b.numRows, nullCount: 0, children });
    return new arrow.RecordBatch(arrowSchema, struct);
  });
  return new arrow.Table(arrowSchema, rbs);
}
