import { typeName } from '../../common/data-type.js';
import { WINDOW_FUNCTION_SQL_NAMES } from './window-function-names.js';
import { COLLECTION_FUNCTION_SQL_NAMES } from './collection-function-names.js';
import { formatDate, formatTimestamp } from './datetime-text.js';
import type { AggregateFunctionName, Expr, Literal, ScalarFunctionName, WindowSpecDef } from './expr.js';
import { formatDouble } from './number-text.js';
import { isPercentileCall, percentileCallText } from './percentile-options.js';
import { sqlNameOf } from './sql-name.js';

/** Spark SQL names of the scalar functions, as shown by explain() and in auto column names. */
const SCALAR_SQL_NAMES: Readonly<Partial<Record<ScalarFunctionName, string>>> = {
  coalesce: 'coalesce',
  from_json: 'from_json',
  lower: 'lower',
  upper: 'upper',
  length: 'length',
  substring: 'substring',
  concat: 'concat',
  like: 'like',
  startsWith: 'startswith',
  endsWith: 'endswith',
  contains: 'contains',
  trim: 'trim',
  year: 'year',
  month: 'month',
  dayofmonth: 'dayofmonth',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
  dateTrunc: 'date_trunc',
  unixMillis: 'unix_millis',
  unixSeconds: 'unix_seconds',
  fromUnixTime: 'from_unixtime',
  toTimestamp: 'to_timestamp',
  toDate: 'to_date',
  abs: 'abs',
  round: 'round',
  floor: 'FLOOR',
  ceil: 'CEIL',
  sqrt: 'SQRT',
  window: 'window',
  windowTime: 'window_time',
  session_window: 'session_window',
  struct: 'struct',
  getField: 'get_field',
  rowHash: 'row_hash',
  ...COLLECTION_FUNCTION_SQL_NAMES,
};

const AGG_SQL_NAMES: Readonly<Record<AggregateFunctionName, string>> = {
  count: 'count',
  sum: 'sum',
  avg: 'avg',
  min: 'min',
  max: 'max',
  first: 'first',
  last: 'last',
  stddev: 'stddev',
  stddevPop: 'stddev_pop',
  variance: 'variance',
  varPop: 'var_pop',
  collectList: 'collect_list',
  collectSet: 'collect_set',
  countDistinct: 'count',
  approxCountDistinct: 'approx_count_distinct',
  percentileApprox: 'percentile_approx',
  percentile: 'percentile',
  median: 'median',
  grouping: 'grouping',
  groupingId: 'grouping_id',
  ...WINDOW_FUNCTION_SQL_NAMES,
};

/** Options of {@link exprToString}. */
export interface ExprToStringOptions {
  /** Quote string literals (`'US'`); Spark's auto column names leave them bare. Default true. */
  readonly quoteStrings?: boolean;
}

function literalText(l: Literal, quote: boolean): string {
  const v = l.value;
  if (v === null) return 'NULL';
  switch (l.type.kind) {
    case 'utf8':
      return quote ? `'${String(v).replace(/'/g, "\\'")}'` : String(v);
    case 'float64':
      return formatDouble(v as number);
    case 'date':
      return `DATE '${formatDate(v as number)}'`;
    case 'timestamp':
      return `TIMESTAMP '${formatTimestamp(l.type.unit === 'ms' ? (v as bigint) * 1000n : (v as bigint))}'`;
    default:
      return String(v);
  }
}

/**
 * SQL-ish rendering of an expression for explain() and auto column names:
 * `(amount > 100)`, `sum(amount)`, `count(1)`, `CASE WHEN ... END`, `CAST(x AS bigint)`.
 */
export function exprToString(e: Expr, options: ExprToStringOptions = {}): string {
  const q = options.quoteStrings ?? true;
  const s = (x: Expr): string => exprToString(x, options);
  switch (e.kind) {
    case 'col':
      return e.qualifier ? `${e.qualifier}.${e.name}` : e.name;
    case 'lit':
      return literalText(e, q);
    case 'alias':
      return `${s(e.child)} AS ${e.name}`;
    case 'binary': {
      const op = e.op === 'and' ? 'AND' : e.op === 'or' ? 'OR' : e.op;
      return `(${s(e.left)} ${op} ${s(e.right)})`;
    }
    case 'unary':
      return e.op === 'not' ? `(NOT ${s(e.child)})` : e.op === 'negate' ? `(- ${s(e.child)})` : `(${s(e.child)} IS ${e.op === 'isNull' ? '' : 'NOT '}NULL)`;
    case 'in':
      return `(${s(e.child)} IN (${e.list.map(s).join(', ')}))`;
    case 'case': {
      const parts = e.branches.map((b) => `WHEN ${s(b.when)} THEN ${s(b.then)}`);
      return `CASE ${parts.join(' ')}${e.otherwise ? ` ELSE ${s(e.otherwise)}` : ''} END`;
    }
    case 'cast':
      return `CAST(${s(e.child)} AS ${typeName(e.to)})`;
    case 'call':
      if (e.fn === 'getField' && e.args[1]?.kind === 'lit') return `${s(e.args[0] as Expr)}.${String(e.args[1].value)}`;
      return `${SCALAR_SQL_NAMES[e.fn] ?? sqlNameOf(e.fn)}(${e.args.map(s).join(', ')})`;
    case 'agg': {
      if (e.fn === 'count' && e.args.length === 0) return 'count(1)';
      if (isPercentileCall(e)) return percentileCallText(e, s);
      if (e.fn === 'countDistinct') return `count(DISTINCT ${e.args.map(s).join(', ')})`;
      const args = (e.fn === 'first' || e.fn === 'last') && e.args[1]?.kind === 'lit' && e.args[1].value === false ? e.args.slice(0, 1) : e.args;
      return `${AGG_SQL_NAMES[e.fn]}(${args.map(s).join(', ')})`;
    }
    case 'sort':
      return `${s(e.child)} ${e.ascending ? 'ASC' : 'DESC'} NULLS ${e.nullsFirst ? 'FIRST' : 'LAST'}`;
    case 'star':
      return e.qualifier ? `${e.qualifier}.*` : '*';
    case 'windowExpr':
      return `${s(e.fn)} OVER (${windowSpecText(e.spec, s)})`;
    case 'udf':
      return `${e.udf.name}(${e.args.map(s).join(', ')})`;
  }
}

/** Spark-like auto column name: a column's name, an alias's name, otherwise the SQL text with bare string literals. */
export function exprOutputName(e: Expr): string {
  if (e.kind === 'col') return e.name;
  if (e.kind === 'alias') return e.name;
  // Spark names a window column `window` and a nested field reference by the field's name.
  if (e.kind === 'call' && e.fn === 'window') return 'window';
  if (e.kind === 'call' && e.fn === 'session_window') return 'session_window';
  if (e.kind === 'call' && e.fn === 'getField' && e.args[1]?.kind === 'lit') return String(e.args[1].value);
  return exprToString(e, { quoteStrings: false });
}

/** SQL text of a window specification: `PARTITION BY ... ORDER BY ... ROWS|RANGE BETWEEN ...`. */
function windowSpecText(w: WindowSpecDef, s: (e: Expr) => string): string {
  const parts: string[] = [];
  if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${w.partitionBy.map(s).join(', ')}`);
  if (w.orderBy.length > 0) parts.push(`ORDER BY ${w.orderBy.map(s).join(', ')}`);
  if (w.frame !== null) {
    const bound = (v: number | null, unbounded: string): string =>
      v === null ? unbounded : v === 0 ? 'CURRENT ROW' : v < 0 ? `${-v} PRECEDING` : `${v} FOLLOWING`;
    parts.push(`${w.frame.type.toUpperCase()} BETWEEN ${bound(w.frame.start, 'UNBOUNDED PRECEDING')} AND ${bound(w.frame.end, 'UNBOUNDED FOLLOWING')}`);
  }
  return parts.join(' ');
}
