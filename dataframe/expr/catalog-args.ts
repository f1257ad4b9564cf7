import type { DataType } from '../../common/data-type.js';
import { isNumeric, types, typeName } from '../../common/data-type.js';
import { invalidArgument, typeMismatchError } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { apiCallName } from './api-call-name.js';
import type { Call, Expr, LiteralValue } from './expr.js';
import { exprOutputName } from './expr-to-string.js';
import { castTo } from './type-coercion.js';

/**
 * Argument checks shared by the function library's catalogs (strings, date/time, JSON):
 * each checks one analyzed argument, inserts Spark's implicit cast, or throws
 * TYPE_MISMATCH / INVALID_ARGUMENT naming the call and the fix.
 */

function hint(e: Expr, to: string): string {
  return e.kind === 'col' ? `col('${e.name}').cast('${to}')` : `.cast('${to}')`;
}

/** Throws TYPE_MISMATCH unless `ok`: "`call` needs `what`, but x is T. Cast it with ...". */
export function needArg(call: Call, a: AnalyzedExpr, ok: boolean, what: string, castName: string): void {
  if (!ok)
    throw typeMismatchError(
      `${apiCallName(call)} needs ${what}, but ${exprOutputName(a.expr)} is ${typeName(a.type)}. Cast it with ${hint(a.expr, castName)}.`,
    );
}

/** The value of a literal argument; INVALID_ARGUMENT when the argument is a column expression. */
export function literalArgValue(call: Call, a: AnalyzedExpr | undefined, what: string): LiteralValue {
  if (a === undefined || a.expr.kind !== 'lit') throw invalidArgument(`${apiCallName(call)} needs ${what} as a literal value, not a column expression.`);
  return a.expr.value;
}

/** True when any argument may be null. */
export const anyNullable = (args: readonly AnalyzedExpr[]): boolean => args.some((a) => a.nullable);

/** A string argument: strings as is, null literals typed string, numbers, booleans, dates and timestamps cast to string (Spark's implicit cast). */
export function stringArg(a: AnalyzedExpr, call: Call): AnalyzedExpr {
  const k = a.type.kind;
  if (k === 'utf8') return a;
  needArg(call, a, k === 'null' || isNumeric(a.type) || k === 'boolean' || k === 'date' || k === 'timestamp', 'a string', 'string');
  return castTo(a, types.utf8);
}

/** An int argument (int32; bigint narrows as Spark's implicit cast does). */
export function intArg(a: AnalyzedExpr, call: Call): AnalyzedExpr {
  needArg(call, a, a.type.kind === 'int32' || a.type.kind === 'int64' || a.type.kind === 'null', 'an integer', 'int');
  return castTo(a, types.int32);
}

/** A date argument: dates as is; timestamps and ISO strings cast to date (Spark's implicit cast). */
export function dateArg(a: AnalyzedExpr, call: Call): AnalyzedExpr {
  const k = a.type.kind;
  if (k === 'date') return a;
  needArg(call, a, k === 'timestamp' || k === 'utf8' || k === 'null', 'a date', 'date');
  return castTo(a, types.date);
}

/** A timestamp argument: timestamps as is; dates and strings cast to timestamp[us]. */
export function timestampArg(a: AnalyzedExpr, call: Call): AnalyzedExpr {
  const k = a.type.kind;
  if (k === 'timestamp') return a;
  needArg(call, a, k === 'date' || k === 'utf8' || k === 'null', 'a timestamp', 'timestamp');
  return castTo(a, types.timestamp('us'));
}

/** A literal string argument (a pattern, a unit); returns it, or null for a null literal. */
export function literalString(call: Call, a: AnalyzedExpr | undefined, what: string): string | null {
  const v = literalArgValue(call, a, what);
  if (v !== null && typeof v !== 'string') throw invalidArgument(`${apiCallName(call)} needs ${what} as a string, got ${String(v)}.`);
  return v;
}

/** Result spec helper: these args, this type, nullable when any argument is. */
export function resolved(
  args: readonly AnalyzedExpr[],
  type: DataType,
  nullable = anyNullable(args),
): { args: readonly AnalyzedExpr[]; type: DataType; nullable: boolean } {
  return { args, type, nullable };
}
