import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DataType } from '../../common/data-type.js';
import { parseTypeName } from '../../common/data-type.js';
import { describeValue } from '../../common/describe-value.js';
import { invalidArgument } from '../../common/errors.js';
import { isDataType } from '../../common/schema-check.js';
import { Column } from '../expr/column.js';
import type { ColumnLike } from '../expr/functions.js';
import { exprOf } from '../expr/functions.js';
import type { UdfRef } from '../expr/udf-expr.js';
import { registerInlineUdf } from './inline-udf-registry.js';

/**
 * Where a UDF's function lives: a module the worker threads can import (`module` is a file
 * URL, such as `import.meta.url` or `new URL('./udfs.js', import.meta.url).href`, or an
 * absolute path) and the name of its export.
 */
export interface UdfModuleRef {
  readonly module: string | URL;
  readonly export: string;
}

/** The declared result type of a UDF: a {@link DataType} or a type name such as `'double'`, `'string'`, `'bigint'`, `'array<int>'`. */
export type UdfReturnType = DataType | string;

/** Options of {@link udf} and {@link vectorizedUdf}. */
export interface UdfOptions {
  /** The name shown by explain() and error messages, and the default column name (default: the export's or the function's name). */
  readonly name?: string;
}

/**
 * A user-defined function, callable on columns: `normalise(col('name'))` or
 * `scale('amount', col('rate'))` (strings are column names) returns a {@link Column}.
 * Register it for SQL with `sluice.udf.register(name, fn)`.
 */
export interface UserDefinedFunction {
  (...args: ColumnLike[]): Column;
  /** The plain-data description plans carry. */
  readonly ref: UdfRef;
  /** The declared result type. */
  readonly returnType: DataType;
  /** True for a vectorized UDF. */
  readonly vectorized: boolean;
  /** The same function under another name (what `sluice.udf.register` does). */
  withName(name: string): UserDefinedFunction;
}

function returnTypeOf(t: unknown, who: string): DataType {
  const parsed = typeof t === 'string' ? parseTypeName(t) : isDataType(t) ? t : undefined;
  if (parsed === undefined || parsed.kind === 'null')
    throw invalidArgument(`${who} needs a return type such as 'double', 'string', 'bigint', 'boolean', 'timestamp' or types.float64; got ${describeValue(t)}.`);
  return parsed;
}

function moduleUrl(m: unknown, who: string): string {
  const text = m instanceof URL ? m.href : typeof m === 'string' ? m : '';
  if (text.startsWith('file:')) return text;
  if (text !== '' && isAbsolute(text)) return pathToFileURL(text).href;
  throw invalidArgument(
    `${who} needs the module as a file URL or an absolute path (import.meta.url, or new URL('./udfs.js', import.meta.url).href); got ${describeValue(m)}.`,
  );
}

function callable(ref: UdfRef): UserDefinedFunction {
  const call = (...args: ColumnLike[]): Column => {
    if (ref.vectorized && args.length === 0)
      throw invalidArgument(`Vectorized UDF '${ref.name}' needs at least one column argument (it is called with whole column vectors).`);
    return new Column(Object.freeze({ kind: 'udf', udf: ref, args: Object.freeze(args.map(exprOf)) }));
  };
  Object.defineProperty(call, 'name', { value: ref.name });
  return Object.assign(call, {
    ref,
    returnType: ref.returnType,
    vectorized: ref.vectorized,
    withName: (name: string): UserDefinedFunction => callable(Object.freeze({ ...ref, name })),
  });
}

function makeUdf(source: unknown, returnType: unknown, vectorized: boolean, options: UdfOptions): UserDefinedFunction {
  const who = vectorized ? 'vectorizedUdf()' : 'udf()';
  const type = returnTypeOf(returnType, who);
  if (typeof source === 'function') {
    const name = options.name ?? (source.name || 'udf');
    const inlineId = registerInlineUdf(source as (...args: never[]) => unknown);
    return callable(Object.freeze({ name, module: null, exportName: null, inlineId, returnType: type, vectorized }));
  }
  if (typeof source === 'object' && source !== null && 'module' in source && 'export' in source) {
    const spec = source as UdfModuleRef;
    if (typeof spec.export !== 'string' || spec.export === '')
      throw invalidArgument(`${who} needs the export's name as a string, got ${describeValue(spec.export)}.`);
    const module = moduleUrl(spec.module, who);
    return callable(Object.freeze({ name: options.name ?? spec.export, module, exportName: spec.export, inlineId: null, returnType: type, vectorized }));
  }
  throw invalidArgument(
    `${who} needs a function or { module: import.meta.url, export: 'name' }, got ${describeValue(source)}. Functions that run in the worker threads must come from a module.`,
  );
}

/**
 * A row UDF (Spark's `udf`): the function is called once per row with the argument values
 * as `toArray()` gives them (number, bigint for bigint columns, string, boolean, Date for
 * dates and timestamps, arrays, objects) and null for a null argument; it returns a value
 * of `returnType` or null. A value of another type fails the query with TYPE_MISMATCH
 * naming the UDF.
 *
 * `source` is where the function lives. Queries evaluate UDFs in the worker threads, which
 * cannot receive closures, so give a module and export: `udf({ module: import.meta.url,
 * export: 'normalise' }, 'string')` (the module is imported by every worker: keep it free of
 * side effects such as starting a session). A closure defined inline, `udf((s) => ..., 'string')`,
 * runs only where the query evaluates it on the driver (after an aggregate, sort or join that
 * the driver finishes); a query that would evaluate it in a worker is refused when it is
 * planned, with a message saying how to move it into a module.
 */
export function udf(source: ((...args: never[]) => unknown) | UdfModuleRef, returnType: UdfReturnType, options: UdfOptions = {}): UserDefinedFunction {
  return makeUdf(source, returnType, false, options);
}

/**
 * A vectorized UDF, the fast path (Spark's pandas UDF over Arrow): called once per batch
 * with one Arrow `Vector` per argument (fixed-width values shared with the engine, not
 * copied; `vector.toArray()` of a double column without nulls is a Float64Array) and
 * returns the batch's results as an Arrow `Vector`, a typed array (Float64Array for double,
 * Int32Array for int and date, BigInt64Array for bigint and timestamp, Uint8Array of 0/1
 * for boolean) or a plain array, of the batch's length. A typed array result is null
 * wherever an argument is null (as Spark's arithmetic); return a Vector or an array to
 * decide nulls yourself. Where `source` may live is as for {@link udf}.
 */
export function vectorizedUdf(
  source: ((...args: never[]) => unknown) | UdfModuleRef,
  returnType: UdfReturnType,
  options: UdfOptions = {},
): UserDefinedFunction {
  return makeUdf(source, returnType, true, options);
}

/**
 * A UDF whose function is the export `exportName` of the module at `url` (a file URL or an
 * absolute path): `udfFromModule(new URL('./udfs.js', import.meta.url), 'normalise', 'string')`.
 * Pass `{ vectorized: true }` for a vectorized UDF.
 */
export function udfFromModule(
  url: string | URL,
  exportName: string,
  returnType: UdfReturnType,
  options: UdfOptions & { readonly vectorized?: boolean } = {},
): UserDefinedFunction {
  return makeUdf({ module: url, export: exportName }, returnType, options.vectorized ?? false, options);
}
