import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import type { JsValue } from '../../common/vector-from-values.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import { fitJsonValue } from '../../common/json-fit-value.js';
import { parseBoolean, parseDateDays, parseFloat64, parseInt32, parseInt64, parseTimestampMicros } from './text-value-parse.js';

/** A value as it arrives from a text format: a cell's text, or a JSON scalar. */
export type TextValue = string | number | boolean | null;

const encoder = new TextEncoder();

/**
 * Builds one column of a text-format batch from cell values, straight into typed arrays.
 * `append` returns false when the value does not convert to the column type (the row is
 * malformed; a null is stored).
 */
export class TextColumnBuilder {
  readonly type: DataType;
  private length = 0;
  private validity: Uint8Array;
  private nulls = 0;
  private nums: Float64Array | Int32Array | Uint8Array | BigInt64Array;
  private strings: string[] = [];
  private lists: (TextValue[] | null)[] = [];
  /** Values of appendNested, already fitted to the type. */
  private fitted: JsValue[] = [];

  constructor(type: DataType, capacity: number) {
    this.type = type;
    this.validity = new Uint8Array(capacity);
    switch (type.kind) {
      case 'int32':
      case 'date':
        this.nums = new Int32Array(capacity);
        break;
      case 'int64':
      case 'timestamp':
        this.nums = new BigInt64Array(capacity);
        break;
      case 'float64':
        this.nums = new Float64Array(capacity);
        break;
      default:
        this.nums = new Uint8Array(type.kind === 'boolean' ? capacity : 0);
    }
  }

  /** Rows appended so far. */
  get size(): number {
    return this.length;
  }

  /** Drops rows from `n` on (used to take back a partly appended malformed row). */
  truncate(n: number): void {
    for (let i = n; i < this.length; i++) if (this.validity[i] === 0) this.nulls--;
    if (this.fitted.length > n) this.fitted.length = n;
    this.length = n;
  }

  /** Appends a null. */
  appendNull(): void {
    this.validity[this.length++] = 0;
    this.nulls++;
  }

  /** Appends a value; false (and a null stored) when it does not convert. */
  append(v: TextValue): boolean {
    if (v === null) {
      this.appendNull();
      return true;
    }
    const i = this.length;
    const t = this.type;
    let ok = true;
    switch (t.kind) {
      case 'utf8':
        this.strings[i] = typeof v === 'string' ? v : String(v);
        break;
      case 'int32': {
        const n =
          typeof v === 'number'
            ? Number.isInteger(v) && v >= -2147483648 && v <= 2147483647
              ? v
              : undefined
            : typeof v === 'string'
              ? parseInt32(v)
              : undefined;
        if (n === undefined) ok = false;
        else (this.nums as Int32Array)[i] = n;
        break;
      }
      case 'int64': {
        const n = typeof v === 'number' ? (Number.isSafeInteger(v) ? BigInt(v) : undefined) : typeof v === 'string' ? parseInt64(v) : undefined;
        if (n === undefined) ok = false;
        else (this.nums as BigInt64Array)[i] = n;
        break;
      }
      case 'float64': {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? parseFloat64(v) : undefined;
        if (n === undefined) ok = false;
        else (this.nums as Float64Array)[i] = n;
        break;
      }
      case 'boolean': {
        const b = typeof v === 'boolean' ? v : typeof v === 'string' ? parseBoolean(v) : undefined;
        if (b === undefined) ok = false;
        else (this.nums as Uint8Array)[i] = b ? 1 : 0;
        break;
      }
      case 'date': {
        const d = typeof v === 'string' ? parseDateDays(v) : undefined;
        if (d === undefined) ok = false;
        else (this.nums as Int32Array)[i] = d;
        break;
      }
      case 'timestamp': {
        const us = typeof v === 'string' ? parseTimestampMicros(v) : undefined;
        if (us === undefined) ok = false;
        else (this.nums as BigInt64Array)[i] = t.unit === 'us' ? us : floorDiv1000(us);
        break;
      }
      default:
        ok = false;
    }
    if (!ok) {
      this.appendNull();
      return false;
    }
    this.validity[this.length++] = 1;
    return true;
  }

  /** Appends a JSON array value to a list column; false when the column is not a list. */
  appendList(items: TextValue[]): boolean {
    if (this.type.kind !== 'list') return false;
    this.lists[this.length] = items;
    this.validity[this.length++] = 1;
    return true;
  }

  /** Appends a parsed JSON object or array to a struct or list column (fields that do not fit become null). */
  appendNested(v: unknown): void {
    const fitted = fitJsonValue(v, this.type);
    if (fitted === null) {
      this.appendNull();
      return;
    }
    this.fitted[this.length] = fitted;
    this.validity[this.length++] = 1;
  }

  /** The built vector (the builder must not be used afterwards). */
  build(): ColumnVector {
    const n = this.length;
    const validity = this.nulls > 0 ? this.validity.subarray(0, n) : null;
    const t = this.type;
    if (t.kind === 'utf8') return buildUtf8(t, this.strings, n, validity);
    if (t.kind === 'list' || t.kind === 'struct') {
      const at = (i: number): JsValue => this.fitted[i] ?? this.lists[i] ?? null;
      const values = Array.from({ length: n }, (_, i) => (validity !== null && validity[i] === 0 ? null : at(i)));
      return vectorFromValues(t, values);
    }
    if (t.kind === 'null') return { type: t, length: n, validity: null, values: new Uint8Array(0) };
    return { type: t, length: n, validity, values: this.nums.subarray(0, n) };
  }
}

function floorDiv1000(v: bigint): bigint {
  const q = v / 1000n;
  return v < 0n && q * 1000n !== v ? q - 1n : q;
}

/** A utf8 vector from strings (holes are nulls): one encode of the joined text, offsets from UTF-8 lengths. */
function buildUtf8(type: DataType, strings: string[], n: number, validity: Uint8Array | null): ColumnVector {
  const offsets = new Int32Array(n + 1);
  const parts: string[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = validity !== null && validity[i] === 0 ? undefined : strings[i];
    if (s !== undefined) {
      parts.push(s);
      total += utf8Length(s);
    }
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  encoder.encodeInto(parts.join(''), bytes);
  return { type, length: n, validity, values: bytes, offsets };
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: two UTF-16 units, four UTF-8 bytes.
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}
