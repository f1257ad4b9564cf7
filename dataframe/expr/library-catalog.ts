import type { DataType } from '../../common/data-type.js';
import { internalError } from '../../common/errors.js';
import type { DateTimeLibraryName } from './catalog-datetime.js';
import { DATETIME_CATALOG, DATETIME_VALUES } from './catalog-datetime.js';
import type { JsonLibraryName } from './catalog-json.js';
import { JSON_CATALOG, JSON_VALUES } from './catalog-json.js';
import type { LibraryValueFn, StringLibraryName } from './catalog-strings.js';
import { STRING_CATALOG, STRING_NULL_TOLERANT, STRING_VALUES } from './catalog-strings.js';
import type { LiteralValue } from './expr.js';
import type { FunctionSpec } from './function-catalog.js';

/**
 * The scalar function library of issue 9 (strings and regexps, date/time, JSON): one
 * table of catalog entries hooked into `FUNCTION_CATALOG`, the per-value implementations
 * constant folding uses, and which functions see null arguments.
 */

/** Names of the library's scalar functions. */
export type LibraryFunctionName = StringLibraryName | DateTimeLibraryName | JsonLibraryName;

/** Catalog entries of the library, merged into `FUNCTION_CATALOG`. */
export const LIBRARY_CATALOG: Readonly<Record<LibraryFunctionName, FunctionSpec>> = { ...STRING_CATALOG, ...DATETIME_CATALOG, ...JSON_CATALOG };

const VALUES: Readonly<Record<LibraryFunctionName, LibraryValueFn | null>> = { ...STRING_VALUES, ...DATETIME_VALUES, ...JSON_VALUES };

/** Library functions computed from null arguments too (the others give null for any null argument). */
export const LIBRARY_NULL_TOLERANT: ReadonlySet<string> = STRING_NULL_TOLERANT;

/** True when `fn` is a library function. */
export function isLibraryFunction(fn: string): fn is LibraryFunctionName {
  return Object.hasOwn(LIBRARY_CATALOG, fn);
}

/** True when a call of `fn` on literals can be folded to a literal (false for results without a literal form: arrays, JSON of structs). */
export function isFoldableLibraryFunction(fn: string): boolean {
  return !isLibraryFunction(fn) || VALUES[fn] !== null;
}

/** The per-value implementation of a library function; INTERNAL when it has none (split, toJson). */
export function libraryValueFn(fn: LibraryFunctionName): LibraryValueFn {
  const f = VALUES[fn];
  if (f === null) throw internalError(`${fn} has no per-value form`);
  return f;
}

/** Value of a library call on literal-form arguments (see `scalar-call-value.ts`). */
export function libraryCallValue(fn: string, args: readonly LiteralValue[], argTypes: readonly DataType[]): LiteralValue {
  if (!isLibraryFunction(fn)) throw internalError(`unknown scalar function ${fn}`);
  return libraryValueFn(fn)(args, argTypes);
}
