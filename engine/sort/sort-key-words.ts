import type { ColumnVector } from '../../common/column-vector.js';
import { typeName } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import { utf8Ranks } from './utf8-ranks.js';

/** Direction and null placement of one sort key. */
export interface SortDirection {
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

const SIGN = -0x80000000;

/**
 * Order-preserving unsigned 32-bit words for one sort key column, most significant
 * first: sorting rows by these words (unsigned, lexicographically) sorts them by the key
 * in the given direction with nulls placed as asked. A column with nulls gets a leading
 * null-flag word. Orders follow Spark: NaN is larger than every number and equals NaN,
 * -0.0 equals 0.0, strings compare by bytes, false < true.
 */
export function sortKeyWords(v: ColumnVector, dir: SortDirection): Int32Array[] {
  const n = v.length;
  const kind = v.type.kind;
  if (kind === 'null') return [];
  let words: Int32Array[];
  switch (kind) {
    case 'boolean':
      words = [Int32Array.from((v.values as Uint8Array).subarray(0, n))];
      break;
    case 'int32':
    case 'date':
      words = [flipSign32(v.values as Int32Array, n)];
      break;
    case 'int64':
    case 'decimal':
    case 'timestamp':
      words = int64Words(v.values as BigInt64Array, n);
      break;
    case 'float64':
      words = float64Words(v.values as Float64Array, n);
      break;
    case 'utf8':
      words = [utf8Ranks(v)];
      break;
    case 'binary':
    case 'list':
    case 'map':
    case 'struct':
      throw new SluiceError(
        'UNSUPPORTED',
        `Cannot sort by a column of type ${typeName(v.type)}. Sort by a scalar column instead: a field of a struct (col('window.start')), or a scalar derived from an array.`,
      );
  }
  if (!dir.ascending) for (const w of words) invertInPlace(w, n);
  const valid = v.validity;
  if (valid === null) return words;
  let hasNull = false;
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) {
      hasNull = true;
      for (const w of words) w[i] = 0;
    }
  }
  if (!hasNull) return words;
  const flag = new Int32Array(n);
  const nullValue = dir.nullsFirst ? 0 : 1;
  for (let i = 0; i < n; i++) flag[i] = valid[i] === 0 ? nullValue : 1 - nullValue;
  return [flag, ...words];
}

function flipSign32(values: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = (values[i] as number) ^ SIGN;
  return out;
}

function int64Words(values: BigInt64Array, n: number): Int32Array[] {
  const halves = new Int32Array(values.buffer, values.byteOffset, n * 2);
  const hi = new Int32Array(n);
  const lo = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    lo[i] = halves[2 * i] as number;
    hi[i] = (halves[2 * i + 1] as number) ^ SIGN;
  }
  return [hi, lo];
}

function float64Words(values: Float64Array, n: number): Int32Array[] {
  const halves = new Int32Array(values.buffer, values.byteOffset, n * 2);
  const hi = new Int32Array(n);
  const lo = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const d = values[i] as number;
    if (Number.isNaN(d)) {
      hi[i] = 0x7ff80000 ^ SIGN;
      lo[i] = 0;
    } else if (d === 0) {
      hi[i] = SIGN;
      lo[i] = 0;
    } else {
      const h = halves[2 * i + 1] as number;
      const l = halves[2 * i] as number;
      if (h < 0) {
        hi[i] = ~h;
        lo[i] = ~l;
      } else {
        hi[i] = h ^ SIGN;
        lo[i] = l;
      }
    }
  }
  return [hi, lo];
}

function invertInPlace(w: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) w[i] = ~(w[i] as number);
}
