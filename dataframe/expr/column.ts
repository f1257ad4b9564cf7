import type { DataType } from '../../common/data-type.js';
import { isDataType } from '../../common/schema-check.js';
import { describeValue } from '../../common/describe-value.js';
import { parseTypeName, types } from '../../common/data-type.js';
import { invalidArgument } from '../../common/errors.js';
import type { BinaryOp, Expr, ScalarFunctionName } from './expr.js';
import type { LiteralInput } from './literal-of.js';
import { literalOf } from './literal-of.js';
import type { WindowSpec } from '../window-spec.js';
import { withGeneratorOutputNames } from './generator-output-names.js';

/** A value usable where an expression is expected: a {@link Column} or a JS literal. */
export type ColumnOrLiteral = Column | LiteralInput;

/**
 * The expression of a Column argument; INVALID_ARGUMENT naming `what` and the value given
 * when it is not a Column (a plain object or a string where a Column is required, say).
 */
export function columnExpr(value: unknown, what: string): Expr {
  if (value instanceof Column) return value.expr;
  throw invalidArgument(`${what} needs a Column such as col('x'), lit(1) or col('a').gt(1), got ${describeValue(value)}.`);
}

/** Turns a Column or JS literal into an expression node (strings are literals here, as in Spark's Column methods). */
export function toExpr(value: ColumnOrLiteral): Expr {
  return value instanceof Column ? value.expr : literalOf(value);
}

/**
 * A user-facing expression, Spark's `Column`: a thin immutable wrapper over a frozen
 * expression node. Methods build new Columns; nothing is evaluated until an action runs.
 * Column names are case-sensitive.
 */
export class Column {
  /** The expression node this Column wraps. */
  readonly expr: Expr;

  constructor(expr: Expr) {
    this.expr = expr;
  }

  private bin(op: BinaryOp, other: ColumnOrLiteral): Column {
    return new Column(Object.freeze({ kind: 'binary', op, left: this.expr, right: toExpr(other) }));
  }

  private call(fn: ScalarFunctionName, ...rest: ColumnOrLiteral[]): Column {
    return new Column(Object.freeze({ kind: 'call', fn, args: Object.freeze([this.expr, ...rest.map(toExpr)]) }));
  }

  /** `this + other`. */
  plus(other: ColumnOrLiteral): Column {
    return this.bin('+', other);
  }
  /** `this - other`. */
  minus(other: ColumnOrLiteral): Column {
    return this.bin('-', other);
  }
  /** `this * other`. */
  multiply(other: ColumnOrLiteral): Column {
    return this.bin('*', other);
  }
  /** `this / other`, always a double; division by zero gives null (Spark's non-ANSI mode). */
  divide(other: ColumnOrLiteral): Column {
    return this.bin('/', other);
  }
  /** `this % other`; modulo by zero gives null. */
  mod(other: ColumnOrLiteral): Column {
    return this.bin('%', other);
  }
  /** `this = other` (null if either side is null). */
  equalTo(other: ColumnOrLiteral): Column {
    return this.bin('=', other);
  }
  /** Alias of {@link equalTo}. */
  eq(other: ColumnOrLiteral): Column {
    return this.bin('=', other);
  }
  /** `this <> other`. */
  notEqual(other: ColumnOrLiteral): Column {
    return this.bin('!=', other);
  }
  /** Alias of {@link notEqual}. */
  ne(other: ColumnOrLiteral): Column {
    return this.bin('!=', other);
  }
  /** Null-safe equality `<=>`: true when both are null, never null itself. */
  eqNullSafe(other: ColumnOrLiteral): Column {
    return this.bin('<=>', other);
  }
  /** `this > other`. */
  gt(other: ColumnOrLiteral): Column {
    return this.bin('>', other);
  }
  /** `this >= other`. */
  geq(other: ColumnOrLiteral): Column {
    return this.bin('>=', other);
  }
  /** Alias of {@link geq}. */
  ge(other: ColumnOrLiteral): Column {
    return this.bin('>=', other);
  }
  /** `this < other`. */
  lt(other: ColumnOrLiteral): Column {
    return this.bin('<', other);
  }
  /** `this <= other`. */
  leq(other: ColumnOrLiteral): Column {
    return this.bin('<=', other);
  }
  /** Alias of {@link leq}. */
  le(other: ColumnOrLiteral): Column {
    return this.bin('<=', other);
  }
  /** Boolean AND with SQL three-valued logic. */
  and(other: ColumnOrLiteral): Column {
    return this.bin('and', other);
  }
  /** Boolean OR with SQL three-valued logic. */
  or(other: ColumnOrLiteral): Column {
    return this.bin('or', other);
  }
  /** Boolean NOT (null stays null). */
  not(): Column {
    return new Column(Object.freeze({ kind: 'unary', op: 'not', child: this.expr }));
  }
  /** Arithmetic negation. */
  negate(): Column {
    return new Column(Object.freeze({ kind: 'unary', op: 'negate', child: this.expr }));
  }
  /** True where the value is null. */
  isNull(): Column {
    return new Column(Object.freeze({ kind: 'unary', op: 'isNull', child: this.expr }));
  }
  /** True where the value is not null. */
  isNotNull(): Column {
    return new Column(Object.freeze({ kind: 'unary', op: 'isNotNull', child: this.expr }));
  }
  /** `this IN (values...)` with SQL null semantics. */
  isin(...values: ColumnOrLiteral[]): Column {
    const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as ColumnOrLiteral[]) : values;
    if (list.length === 0) throw invalidArgument('isin() needs at least one value.');
    return new Column(Object.freeze({ kind: 'in', child: this.expr, list: Object.freeze(list.map(toExpr)) }));
  }
  /** `lower <= this AND this <= upper` (both ends inclusive). */
  between(lower: ColumnOrLiteral, upper: ColumnOrLiteral): Column {
    return this.geq(lower).and(this.leq(upper));
  }
  /** SQL LIKE with `%`, `_` and backslash escapes. */
  like(pattern: string): Column {
    return this.call('like', pattern);
  }
  /** True when the Java regular expression `pattern` matches anywhere in the string (Spark's `rlike`). */
  rlike(pattern: ColumnOrLiteral): Column {
    return this.call('rlike', pattern);
  }
  /** True when the string starts with `prefix`. */
  startsWith(prefix: ColumnOrLiteral): Column {
    return this.call('startsWith', prefix);
  }
  /** True when the string ends with `suffix`. */
  endsWith(suffix: ColumnOrLiteral): Column {
    return this.call('endsWith', suffix);
  }
  /** True when the string contains `part`. */
  contains(part: ColumnOrLiteral): Column {
    return this.call('contains', part);
  }
  /** Substring from 1-based position `pos` of `len` characters. */
  substr(pos: ColumnOrLiteral, len: ColumnOrLiteral): Column {
    return this.call('substring', pos, len);
  }
  /** Converts to another type (a name like 'bigint', 'double', 'string', 'timestamp', or a DataType); unconvertible values become null. */
  cast(to: string | DataType): Column {
    const type = typeof to === 'string' ? parseTypeName(to) : isDataType(to) ? to : undefined;
    if (!type)
      throw invalidArgument(
        `Unknown type ${typeof to === 'string' ? `'${to}'` : describeValue(to)} in cast. Use boolean, int, bigint, double, string, date, timestamp, TIMESTAMP_NTZ/LTZ, or a types.* value.`,
      );
    return new Column(Object.freeze({ kind: 'cast', child: this.expr, to: type }));
  }
  /** Field `name` of a struct column (Spark's `getField`), e.g. `col('window').getField('start')`. */
  getField(name: string): Column {
    return new Column(
      Object.freeze({ kind: 'call', fn: 'getField', args: Object.freeze([this.expr, Object.freeze({ kind: 'lit', value: name, type: types.utf8 }) as Expr]) }),
    );
  }
  /**
   * Spark's `getItem`: the element at 0-based index `key` of an array column (null out of
   * range), or the value under `key` of a map column (null when absent).
   */
  getItem(key: ColumnOrLiteral): Column {
    return new Column(Object.freeze({ kind: 'call', fn: 'getItem', args: Object.freeze([this.expr, toExpr(key)]) }));
  }
  /**
   * Names the column. A generator with several columns takes one name per column (Spark's
   * multi-name alias): `posexplode('xs').alias('i', 'x')`, `explode('m').alias('k', 'v')`.
   */
  alias(name: string, ...more: string[]): Column {
    if (more.length > 0) return new Column(withGeneratorOutputNames(this.expr, [name, ...more]));
    return new Column(Object.freeze({ kind: 'alias', child: this.expr, name }));
  }
  /** Alias of {@link alias}. */
  as(name: string, ...more: string[]): Column {
    return this.alias(name, ...more);
  }
  /** Alias of {@link alias}. */
  name(name: string): Column {
    return this.alias(name);
  }
  /** Ascending sort order, nulls first (Spark's default). */
  asc(): Column {
    return this.order(true, true);
  }
  /** Ascending, nulls first. */
  ascNullsFirst(): Column {
    return this.order(true, true);
  }
  /** Ascending, nulls last. */
  ascNullsLast(): Column {
    return this.order(true, false);
  }
  /** Descending sort order, nulls last (Spark's default). */
  desc(): Column {
    return this.order(false, false);
  }
  /** Descending, nulls first. */
  descNullsFirst(): Column {
    return this.order(false, true);
  }
  /** Descending, nulls last. */
  descNullsLast(): Column {
    return this.order(false, false);
  }
  private order(ascending: boolean, nullsFirst: boolean): Column {
    const child = this.expr.kind === 'sort' ? this.expr.child : this.expr;
    return new Column(Object.freeze({ kind: 'sort', child, ascending, nullsFirst }));
  }
  /** On a `when(...)` column: adds another branch. */
  when(condition: Column, value: ColumnOrLiteral): Column {
    const e = this.expr;
    if (e.kind !== 'case' || e.otherwise !== null) throw invalidArgument('when() can only follow when(); start a CASE with the when() function.');
    return new Column(
      Object.freeze({ kind: 'case', branches: Object.freeze([...e.branches, Object.freeze({ when: condition.expr, then: toExpr(value) })]), otherwise: null }),
    );
  }
  /** On a `when(...)` column: the value where no branch matched. */
  otherwise(value: ColumnOrLiteral): Column {
    const e = this.expr;
    if (e.kind !== 'case' || e.otherwise !== null) throw invalidArgument('otherwise() can only follow when().');
    return new Column(Object.freeze({ kind: 'case', branches: e.branches, otherwise: toExpr(value) }));
  }
  /**
   * This aggregate (count, countDistinct, sum, avg, min, max) evaluated over a window,
   * Spark's `Column.over`: one value per row, from the rows of the row's frame within its
   * partition. Use it in select() or withColumn(); see `Window` for the specification.
   */
  over(spec: WindowSpec): Column {
    const e = this.expr;
    if (e.kind !== 'agg')
      throw invalidArgument(
        `over() needs an aggregate call such as count(), sum('x') or countDistinct('x'), got ${this.toString()}. Call over() on the aggregate itself and alias after it: count().over(w).alias('n').`,
      );
    return new Column(Object.freeze({ kind: 'windowExpr', fn: e, spec: spec.def }));
  }
  /** Display form, e.g. `Column<(amount > 100)>`. */
  toString(): string {
    return `Column<${JSON.stringify(this.expr, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}>`;
  }
}
