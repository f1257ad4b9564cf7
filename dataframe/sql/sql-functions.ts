import { types } from '../../common/data-type.js';
import { Column } from '../expr/column.js';
import type { AggregateFunctionName, Expr, ScalarFunctionName } from '../expr/expr.js';
import { FUNCTION_CATALOG } from '../expr/function-catalog.js';
import * as F from '../expr/functions.js';

/**
 * Every aggregate function by its DataFrame name. Typed as a complete record, so adding a
 * name to `AggregateFunctionName` without listing it here fails the type check (and the
 * new aggregate is then callable from SQL as its snake_case name).
 */
const AGGREGATES: Readonly<Record<AggregateFunctionName, true>> = {
  count: true,
  sum: true,
  avg: true,
  min: true,
  max: true,
  first: true,
  last: true,
  stddev: true,
  stddevPop: true,
  variance: true,
  varPop: true,
  collectList: true,
  collectSet: true,
  countDistinct: true,
  approxCountDistinct: true,
  percentileApprox: true,
  percentile: true,
  median: true,
  grouping: true,
  groupingId: true,
  // Window-only functions (window-function-names.ts): plain aggregate-call nodes whose
  // analyzer fills in the optional arguments, so `lag(x)` plans like the builder's `lag('x')`.
  rowNumber: true,
  rank: true,
  denseRank: true,
  percentRank: true,
  cumeDist: true,
  ntile: true,
  lag: true,
  lead: true,
  firstValue: true,
  lastValue: true,
};

/** SQL names whose DataFrame name is not their camelCase (Spark's synonyms). */
const ALIASES: Readonly<Record<string, string>> = {
  substr: 'substring',
  ifnull: 'coalesce',
  nvl: 'coalesce',
  mean: 'avg',
  std: 'stddev',
  stddev_samp: 'stddev',
  var_samp: 'variance',
  ucase: 'upper',
  lcase: 'lower',
  char_length: 'length',
  character_length: 'length',
  day: 'dayofmonth',
  ceiling: 'ceil',
  regexp: 'rlike',
  regexp_like: 'rlike',
  any_value: 'first',
};

/** `date_trunc`, `dateTrunc` and `DATE_TRUNC` all give `datetrunc`. */
function lookupKey(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

function indexNames<T extends string>(names: Iterable<T>): Map<string, T> {
  const m = new Map<string, T>();
  for (const n of names) if (!m.has(lookupKey(n))) m.set(lookupKey(n), n);
  return m;
}

const SCALAR_INDEX = indexNames(Object.keys(FUNCTION_CATALOG) as ScalarFunctionName[]);
const AGG_INDEX = indexNames(Object.keys(AGGREGATES) as AggregateFunctionName[]);
type Builder = (...args: unknown[]) => unknown;
const BUILDER_INDEX = indexNames(Object.keys(F).filter((k) => typeof (F as Record<string, unknown>)[k] === 'function'));

/** What a SQL function name stands for. */
export type ResolvedFunction =
  | { readonly kind: 'scalar'; readonly fn: ScalarFunctionName }
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunctionName }
  | { readonly kind: 'builder'; readonly name: string; readonly build: Builder };

/**
 * Resolves a SQL function name (any case, snake_case or camelCase) to a scalar function of
 * the catalog, an aggregate, or (for other DataFrame functions, such as window functions)
 * the exported builder of that name; undefined when none exists.
 */
export function resolveSqlFunction(sqlName: string): ResolvedFunction | undefined {
  const lower = sqlName.toLowerCase();
  const key = lookupKey(ALIASES[lower] ?? lower);
  const agg = AGG_INDEX.get(key);
  if (agg !== undefined) return { kind: 'aggregate', fn: agg };
  const scalar = SCALAR_INDEX.get(key);
  if (scalar !== undefined) return { kind: 'scalar', fn: scalar };
  const builder = BUILDER_INDEX.get(key);
  if (builder !== undefined) return { kind: 'builder', name: builder, build: (F as unknown as Record<string, Builder>)[builder] as Builder };
  return undefined;
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** SQL (snake_case) names of every function, for "did you mean" suggestions. */
export function sqlFunctionNames(): string[] {
  return [...new Set([...Object.keys(AGGREGATES), ...Object.keys(FUNCTION_CATALOG), ...BUILDER_INDEX.values(), ...Object.keys(ALIASES)].map(snake))];
}

/** Builds an aggregate call node; `first`/`last` get their explicit ignoreNulls flag as the DataFrame builders add it. */
export function aggregateCall(fn: AggregateFunctionName, args: readonly Expr[]): Expr {
  const full =
    (fn === 'first' || fn === 'last') && args.length === 1 ? [...args, Object.freeze({ kind: 'lit', value: false, type: types.boolean }) as Expr] : args;
  return Object.freeze({ kind: 'agg', fn, args: Object.freeze([...full]) });
}

/** Calls a DataFrame builder with SQL arguments: literals as JS values, other expressions as Columns. */
export function callBuilder(build: Builder, args: readonly Expr[]): Expr {
  const values = args.map((a) =>
    a.kind === 'lit' ? (typeof a.value === 'bigint' && Number.isSafeInteger(Number(a.value)) ? Number(a.value) : a.value) : new Column(a),
  );
  const out = build(...values);
  if (!(out instanceof Column)) throw new TypeError('builder did not return a Column');
  return out.expr;
}
