import type { DataType } from '../../common/data-type.js';
import type { UdfCall } from './udf-expr.js';
import type { LibraryFunctionName } from './library-catalog.js';
import type { CollectionFunctionName } from './collection-function-names.js';
import type { WindowFunctionName } from './window-function-names.js';

/**
 * Expression nodes: frozen plain data tagged by `kind`. They carry no behaviour, survive
 * structured clone, and travel to worker threads inside plans. Builders live in
 * `functions.ts` and on the user-facing {@link Column} wrapper; type checking and implicit
 * casts in `analyze-expr.ts`; evaluation in `engine/eval`.
 *
 * Expressions stored in logical plans are always *analyzed*: every column reference exists,
 * operand types agree (the analyzer inserted casts), and every function is known.
 */
export type Expr = ColRef | Literal | Alias | BinaryExpr | UnaryExpr | InExpr | CaseWhen | Cast | Call | AggCall | SortOrder | Star | WindowExpr | UdfCall;

/** A literal's JS value: null, boolean, number (int32/double/date days), bigint (int64/timestamp), string. */
export type LiteralValue = null | boolean | number | bigint | string;

/** Reference to a column by name, optionally qualified by a DataFrame alias (`t.id`). */
export interface ColRef {
  readonly kind: 'col';
  readonly name: string;
  readonly qualifier: string | null;
}

/** A constant. `type` is the literal's type (e.g. int32 for small integers, as Spark). */
export interface Literal {
  readonly kind: 'lit';
  readonly value: LiteralValue;
  readonly type: DataType;
}

/** Gives an expression an output name. */
export interface Alias {
  readonly kind: 'alias';
  readonly child: Expr;
  readonly name: string;
}

/** Binary operators. `<=>` is null-safe equality; `and`/`or` use SQL three-valued logic. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '<=>' | 'and' | 'or';

/** A binary operation. After analysis both operands have the same type (or are boolean for and/or). */
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

/** Unary operators. */
export type UnaryOp = 'not' | 'negate' | 'isNull' | 'isNotNull';

/** A unary operation. */
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly child: Expr;
}

/** `child IN (list...)` with SQL null semantics. After analysis the list holds literals of child's type. */
export interface InExpr {
  readonly kind: 'in';
  readonly child: Expr;
  readonly list: readonly Expr[];
}

/** `CASE WHEN c1 THEN v1 ... ELSE otherwise END`; a missing otherwise yields null. */
export interface CaseWhen {
  readonly kind: 'case';
  readonly branches: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly otherwise: Expr | null;
}

/** Type conversion, Spark's non-ANSI cast: a value that does not convert becomes null. */
export interface Cast {
  readonly kind: 'cast';
  readonly child: Expr;
  readonly to: DataType;
}

/** Names of the scalar functions. Signatures live in `function-catalog.ts`. */
export type ScalarFunctionName =
  | 'coalesce'
  | 'lower'
  | 'upper'
  | 'length'
  | 'substring'
  | 'concat'
  | 'like'
  | 'startsWith'
  | 'endsWith'
  | 'contains'
  | 'trim'
  | 'year'
  | 'month'
  | 'dayofmonth'
  | 'hour'
  | 'minute'
  | 'second'
  | 'dateTrunc'
  | 'unixMillis'
  | 'unixSeconds'
  | 'fromUnixTime'
  | 'toTimestamp'
  | 'toDate'
  | 'abs'
  | 'round'
  | 'floor'
  | 'ceil'
  | 'sqrt'
  | 'window'
  | 'windowTime'
  | 'session_window'
  | 'struct'
  | 'getField'
  | 'from_json'
  | 'rowHash'
  | CollectionFunctionName
  | LibraryFunctionName;

/**
 * A scalar function call. Constant arguments (a unit, a pattern, a length) are literals.
 *
 * Struct and window calls: `struct(a AS x, b AS y)` takes aliased arguments (the alias names
 * the field); `getField(s, 'name')` reads one field; `window(t, durationUs, slideUs, startUs)`
 * takes int64 microsecond literals and is a tumbling window when slide = duration, else a
 * sliding window that plan builders and planners expand (one row per window); the internal
 * form `window(t, durationUs, slideUs, startUs, i)` is the i-th candidate window of the row
 * (null when it does not contain t), used once a sliding window has been expanded.
 * `windowTime(w)` is `w.end` minus one microsecond.
 */
export interface Call {
  readonly kind: 'call';
  readonly fn: ScalarFunctionName;
  readonly args: readonly Expr[];
}

/** Names of the aggregate functions. */
export type AggregateFunctionName =
  | 'count'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'first'
  | 'last'
  | 'stddev'
  | 'stddevPop'
  | 'variance'
  | 'varPop'
  | 'collectList'
  | 'collectSet'
  | 'countDistinct'
  | 'approxCountDistinct'
  | 'percentileApprox'
  | 'percentile'
  | 'median'
  | 'grouping'
  | 'groupingId'
  | WindowFunctionName;

/**
 * An aggregate call. `count` with no args is `count(*)`. `first`/`last` take an optional
 * second literal boolean arg `ignoreNulls`; `approxCountDistinct` an optional literal
 * relative standard deviation. The percentile family's layout is in `percentile-options.ts`.
 */
export interface AggCall {
  readonly kind: 'agg';
  readonly fn: AggregateFunctionName;
  readonly args: readonly Expr[];
}

/** A sort key: expression, direction and null placement. */
export interface SortOrder {
  readonly kind: 'sort';
  readonly child: Expr;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/** `*` or `t.*`: all columns (of a qualifier). Expanded by the plan builders. */
export interface Star {
  readonly kind: 'star';
  readonly qualifier: string | null;
}

/**
 * A window frame (Spark's `rowsBetween` / `rangeBetween`). Bounds are offsets from the
 * current row, negative = preceding; `null` is unbounded (preceding for `start`, following
 * for `end`). ROWS offsets count rows; RANGE offsets are in the order key's unit
 * (milliseconds for a timestamp key, days for a date key), and a RANGE bound of 0 (current
 * row) includes all peers (rows with an equal order value).
 */
export interface WindowFrame {
  readonly type: 'rows' | 'range';
  readonly start: number | null;
  readonly end: number | null;
}

/** A window specification (Spark's `WindowSpec`): partition keys, order, and the frame (null = Spark's default). */
export interface WindowSpecDef {
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortOrder[];
  readonly frame: WindowFrame | null;
}

/**
 * An aggregate evaluated over a window (`count().over(w)`), Spark's WindowExpression. It is
 * never evaluated directly: the plan builders of select/withColumn extract it into a
 * `window` plan node and leave a column reference in its place.
 */
export interface WindowExpr {
  readonly kind: 'windowExpr';
  readonly fn: AggCall;
  readonly spec: WindowSpecDef;
}
