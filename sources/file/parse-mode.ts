import { invalidArgument } from '../../common/errors.js';
import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';

/** How CSV/JSON readers treat malformed records (Spark's `mode` option). */
export type ParseMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

/** The `mode` option (default PERMISSIVE); INVALID_ARGUMENT for unknown modes. */
export function parseModeOption(options: ScanOptions): ParseMode {
  const m = String(options.mode ?? 'PERMISSIVE').toUpperCase();
  if (m === 'PERMISSIVE' || m === 'DROPMALFORMED' || m === 'FAILFAST') return m;
  throw invalidArgument(`Unknown parse mode '${String(options.mode)}'. Use PERMISSIVE, DROPMALFORMED or FAILFAST.`);
}

/** The `columnNameOfCorruptRecord` option (default `_corrupt_record`). */
export function corruptColumnOption(options: ScanOptions): string {
  const c = options.columnNameOfCorruptRecord;
  return typeof c === 'string' && c !== '' ? c : '_corrupt_record';
}

/** A boolean option given as a boolean or as 'true'/'false'. */
export function boolOption(options: ScanOptions, key: string, fallback: boolean): boolean {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw invalidArgument(`Option '${key}' must be true or false, got '${String(v)}'.`);
}
