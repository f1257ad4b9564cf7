import { didYouMean } from '../../common/closest-name.js';
import { parseTypeName, types } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import { Column } from '../expr/column.js';
import type { Expr, SortOrder, WindowFrame } from '../expr/expr.js';
import { sessionWindow, window } from '../expr/functions.js';
import { intervalExpr } from '../expr/interval.js';
import { WindowSpec } from '../window-spec.js';
import type { Span, SqlExpr, SqlFrameBound, SqlSortItem, SqlWindowSpec } from './sql-ast.js';
import { sqlError } from './sql-error.js';
import { aggregateCall, callBuilder, resolveSqlFunction, sqlFunctionNames } from './sql-functions.js';

function freeze(e: Expr): Expr {
  return Object.freeze(e);
}

/**
 * Finds a function registered in the session by name (any case), as `sluice.udf.register`
 * does: called on the argument Columns, it gives the call's Column. Registered names take
 * precedence over built-in ones, as in Spark's session function registry.
 */
export type UdfLookup = (name: string) => ((...args: Column[]) => Column) | undefined;

const lit = (value: string | number | boolean | bigint | null, type = types.utf8): Expr => freeze({ kind: 'lit', value, type });

/**
 * Turns parsed SQL expressions into expression nodes (unresolved: columns are checked when a
 * plan is built). Errors point into `sql` with a caret.
 */
export class SqlExprConverter {
  readonly sql: string;

  private readonly udfs: UdfLookup | undefined;

  constructor(sql: string, udfs?: UdfLookup) {
    this.sql = sql;
    this.udfs = udfs;
  }

  /** A positioned error under `span`. */
  error(span: Span, message: string, code: 'INVALID_ARGUMENT' | 'UNSUPPORTED' = 'INVALID_ARGUMENT'): SluiceError {
    return sqlError(code, this.sql, span.offset, span.end - span.offset, message);
  }

  /** The expression node of `e`. */
  convert(e: SqlExpr): Expr {
    switch (e.k) {
      case 'col': {
        const parts = e.parts;
        const name = parts[parts.length - 1] as string;
        return freeze({ kind: 'col', name, qualifier: parts.length > 1 ? parts.slice(0, -1).join('.') : null });
      }
      case 'star':
        return freeze({ kind: 'star', qualifier: e.qualifier });
      case 'lit':
        return e.value;
      case 'typed':
        return freeze({ kind: 'cast', child: lit(e.text), to: e.type === 'date' ? types.date : types.timestamp('us', 'UTC') });
      case 'interval':
        return this.intervalValue(e);
      case 'alias':
        return freeze({ kind: 'alias', child: this.convert(e.child), name: e.name });
      case 'unary': {
        const child = this.convert(e.child);
        if (e.op === '+') return child;
        return freeze({ kind: 'unary', op: e.op === '-' ? 'negate' : 'not', child });
      }
      case 'binary':
        return this.binary(e);
      case 'isNull':
        return freeze({ kind: 'unary', op: e.not ? 'isNotNull' : 'isNull', child: this.convert(e.child) });
      case 'in': {
        const inExpr = freeze({ kind: 'in', child: this.convert(e.child), list: Object.freeze(e.list.map((x) => this.convert(x))) });
        return e.not ? freeze({ kind: 'unary', op: 'not', child: inExpr }) : inExpr;
      }
      case 'inQuery':
        throw this.error(e.span, 'x IN (SELECT ...) is only supported in WHERE, as a condition joined to the others by AND', 'UNSUPPORTED');
      case 'between': {
        const c = this.convert(e.child);
        const range = freeze({
          kind: 'binary',
          op: 'and',
          left: freeze({ kind: 'binary', op: '>=', left: c, right: this.convert(e.low) }),
          right: freeze({ kind: 'binary', op: '<=', left: c, right: this.convert(e.high) }),
        });
        return e.not ? freeze({ kind: 'unary', op: 'not', child: range }) : range;
      }
      case 'like': {
        if (e.op === 'ilike') {
          // Case-insensitive LIKE: both sides lower-cased (a literal pattern stays a literal).
          const p = e.pattern;
          const pattern =
            p.k === 'lit' && typeof p.value.value === 'string' ? lit(p.value.value.toLowerCase()) : this.scalarCall('lower', [this.convert(p)], p.span);
          const call = this.scalarCall('like', [this.scalarCall('lower', [this.convert(e.child)], e.span), pattern], e.span);
          return e.not ? freeze({ kind: 'unary', op: 'not', child: call }) : call;
        }
        const fn = resolveSqlFunction(e.op);
        if (fn === undefined || fn.kind !== 'scalar')
          throw this.error(e.span, `${e.op.toUpperCase()} is not available: the function ${e.op} is not in the function catalog`, 'UNSUPPORTED');
        const call = freeze({ kind: 'call', fn: fn.fn, args: Object.freeze([this.convert(e.child), this.convert(e.pattern)]) });
        return e.not ? freeze({ kind: 'unary', op: 'not', child: call }) : call;
      }
      case 'case': {
        const operand = e.operand === null ? null : this.convert(e.operand);
        const branches = e.branches.map((b) => {
          const when = this.convert(b.when);
          return Object.freeze({ when: operand === null ? when : freeze({ kind: 'binary', op: '=', left: operand, right: when }), then: this.convert(b.then) });
        });
        return freeze({ kind: 'case', branches: Object.freeze(branches), otherwise: e.otherwise === null ? null : this.convert(e.otherwise) });
      }
      case 'cast': {
        const to = parseTypeName(e.typeText);
        if (to === undefined)
          throw this.error(
            e.typeSpan,
            `Unknown type '${e.typeText}'. Use boolean, int, bigint, double, string, binary, date, timestamp, array<...> or struct<...>`,
          );
        return freeze({ kind: 'cast', child: this.convert(e.child), to });
      }
      case 'call':
        return this.call(e);
    }
  }

  private binary(e: Extract<SqlExpr, { k: 'binary' }>): Expr {
    const left = this.convert(e.left);
    const right = this.convert(e.right);
    if (e.op === '||') return this.scalarCall('concat', [left, right], e.span);
    if (e.op === 'div') return freeze({ kind: 'cast', child: freeze({ kind: 'binary', op: '/', left, right }), to: types.int64 });
    return freeze({ kind: 'binary', op: e.op, left, right });
  }

  private scalarCall(name: string, args: Expr[], span: Span): Expr {
    const fn = resolveSqlFunction(name);
    if (fn === undefined || fn.kind !== 'scalar') throw this.error(span, `Function ${name} is not available`, 'UNSUPPORTED');
    return freeze({ kind: 'call', fn: fn.fn, args: Object.freeze(args) });
  }

  /** The length of an interval of days and smaller units, in microseconds. */
  private fixedMicros(e: Extract<SqlExpr, { k: 'interval' }>): bigint {
    if (e.months !== 0) throw this.error(e.span, 'An INTERVAL with months or years has no fixed length; use weeks, days or smaller units here');
    return BigInt(e.days) * 86_400_000_000n + e.micros;
  }

  /** An interval as a value: Spark's CalendarInterval (`interval.ts`), which `ts +/- interval` adds. */
  private intervalValue(e: Extract<SqlExpr, { k: 'interval' }>): Expr {
    return intervalExpr({ months: e.months, days: e.days, microseconds: e.micros });
  }

  /** A duration argument of window()/session_window(): a string literal or an INTERVAL. */
  private durationText(a: SqlExpr | undefined, fn: string): string | undefined {
    if (a === undefined) return undefined;
    if (a.k === 'interval') return `${this.fixedMicros(a)} microseconds`;
    if (a.k === 'lit' && typeof a.value.value === 'string') return a.value.value;
    throw this.error(a.span, `${fn}() needs a duration such as '10 minutes' or INTERVAL 10 MINUTES here`);
  }

  private call(e: Extract<SqlExpr, { k: 'call' }>): Expr {
    const name = e.name.toLowerCase();
    const wrap = (f: () => Expr): Expr => {
      try {
        return f();
      } catch (err) {
        if (err instanceof SluiceError && !err.message.includes('(line '))
          throw this.error(e.span, err.message.replace(/\.$/, ''), err.code === 'UNSUPPORTED' ? 'UNSUPPORTED' : 'INVALID_ARGUMENT');
        throw err;
      }
    };
    let out: Expr;
    if (name === 'window' && e.over === null) {
      const [t, ...rest] = e.args;
      if (t === undefined || rest.length === 0 || rest.length > 3)
        throw this.error(e.span, "window() takes (time_column, window_duration [, slide_duration [, start_time]]), e.g. window(ts, '10 minutes')");
      const [d, s, st] = rest.map((a) => this.durationText(a, 'window'));
      out = wrap(() => window(new Column(this.convert(t)), d as string, s, st).expr);
    } else if (name === 'session_window') {
      const [t, gap] = e.args;
      if (t === undefined || gap === undefined || e.args.length !== 2)
        throw this.error(e.span, "session_window() takes (time_column, gap_duration), e.g. session_window(ts, '5 minutes')");
      out = wrap(() => sessionWindow(new Column(this.convert(t)), this.durationText(gap, 'session_window') as string).expr);
    } else if (name === 'if' || name === 'iff') {
      if (e.args.length !== 3) throw this.error(e.span, 'if() takes (condition, value_if_true, value_if_false)');
      const [c, a, b] = e.args.map((x) => this.convert(x)) as [Expr, Expr, Expr];
      out = freeze({ kind: 'case', branches: Object.freeze([Object.freeze({ when: c, then: a })]), otherwise: b });
    } else if (name === 'count' && (e.star || e.distinct)) {
      if (e.star) out = aggregateCall('count', []);
      else if (e.args.length !== 1)
        throw this.error(e.span, 'count(DISTINCT ...) takes one column here; combine columns with concat() if needed', 'UNSUPPORTED');
      else out = aggregateCall('countDistinct', [this.convert(e.args[0] as SqlExpr)]);
    } else if (this.udfs?.(name) !== undefined) {
      const udf = this.udfs(name) as (...args: Column[]) => Column;
      out = wrap(() => udf(...e.args.map((a) => new Column(this.convert(a)))).expr);
    } else {
      if (e.star) throw this.error(e.span, `${e.name}(*) is only valid for count(*)`);
      const fn = resolveSqlFunction(name);
      if (fn === undefined)
        throw this.error(e.span, `Unknown function ${e.name}.${didYouMean(name, sqlFunctionNames())} See docs/API.md (SQL) for the functions SQL can call`);
      if (e.distinct && !(fn.kind === 'aggregate' && (fn.fn === 'min' || fn.fn === 'max' || fn.fn === 'collectSet')))
        throw this.error(e.span, `${e.name}(DISTINCT ...) is not supported; only count(DISTINCT x) is`, 'UNSUPPORTED');
      const args = e.args.map((a) => this.convert(a));
      if (fn.kind === 'aggregate') out = aggregateCall(fn.fn, args);
      else if (fn.kind === 'scalar') out = freeze({ kind: 'call', fn: fn.fn, args: Object.freeze(args) });
      else out = wrap(() => callBuilder(fn.build, args));
    }
    if (e.over === null) return out;
    const spec = this.windowSpec(e.over);
    return wrap(() => new Column(out).over(spec).expr);
  }

  /** A sort order of an ORDER BY item, with Spark's default null placement for its direction. */
  sortOrder(item: SqlSortItem, child: Expr = this.convert(item.expr)): SortOrder {
    return Object.freeze({ kind: 'sort', child, ascending: item.ascending, nullsFirst: item.nullsFirst ?? item.ascending });
  }

  private windowSpec(w: SqlWindowSpec): WindowSpec {
    const frame: WindowFrame | null =
      w.frame === null
        ? null
        : Object.freeze({ type: w.frame.type, start: this.bound(w.frame.start, w.frame.type), end: this.bound(w.frame.end, w.frame.type) });
    return new WindowSpec({
      partitionBy: Object.freeze(w.partitionBy.map((p) => this.convert(p))),
      orderBy: Object.freeze(w.orderBy.map((o) => this.sortOrder(o))),
      frame,
    });
  }

  /** A frame offset: a number of rows (ROWS) or of the order key's unit (RANGE; an INTERVAL is milliseconds for a timestamp key). */
  private bound(b: SqlFrameBound, type: 'rows' | 'range'): number | null {
    if (b.unbounded) return null;
    if (b.offset === null) return 0;
    const o = b.offset;
    let v: number;
    if (o.k === 'interval' && type === 'range') v = Number(this.fixedMicros(o)) / 1000;
    else if (o.k === 'lit' && (typeof o.value.value === 'number' || typeof o.value.value === 'bigint')) v = Number(o.value.value);
    else throw this.error(o.span, `A ${type.toUpperCase()} frame offset must be a number${type === 'range' ? ' or an INTERVAL' : ''}`);
    if (v < 0) throw this.error(o.span, 'A frame offset cannot be negative; write n PRECEDING or n FOLLOWING');
    return b.preceding ? -v : v;
  }
}
