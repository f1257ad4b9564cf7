import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';

/** The folder name Hive and Spark use for a null partition value. */
export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

const KEY_VALUE = /^([^=]+)=(.*)$/;

function unescapePathName(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/**
 * The Hive-style partition values of a file path: every `key=value` folder between `basePath`
 * (when given, else the whole path) and the file name, in order. `__HIVE_DEFAULT_PARTITION__`
 * becomes null; `%XX` escapes are decoded.
 */
export function partitionValuesOf(path: string, basePath: string | null = null): Record<string, string | null> {
  let rel = path;
  if (basePath !== null) {
    const base = basePath.endsWith('/') ? basePath : `${basePath}/`;
    if (path.startsWith(base)) rel = path.slice(base.length);
  }
  const parts = rel.split('/');
  parts.pop();
  const out: Record<string, string | null> = {};
  for (const p of parts) {
    const m = KEY_VALUE.exec(p);
    if (!m) continue;
    const key = unescapePathName(m[1] as string);
    const value = m[2] as string;
    out[key] = value === HIVE_DEFAULT_PARTITION ? null : unescapePathName(value);
  }
  return out;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** The narrowest type of one partition value: int, bigint, double or string (null: no constraint). */
export function inferPartitionValueType(value: string | null): DataType | null {
  if (value === null) return null;
  if (/^-?\d+$/.test(value)) {
    const n = Number(value);
    if (n >= INT32_MIN && n <= INT32_MAX) return types.int32;
    const b = BigInt(value);
    if (b >= -(2n ** 63n) && b < 2n ** 63n) return types.int64;
    return types.float64;
  }
  if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) return types.float64;
  return types.utf8;
}

const RANK: Record<string, number> = { int32: 0, int64: 1, float64: 2, utf8: 3 };

/** The wider of two partition column types (int < bigint < double < string). */
export function widerPartitionType(a: DataType | null, b: DataType | null): DataType | null {
  if (a === null) return b;
  if (b === null) return a;
  return (RANK[a.kind] ?? 3) >= (RANK[b.kind] ?? 3) ? a : b;
}

const SPECIAL = new Set(['"', '#', '%', "'", '*', '/', ':', '=', '?', '\\', '\x7f', '{', '[', ']', '^']);

/** Escapes a partition value for a folder name the way Spark does (`/` -> `%2F`...). */
export function escapePathName(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || SPECIAL.has(ch)) out += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}
