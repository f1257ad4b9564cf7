import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { mapEntryType, typeName } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import type { Field, Schema } from '../../common/schema.js';
import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';
import { encodeUtf8 } from '../../common/utf8.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import type { StatValue } from './parquet-footer.js';
import { partitionValuesOf } from './partition-values.js';

/** The `basePath` option (partition folders are looked for below it), or null. */
export function basePathOption(options: ScanOptions): string | null {
  const b = options.basePath;
  return typeof b === 'string' && b !== '' ? b : null;
}

/** Partition values of a file as the scan sees them (respecting the `basePath` option). */
export function filePartitionValues(path: string, options: ScanOptions): Record<string, string | null> {
  return partitionValuesOf(path, basePathOption(options));
}

/** A partition value parsed to its column type: number, bigint or string; null stays null. */
export function parsePartitionValue(raw: string | null, f: Field, path: string): number | bigint | string | null {
  if (raw === null) return null;
  const t = f.type;
  const bad = (): SluiceError =>
    new SluiceError(
      'TYPE_MISMATCH',
      `Partition folder value '${f.name}=${raw}' of file '${path}' is not a valid ${typeName(t)}. Fix the folder name or declare '${f.name}' as string in the schema.`,
    );
  switch (t.kind) {
    case 'int32':
    case 'date': {
      const n = t.kind === 'date' ? Math.floor(Date.parse(raw) / 86400000) : Number(raw);
      if (!Number.isInteger(n)) throw bad();
      return n;
    }
    case 'int64':
      if (!/^-?\d+$/.test(raw)) throw bad();
      return BigInt(raw);
    case 'float64': {
      const n = Number(raw);
      if (Number.isNaN(n) && raw !== 'NaN') throw bad();
      return n;
    }
    case 'utf8':
      return raw;
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw bad();
      return raw === 'true' ? 1 : 0;
    case 'timestamp': {
      const ms = Date.parse(raw);
      if (Number.isNaN(ms)) throw bad();
      return BigInt(ms) * (t.unit === 'us' ? 1000n : 1n);
    }
    default:
      throw bad();
  }
}

/** A partition value as a statistics bound for pruning. */
export function partitionStat(v: number | bigint | string | null, t: DataType): StatValue | null {
  if (v === null) return null;
  if (typeof v === 'string') return encodeUtf8(v);
  if (t.kind === 'timestamp' && typeof v === 'bigint') return t.unit === 'ms' ? v * 1000n : v;
  return v;
}

/** A constant vector of `length` rows holding one partition value. */
export function constantVector(type: DataType, value: number | bigint | string | null, length: number): ColumnVector {
  const validity = value === null ? new Uint8Array(length) : null;
  switch (type.kind) {
    case 'int32':
    case 'date':
      return { type, length, validity, values: new Int32Array(length).fill(typeof value === 'number' ? value : 0) };
    case 'boolean':
      return { type, length, validity, values: new Uint8Array(length).fill(typeof value === 'number' ? value : 0) };
    case 'float64':
      return { type, length, validity, values: new Float64Array(length).fill(typeof value === 'number' ? value : 0) };
    case 'int64':
    case 'timestamp':
      return { type, length, validity, values: new BigInt64Array(length).fill(typeof value === 'bigint' ? value : 0n) };
    case 'utf8': {
      const bytes = typeof value === 'string' ? encodeUtf8(value) : new Uint8Array(0);
      const dictionary: ColumnVector = { type, length: 1, validity: null, values: bytes, offsets: Int32Array.of(0, bytes.length) };
      return { type, length, validity, values: new Int32Array(length), dictionary };
    }
    case 'list':
      return { type, length, validity, values: new Uint8Array(0), offsets: new Int32Array(length + 1), child: vectorFromValues(type.element, []) };
    case 'map':
      return { type, length, validity, values: new Uint8Array(0), offsets: new Int32Array(length + 1), child: vectorFromValues(mapEntryType(type), []) };
    default:
      return { type, length, validity: null, values: new Uint8Array(0) };
  }
}

/** Names of the fields of `schema` that are partition columns of the file (present in its partition values). */
export function partitionFieldNames(schema: Schema, values: Readonly<Record<string, string | null>>): Set<string> {
  return new Set(schema.fields.filter((f) => Object.hasOwn(values, f.name)).map((f) => f.name));
}
