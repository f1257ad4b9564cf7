import * as arrow from 'apache-arrow';

/** An Arrow int64-backed column (int64 or timestamp) from integral doubles or int32s, rows [begin, end). */
export function int64Data<T extends arrow.Int64 | arrow.Timestamp>(type: T, src: Float64Array | Int32Array, begin: number, end: number): arrow.Data<T> {
  const n = end - begin;
  const out = new BigInt64Array(n);
  const halves = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = src[begin + i] as number;
    const hi = Math.floor(v / 4294967296);
    halves[2 * i] = (v - hi * 4294967296) | 0;
    halves[2 * i + 1] = hi;
  }
  return arrow.makeData({ type, length: n, nullCount: 0, data: out } as never) as unknown as arrow.Data<T>;
}

/** An Arrow float64 column of rows [begin, end) (a copy). */
export function float64Data(src: Float64Array, begin: number, end: number): arrow.Data<arrow.Float64> {
  return arrow.makeData({ type: new arrow.Float64(), length: end - begin, nullCount: 0, data: src.slice(begin, end) });
}

/** An Arrow boolean column (bit-packed) from 0/1 bytes, rows [begin, end). */
export function boolData(src: Uint8Array, begin: number, end: number): arrow.Data<arrow.Bool> {
  const n = end - begin;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (src[begin + i] === 1) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  return arrow.makeData({ type: new arrow.Bool(), length: n, nullCount: 0, data: bits });
}

/** UTF-8 encodings of a list of strings, concatenated, with offsets (a string table). */
export interface StringTable {
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
}

/** Encodes `values` into one {@link StringTable}. */
export function stringTable(values: readonly string[]): StringTable {
  const enc = new TextEncoder();
  const parts = values.map((v) => enc.encode(v));
  const offsets = new Int32Array(values.length + 1);
  for (let i = 0; i < parts.length; i++) offsets[i + 1] = (offsets[i] as number) + (parts[i] as Uint8Array).length;
  const bytes = new Uint8Array(offsets[values.length] as number);
  parts.forEach((p, i) => {
    bytes.set(p, offsets[i] as number);
  });
  return { offsets, bytes };
}

/** A plain (not dictionary-encoded) Arrow utf8 column: row i is `table[codes[i]]`, rows [begin, end). */
export function utf8DataFromCodes(table: StringTable, codes: Int32Array | Uint8Array, begin: number, end: number): arrow.Data<arrow.Utf8> {
  const n = end - begin;
  const so = table.offsets;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[begin + i] as number;
    total += (so[c + 1] as number) - (so[c] as number);
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  const sb = table.bytes;
  for (let i = 0; i < n; i++) {
    const c = codes[begin + i] as number;
    let p = offsets[i] as number;
    for (let k = so[c] as number; k < (so[c + 1] as number); k++) bytes[p++] = sb[k] as number;
  }
  return arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data: bytes });
}

/** A one-batch Arrow table from named column data of equal length (all fields nullable, as pyarrow writes them). */
export function tableOf(columns: Readonly<Record<string, arrow.Data>>, length: number): arrow.Table {
  const names = Object.keys(columns);
  const fields = names.map((name) => new arrow.Field(name, (columns[name] as arrow.Data).type, true));
  const schema = new arrow.Schema(fields);
  const children = names.map((name) => columns[name] as arrow.Data);
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length, nullCount: 0, children });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
}
