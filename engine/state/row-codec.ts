import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { typeEquals, typeName } from '../../common/data-type.js';
import { SluiceError, typeMismatchError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import { field } from '../../common/schema.js';
import { hashKeyBytes } from './key-hash.js';
import { ListStateCodec } from './list-state-codec.js';

/** Rows encoded back to back: row i is `bytes[offsets[i] .. offsets[i+1])`. */
export interface EncodedRows {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
}

function fixedWidth(t: DataType): number {
  switch (t.kind) {
    case 'null':
      return 0;
    case 'boolean':
      return 1;
    case 'int32':
    case 'date':
    case 'utf8':
    case 'list':
      return 4;
    case 'int64':
    case 'decimal':
    case 'timestamp':
    case 'float64':
      return 8;
    case 'binary':
    case 'map':
    case 'struct':
      throw new SluiceError('UNSUPPORTED', `State columns of type ${typeName(t)} are not supported yet. Keep structs out of state keys and values.`);
  }
}

/**
 * Binary row encoding of one schema, used for state keys and values. A row is laid out as
 * one validity byte per column (1 = valid), then a fixed-width slot per column (boolean 1
 * byte, int32/date 4, int64/timestamp/float64 8 little-endian, utf8 its 4-byte length),
 * then the utf8 bytes in column order. A list column is stored like a utf8 one, its bytes
 * being a blob of its elements (see {@link ListStateCodec}). Null slots are zero, and with `normalize` -0 is
 * written as 0 and every NaN as one NaN, so equal keys encode to equal bytes and can be
 * compared and hashed as bytes. Encoding and decoding run column by column over typed arrays.
 */
export class RowCodec {
  /** Bytes every row takes before its utf8 bytes. */
  readonly fixedSize: number;
  private readonly slotOffsets: Int32Array;
  private readonly utf8Columns: number[];
  /** Columns whose slot holds the byte length of bytes after the fixed part (utf8 and list). */
  private readonly varColumns: number[];
  private readonly listCodecs: (ListStateCodec | null)[];

  constructor(readonly schema: Schema) {
    const n = schema.fields.length;
    this.slotOffsets = new Int32Array(n);
    let at = n;
    this.utf8Columns = [];
    this.varColumns = [];
    this.listCodecs = schema.fields.map((f) =>
      f.type.kind === 'list' ? new ListStateCodec(f.type, new RowCodec({ fields: [field('element', f.type.element, true)] })) : null,
    );
    schema.fields.forEach((f, c) => {
      this.slotOffsets[c] = at;
      at += fixedWidth(f.type);
      if (f.type.kind === 'utf8') this.utf8Columns.push(c);
      if (f.type.kind === 'utf8' || f.type.kind === 'list') this.varColumns.push(c);
    });
    this.fixedSize = at;
  }

  /** A 32-bit fingerprint of the column types, stored in state files to catch schema changes. */
  fingerprint(): number {
    const text = this.schema.fields.map((f) => typeName(f.type)).join(',');
    const bytes = new TextEncoder().encode(text);
    return hashKeyBytes(bytes, 0, bytes.length) >>> 0;
  }

  /** Throws TYPE_MISMATCH unless `columns` match the schema's types. */
  check(columns: readonly ColumnVector[], what: string): void {
    const fields = this.schema.fields;
    if (columns.length !== fields.length) {
      throw typeMismatchError(
        `State ${what} have ${columns.length} columns; the store's ${what} schema has ${fields.length}: ${fields.map((f) => f.name).join(', ')}.`,
      );
    }
    fields.forEach((f, c) => {
      const t = (columns[c] as ColumnVector).type;
      if (!typeEquals(t, f.type)) throw typeMismatchError(`State ${what} column '${f.name}' has type ${typeName(t)}; the store expects ${typeName(f.type)}.`);
    });
  }

  /** Encodes rows `[0, numRows)` of `columns`. */
  encode(columns: readonly ColumnVector[], numRows: number, normalize: boolean): EncodedRows {
    const offsets = new Int32Array(numRows + 1);
    const lens = new Int32Array(numRows).fill(this.fixedSize);
    for (const c of this.utf8Columns) addUtf8Lengths(columns[c] as ColumnVector, lens, numRows);
    const blobs = this.listCodecs.map((codec, c) => (codec === null ? null : codec.encodeBlobs(columns[c] as ColumnVector, numRows)));
    for (const b of blobs)
      if (b !== null) for (let i = 0; i < numRows; i++) lens[i] = (lens[i] as number) + (b.offsets[i + 1] as number) - (b.offsets[i] as number);
    let total = 0;
    for (let i = 0; i < numRows; i++) {
      offsets[i] = total;
      total += lens[i] as number;
    }
    offsets[numRows] = total;
    const bytes = new Uint8Array(total);
    const view = new DataView(bytes.buffer);
    const cursor = new Int32Array(numRows);
    for (let i = 0; i < numRows; i++) cursor[i] = (offsets[i] as number) + this.fixedSize;
    this.schema.fields.forEach((f, c) => {
      const v = columns[c] as ColumnVector;
      const slot = this.slotOffsets[c] as number;
      const valid = v.validity;
      const isNullType = f.type.kind === 'null';
      for (let i = 0; i < numRows; i++) bytes[(offsets[i] as number) + c] = isNullType ? 0 : valid === null ? 1 : (valid[i] as number);
      const blob = blobs[c];
      if (blob === null || blob === undefined) writeSlots(v, offsets, slot, numRows, bytes, view, cursor, normalize);
      else writeBlobs(blob, offsets, slot, numRows, bytes, view, cursor);
    });
    return { bytes, offsets };
  }

  /** Decodes `count` rows starting at `starts[r]` in `buf` into vectors; a start of -1 gives an all-null row. */
  decode(buf: Uint8Array, starts: Int32Array, count: number): ColumnVector[] {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const cursor = new Int32Array(count);
    for (let r = 0; r < count; r++) cursor[r] = (starts[r] as number) + this.fixedSize;
    return this.schema.fields.map((f, c) => {
      let validity: Uint8Array | null = new Uint8Array(count);
      let nulls = 0;
      for (let r = 0; r < count; r++) {
        const s = starts[r] as number;
        const ok = s < 0 ? 0 : (buf[s + c] as number);
        validity[r] = ok;
        nulls += 1 - ok;
      }
      if (nulls === 0) validity = null;
      const list = this.listCodecs[c];
      if (list !== null && list !== undefined)
        return list.decodeBlobs(buf, view, takeBlobs(view, starts, this.slotOffsets[c] as number, count, cursor, validity), count, validity);
      return readSlots(f.type, buf, view, starts, this.slotOffsets[c] as number, count, cursor, validity);
    });
  }

  /** Bytes of the encoded row starting at `start`: the fixed part plus the utf8 and list bytes of its valid columns. */
  rowLength(buf: Uint8Array, view: DataView, start: number): number {
    let n = this.fixedSize;
    for (const c of this.varColumns) if (buf[start + c] === 1) n += view.getInt32(start + (this.slotOffsets[c] as number), true);
    return n;
  }
}

/** Writes each row's blob length into its slot and the blob at the row's cursor. */
function writeBlobs(blob: EncodedRows, offsets: Int32Array, slot: number, n: number, bytes: Uint8Array, view: DataView, cursor: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const s = blob.offsets[i] as number;
    const len = (blob.offsets[i + 1] as number) - s;
    view.setInt32((offsets[i] as number) + slot, len, true);
    const at = cursor[i] as number;
    bytes.set(blob.bytes.subarray(s, s + len), at);
    cursor[i] = at + len;
  }
}

/** The start of each row's blob (its cursor), advancing the cursors past the blobs. */
function takeBlobs(view: DataView, starts: Int32Array, slot: number, n: number, cursor: Int32Array, validity: Uint8Array | null): Int32Array {
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    out[r] = cursor[r] as number;
    if (validity !== null && validity[r] === 0) continue;
    cursor[r] = (cursor[r] as number) + view.getInt32((starts[r] as number) + slot, true);
  }
  return out;
}

function addUtf8Lengths(v: ColumnVector, lens: Int32Array, n: number): void {
  const valid = v.validity;
  const dict = v.dictionary;
  const offs = (dict === undefined ? v.offsets : dict.offsets) as Int32Array;
  const idx = dict === undefined ? null : (v.values as Int32Array);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const j = idx === null ? i : (idx[i] as number);
    lens[i] = (lens[i] as number) + (offs[j + 1] as number) - (offs[j] as number);
  }
}

function writeSlots(
  v: ColumnVector,
  offsets: Int32Array,
  slot: number,
  n: number,
  bytes: Uint8Array,
  view: DataView,
  cursor: Int32Array,
  normalize: boolean,
): void {
  const valid = v.validity;
  switch (v.type.kind) {
    case 'null':
      return;
    case 'boolean': {
      const vals = v.values as Uint8Array;
      for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) bytes[(offsets[i] as number) + slot] = vals[i] as number;
      return;
    }
    case 'int32':
    case 'date': {
      const vals = v.values as Int32Array;
      for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) view.setInt32((offsets[i] as number) + slot, vals[i] as number, true);
      return;
    }
    case 'int64':
    case 'decimal':
    case 'timestamp': {
      const b = v.values as BigInt64Array;
      const halves = new Int32Array(b.buffer, b.byteOffset, b.length * 2);
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const at = (offsets[i] as number) + slot;
        view.setInt32(at, halves[2 * i] as number, true);
        view.setInt32(at + 4, halves[2 * i + 1] as number, true);
      }
      return;
    }
    case 'float64': {
      const vals = v.values as Float64Array;
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) continue;
        let x = vals[i] as number;
        if (normalize) {
          if (x === 0) x = 0;
          else if (Number.isNaN(x)) {
            view.setInt32((offsets[i] as number) + slot, 0, true);
            view.setInt32((offsets[i] as number) + slot + 4, 0x7ff80000, true);
            continue;
          }
        }
        view.setFloat64((offsets[i] as number) + slot, x, true);
      }
      return;
    }
    case 'utf8': {
      const dict = v.dictionary;
      const src = (dict === undefined ? v.values : dict.values) as Uint8Array;
      const offs = (dict === undefined ? v.offsets : dict.offsets) as Int32Array;
      const idx = dict === undefined ? null : (v.values as Int32Array);
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const j = idx === null ? i : (idx[i] as number);
        const s = offs[j] as number;
        const len = (offs[j + 1] as number) - s;
        view.setInt32((offsets[i] as number) + slot, len, true);
        const at = cursor[i] as number;
        for (let k = 0; k < len; k++) bytes[at + k] = src[s + k] as number;
        cursor[i] = at + len;
      }
      return;
    }
    case 'list':
    case 'map':
    case 'struct':
      throw internalListError();
  }
}

function readSlots(
  type: DataType,
  buf: Uint8Array,
  view: DataView,
  starts: Int32Array,
  slot: number,
  n: number,
  cursor: Int32Array,
  validity: Uint8Array | null,
): ColumnVector {
  const ok = (r: number): boolean => validity === null || validity[r] === 1;
  switch (type.kind) {
    case 'null':
      return { type, length: n, validity: null, values: new Uint8Array(0) };
    case 'boolean': {
      const out = new Uint8Array(n);
      for (let r = 0; r < n; r++) if (ok(r)) out[r] = buf[(starts[r] as number) + slot] as number;
      return { type, length: n, validity, values: out };
    }
    case 'int32':
    case 'date': {
      const out = new Int32Array(n);
      for (let r = 0; r < n; r++) if (ok(r)) out[r] = view.getInt32((starts[r] as number) + slot, true);
      return { type, length: n, validity, values: out };
    }
    case 'int64':
    case 'decimal':
    case 'timestamp': {
      const out = new BigInt64Array(n);
      const halves = new Int32Array(out.buffer);
      for (let r = 0; r < n; r++) {
        if (!ok(r)) continue;
        const at = (starts[r] as number) + slot;
        halves[2 * r] = view.getInt32(at, true);
        halves[2 * r + 1] = view.getInt32(at + 4, true);
      }
      return { type, length: n, validity, values: out };
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let r = 0; r < n; r++) if (ok(r)) out[r] = view.getFloat64((starts[r] as number) + slot, true);
      return { type, length: n, validity, values: out };
    }
    case 'utf8': {
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let r = 0; r < n; r++) {
        if (ok(r)) total += view.getInt32((starts[r] as number) + slot, true);
        offsets[r + 1] = total;
      }
      const out = new Uint8Array(total);
      for (let r = 0; r < n; r++) {
        if (!ok(r)) continue;
        const len = (offsets[r + 1] as number) - (offsets[r] as number);
        const s = cursor[r] as number;
        const at = offsets[r] as number;
        for (let k = 0; k < len; k++) out[at + k] = buf[s + k] as number;
        cursor[r] = s + len;
      }
      return { type, length: n, validity, values: out, offsets };
    }
    case 'binary':
    case 'list':
    case 'map':
    case 'struct':
      throw internalListError();
  }
}

function internalListError(): SluiceError {
  return new SluiceError('UNSUPPORTED', 'State columns of list type are not supported yet.');
}
