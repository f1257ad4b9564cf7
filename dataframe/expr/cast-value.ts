import type { DataType } from '../../common/data-type.js';
import { MICROS_PER_DAY } from './civil-time.js';
import { formatDate, formatTimestamp, parseDate, parseTimestamp } from './datetime-text.js';
import type { LiteralValue } from './expr.js';
import { decimalFromDouble, decimalToDouble, decimalToInteger, fitsPrecision, formatDecimal, parseDecimal, pow10, rescale } from '../../common/decimal.js';
import { formatDouble, parseBoolean, parseDouble, parseInteger } from './number-text.js';

/**
 * Spark's non-ANSI cast of one value, shared by constant folding and the cast kernels so
 * both give identical results. Values use the literal representation: boolean, number
 * (int32, double, date days), bigint (int64, timestamp units), string, null.
 *
 * Rules: a string that does not parse is null; double -> int truncates toward zero, and
 * NaN, infinities and values outside the target range are null (Spark would saturate or
 * wrap; Sluice prefers null); int64 -> int32 wraps; timestamp -> numeric is seconds
 * since the epoch (floor for integers, fractional for double); numeric -> timestamp
 * reads seconds; date <-> timestamp at midnight UTC. Decimals (unscaled bigints) cast to
 * integers truncating toward zero; to decimal, values round half-up to the scale and a
 * value needing more than the precision's digits is null (Spark's non-ANSI overflow).
 */

const TWO63 = 2 ** 63;

/** True when a cast from `from` to `to` is allowed (Spark's `Cast.canCast`, restricted to Sluice types). */
export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind === 'null' || from.kind === to.kind) return from.kind !== 'list' || to.kind === 'list';
  const scalar = ['boolean', 'int32', 'int64', 'float64', 'utf8', 'decimal'];
  if (scalar.includes(from.kind) && scalar.includes(to.kind)) return true;
  switch (to.kind) {
    case 'utf8':
      return from.kind === 'date' || from.kind === 'timestamp' || from.kind === 'binary';
    case 'binary':
      return from.kind === 'utf8';
    case 'date':
      return from.kind === 'utf8' || from.kind === 'timestamp';
    case 'timestamp':
      return from.kind === 'utf8' || from.kind === 'date' || from.kind === 'int32' || from.kind === 'int64' || from.kind === 'float64';
    case 'int32':
    case 'int64':
    case 'float64':
      return from.kind === 'timestamp';
    default:
      return false;
  }
}

function unitsPerSecondOf(t: DataType): bigint {
  return t.kind === 'timestamp' && t.unit === 'ms' ? 1000n : 1000000n;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function toMicros(v: bigint, from: DataType): bigint {
  return from.kind === 'timestamp' && from.unit === 'ms' ? v * 1000n : v;
}

function fromMicros(us: bigint, to: DataType): bigint {
  return BigInt.asIntN(64, to.kind === 'timestamp' && to.unit === 'ms' ? floorDiv(us, 1000n) : us);
}

function doubleToInt(d: number, bits: 32 | 64): bigint | null {
  if (!Number.isFinite(d)) return null;
  const t = Math.trunc(d);
  if (bits === 32) return t >= -2147483648 && t <= 2147483647 ? BigInt(t) : null;
  return t >= -TWO63 && t < TWO63 ? BigInt(t) : null;
}

/** The value as an exact bigint integer (for integral sources), or null for non-integral kinds. */
function asInteger(v: LiteralValue, from: DataType): bigint | null {
  switch (from.kind) {
    case 'boolean':
      return v ? 1n : 0n;
    case 'int32':
      return BigInt(v as number);
    case 'int64':
      return v as bigint;
    case 'decimal':
      return decimalToInteger(v as bigint, from.scale);
    case 'float64':
      return doubleToInt(v as number, 64);
    case 'utf8':
      return parseInteger(v as string, 64);
    case 'timestamp':
      return floorDiv(v as bigint, unitsPerSecondOf(from));
    default:
      return null;
  }
}

/** Casts one non-null value; see the module comment for the rules. Returns null where Spark does. */
export function castValue(v: LiteralValue, from: DataType, to: DataType): LiteralValue {
  if (v === null || from.kind === 'null') return null;
  switch (to.kind) {
    case 'null':
      return null;
    case 'boolean':
      if (from.kind === 'utf8') return parseBoolean(v as string);
      if (from.kind === 'boolean') return v;
      if (from.kind === 'int64' || from.kind === 'decimal') return v !== 0n;
      return from.kind === 'int32' || from.kind === 'float64' ? v !== 0 : null;
    case 'int32': {
      if (from.kind === 'float64') {
        const r = doubleToInt(v as number, 32);
        return r === null ? null : Number(r);
      }
      if (from.kind === 'utf8') {
        const r = parseInteger(v as string, 32);
        return r === null ? null : Number(r);
      }
      const r = asInteger(v, from);
      return r === null ? null : Number(BigInt.asIntN(32, r));
    }
    case 'int64':
      return asInteger(v, from);
    case 'float64':
      switch (from.kind) {
        case 'boolean':
          return v ? 1 : 0;
        case 'int32':
        case 'float64':
          return v as number;
        case 'int64':
          return Number(v as bigint);
        case 'decimal':
          return decimalToDouble(v as bigint, from.scale);
        case 'utf8':
          return parseDouble(v as string);
        case 'timestamp':
          return Number(toMicros(v as bigint, from)) / 1e6;
        default:
          return null;
      }
    case 'utf8':
      switch (from.kind) {
        case 'boolean':
          return v ? 'true' : 'false';
        case 'int32':
        case 'int64':
          return String(v);
        case 'float64':
          return formatDouble(v as number);
        case 'decimal':
          return formatDecimal(v as bigint, from.scale);
        case 'utf8':
          return v;
        case 'date':
          return formatDate(v as number);
        case 'timestamp':
          return formatTimestamp(toMicros(v as bigint, from));
        default:
          return null;
      }
    case 'date':
      if (from.kind === 'date') return v;
      if (from.kind === 'utf8') return parseDate(v as string);
      if (from.kind === 'timestamp') return Number(floorDiv(toMicros(v as bigint, from), BigInt(MICROS_PER_DAY)));
      return null;
    case 'timestamp': {
      switch (from.kind) {
        case 'timestamp':
          return fromMicros(toMicros(v as bigint, from), to);
        case 'utf8': {
          const us = parseTimestamp(v as string);
          return us === null ? null : fromMicros(us, to);
        }
        case 'date':
          return fromMicros(BigInt(v as number) * BigInt(MICROS_PER_DAY), to);
        case 'int32':
        case 'int64':
          return BigInt.asIntN(64, BigInt(v as number | bigint) * unitsPerSecondOf(to));
        case 'float64': {
          const d = (v as number) * Number(unitsPerSecondOf(to));
          return Number.isFinite(d) && Math.abs(d) < TWO63 ? BigInt(Math.trunc(d)) : null;
        }
        default:
          return null;
      }
    }
    case 'decimal':
      return castToDecimal(v, from, to.precision, to.scale);
    case 'binary':
      // Binary values never reach here: casts to and from binary run as vector kernels.
      return null;
    case 'list':
      return from.kind === 'list' ? v : null;
    case 'struct':
    case 'map':
      return null;
  }
}

/** One value cast to decimal(precision, scale) as an unscaled bigint, or null (unparsable or overflow). */
function castToDecimal(v: LiteralValue, from: DataType, precision: number, scale: number): bigint | null {
  let x: bigint | null;
  switch (from.kind) {
    case 'decimal':
      x = rescale(v as bigint, from.scale, scale);
      break;
    case 'boolean':
      x = v ? pow10(scale) : 0n;
      break;
    case 'int32':
    case 'int64':
      x = BigInt(v as number | bigint) * pow10(scale);
      break;
    case 'float64':
      return decimalFromDouble(v as number, precision, scale);
    case 'utf8':
      return parseDecimal(v as string, precision, scale);
    default:
      return null;
  }
  return fitsPrecision(x, precision) ? x : null;
}
