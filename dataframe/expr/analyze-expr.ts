import type { DataType } from '../../common/data-type.js';
import { decimalArithmeticType, decimalForIntegral, decimalForLiteral } from '../../common/decimal-types.js';
import { apiCallName } from './api-call-name.js';
import { isNumeric, types, typeName } from '../../common/data-type.js';
import { invalidArgument, SluiceError, typeMismatchError } from '../../common/errors.js';
import type { Field, Schema } from '../../common/schema.js';
import { resolveFieldIndex } from '../../common/schema.js';
import { analyzeAggCall } from './analyze-aggregate.js';
import type { BinaryExpr, Expr } from './expr.js';
import { exprOutputName } from './expr-to-string.js';
import { FUNCTION_CATALOG } from './function-catalog.js';
import { castTo, commonType, explicitCast, unify } from './type-coercion.js';
import { temporalArithmetic } from './temporal-arithmetic.js';

export { collectAggCalls, containsAggregate, referencedColumns } from './expr-children.js';
export { exprOutputName } from './expr-to-string.js';

/** An expression after analysis: implicit casts inserted, with its result type and nullability. */
export interface AnalyzedExpr {
  readonly expr: Expr;
  readonly type: DataType;
  readonly nullable: boolean;
}

/** Options of {@link analyzeExpr}. */
export interface AnalyzeOptions {
  /** Allow aggregate calls (in `agg()` expressions). Default false. */
  readonly allowAggregates?: boolean;
}

interface Ctx {
  readonly schema: Schema;
  readonly allowAggregates: boolean;
  readonly insideAggregate: boolean;
}

/**
 * Resolves column references against `schema`, type-checks, and inserts implicit casts so
 * that in the result: arithmetic operands share the result type (`/` is always double),
 * comparison operands share one type, IN lists are literals of the child's type, CASE
 * branches and coalesce arguments share one type, and null literals carry the needed type.
 * Throws UNKNOWN_COLUMN / AMBIGUOUS_COLUMN, TYPE_MISMATCH (naming the expression, the
 * types and a fix), or INVALID_PLAN for misplaced or nested aggregates.
 */
export function analyzeExpr(expr: Expr, schema: Schema, options: AnalyzeOptions = {}): AnalyzedExpr {
  return analyze(expr, { schema, allowAggregates: options.allowAggregates ?? false, insideAggregate: false });
}

function castHint(e: Expr, to: string): string {
  return e.kind === 'col' ? `col('${e.name}').cast('${to}')` : `.cast('${to}')`;
}

function analyze(e: Expr, ctx: Ctx): AnalyzedExpr {
  switch (e.kind) {
    case 'col':
      return analyzeColumn(e, ctx.schema);
    case 'lit':
      return { expr: e, type: e.type, nullable: e.value === null };
    case 'alias': {
      const c = analyze(e.child, ctx);
      return { ...c, expr: Object.freeze({ kind: 'alias', child: c.expr, name: e.name }) };
    }
    case 'sort': {
      const c = analyze(e.child, ctx);
      return { ...c, expr: Object.freeze({ ...e, child: c.expr }) };
    }
    case 'star':
      throw new SluiceError('INVALID_PLAN', `'${exprOutputName(e)}' can only be used directly in select(); name the columns instead.`);
    case 'windowExpr':
      throw new SluiceError(
        'INVALID_PLAN',
        `Window function ${exprOutputName(e)} is only allowed in select() or withColumn(). Compute it there first (withColumn('x', ...over(w))), then filter or aggregate on the new column.`,
      );
    case 'binary':
      return analyzeBinary(e, analyze(e.left, ctx), analyze(e.right, ctx));
    case 'unary': {
      const c = analyze(e.child, ctx);
      if (e.op === 'isNull' || e.op === 'isNotNull') return { expr: Object.freeze({ ...e, child: c.expr }), type: types.boolean, nullable: false };
      if (e.op === 'not') {
        const b = boolOperand(e, c);
        return { expr: Object.freeze({ ...e, child: b.expr }), type: types.boolean, nullable: b.nullable };
      }
      const n = c.type.kind === 'null' ? castTo(c, types.int32) : c;
      if (!isNumeric(n.type))
        throw typeMismatchError(
          `${exprOutputName(e)} needs a number, but ${exprOutputName(e.child)} is ${typeName(c.type)}. Cast it with ${castHint(e.child, 'double')}.`,
        );
      return { expr: Object.freeze({ ...e, child: n.expr }), type: n.type, nullable: n.nullable };
    }
    case 'in': {
      const all = unify([analyze(e.child, ctx), ...e.list.map((x) => analyze(x, ctx))], exprOutputName(e), true);
      const [child, ...list] = all.items as [AnalyzedExpr, ...AnalyzedExpr[]];
      return {
        expr: Object.freeze({ kind: 'in', child: child.expr, list: Object.freeze(list.map((x) => x.expr)) }),
        type: types.boolean,
        nullable: all.items.some((x) => x.nullable),
      };
    }
    case 'case': {
      const whens = e.branches.map((b) => boolOperand(e, analyze(b.when, ctx)));
      const values = [...e.branches.map((b) => analyze(b.then, ctx)), ...(e.otherwise ? [analyze(e.otherwise, ctx)] : [])];
      const u = unify(values, exprOutputName(e), true);
      const branches = e.branches.map((_, i) => Object.freeze({ when: (whens[i] as AnalyzedExpr).expr, then: (u.items[i] as AnalyzedExpr).expr }));
      const otherwise = e.otherwise ? (u.items[e.branches.length] as AnalyzedExpr).expr : null;
      return {
        expr: Object.freeze({ kind: 'case', branches: Object.freeze(branches), otherwise }),
        type: u.type,
        nullable: e.otherwise === null || u.items.some((x) => x.nullable),
      };
    }
    case 'cast':
      return explicitCast(analyze(e.child, ctx), e.to, e);
    case 'call': {
      const spec = FUNCTION_CATALOG[e.fn];
      if (!spec) throw invalidArgument(`Unknown function '${String(e.fn)}'.`);
      const [lo, hi] = spec.arity;
      if (e.args.length < lo || e.args.length > hi)
        throw invalidArgument(
          `${apiCallName(e)} takes ${lo === hi ? lo : hi === Number.POSITIVE_INFINITY ? `at least ${lo}` : `${lo} to ${hi}`} argument(s), got ${e.args.length}.`,
        );
      const r = spec.resolve(
        e.args.map((a) => analyze(a, ctx)),
        e,
      );
      return { expr: Object.freeze({ kind: 'call', fn: e.fn, args: Object.freeze(r.args.map((a) => a.expr)) }), type: r.type, nullable: r.nullable };
    }
    case 'udf': {
      const args = e.args.map((a) => analyze(a, ctx).expr);
      return { expr: Object.freeze({ kind: 'udf', udf: e.udf, args: Object.freeze(args) }), type: e.udf.returnType, nullable: true };
    }
    case 'agg': {
      if (ctx.insideAggregate)
        throw new SluiceError(
          'INVALID_PLAN',
          `Aggregate ${exprOutputName(e)} is nested inside another aggregate. Aggregate once, then aggregate the result in a second groupBy().`,
        );
      if (!ctx.allowAggregates)
        throw new SluiceError('INVALID_PLAN', `Aggregate ${exprOutputName(e)} is not allowed here. Use it in groupBy(...).agg(...) or agg(...).`);
      const inner = { ...ctx, insideAggregate: true };
      return analyzeAggCall(
        e,
        e.args.map((a) => analyze(a, inner)),
      );
    }
  }
}

/**
 * A column reference. Spark's rule for `a.b`: a column `b` of the DataFrame aliased `a`
 * first; failing that, field `b` of struct column `a` (and `a.b.c` as nested fields, or as
 * field `c` of column `b` of alias `a`).
 */
function analyzeColumn(e: Extract<Expr, { kind: 'col' }>, schema: Schema): AnalyzedExpr {
  let idx: number;
  try {
    idx = resolveFieldIndex(schema, e.name, e.qualifier);
  } catch (err) {
    if (e.qualifier === null || !(err instanceof SluiceError) || err.code !== 'UNKNOWN_COLUMN') throw err;
    const path = [...e.qualifier.split('.'), e.name];
    const attempts: [string | null, string, string[]][] = [[null, path[0] as string, path.slice(1)]];
    if (path.length >= 3) attempts.unshift([path[0] as string, path[1] as string, path.slice(2)]);
    for (const [qualifier, name, fields] of attempts) {
      const matches = schema.fields.filter((f) => f.name === name && (qualifier === null || f.qualifier === qualifier));
      if (matches.length !== 1 || (matches[0] as Field).type.kind !== 'struct') continue;
      let out: AnalyzedExpr = {
        expr: Object.freeze({ kind: 'col', name, qualifier: qualifier ?? (matches[0] as Field).qualifier ?? null }),
        type: (matches[0] as Field).type,
        nullable: (matches[0] as Field).nullable,
      };
      for (const fieldName of fields) {
        const t = out.type;
        const sub = t.kind === 'struct' ? t.fields.find((x) => x.name === fieldName) : undefined;
        if (sub === undefined)
          throw invalidArgument(
            `Column '${name}' has no field '${fieldName}'${t.kind === 'struct' ? `; its fields: ${t.fields.map((x) => x.name).join(', ')}` : ` (it is ${typeName(t)}, not a struct)`}.`,
          );
        out = {
          expr: Object.freeze({
            kind: 'call',
            fn: 'getField',
            args: Object.freeze([out.expr, Object.freeze({ kind: 'lit', value: fieldName, type: types.utf8 }) as Expr]),
          }),
          type: sub.type,
          nullable: out.nullable || sub.nullable,
        };
      }
      return out;
    }
    throw err;
  }
  const f = schema.fields[idx] as Field;
  return { expr: e, type: f.type, nullable: f.nullable };
}

function boolOperand(parent: Expr, a: AnalyzedExpr): AnalyzedExpr {
  if (a.type.kind === 'null') return castTo(a, types.boolean);
  if (a.type.kind !== 'boolean')
    throw typeMismatchError(
      `${exprOutputName(parent)} needs a boolean, but ${exprOutputName(a.expr)} is ${typeName(a.type)}. Compare it, e.g. col('x').gt(0), or cast it with ${castHint(a.expr, 'boolean')}.`,
    );
  return a;
}

/** The decimal type an operand takes beside a decimal: integer literals by their digits (Spark), columns by their width. */
function asDecimal(a: AnalyzedExpr): AnalyzedExpr {
  if (a.type.kind === 'decimal') return a;
  const e = a.expr;
  const t =
    e.kind === 'lit' && (typeof e.value === 'number' || typeof e.value === 'bigint')
      ? decimalForLiteral(e.value)
      : a.type.kind === 'null'
        ? types.decimal(1, 0)
        : decimalForIntegral(a.type);
  return castTo(a, t);
}

/**
 * Arithmetic with a decimal operand: with a double (or for `/` and `%`) both sides become
 * double; otherwise integers become decimals and `+`, `-`, `*` give Spark's decimal result
 * type (null on overflow). Null when neither side is a decimal.
 */
function decimalArithmetic(e: BinaryExpr, l: AnalyzedExpr, r: AnalyzedExpr): AnalyzedExpr | null {
  if (l.type.kind !== 'decimal' && r.type.kind !== 'decimal') return null;
  const make = (a: AnalyzedExpr, b: AnalyzedExpr, type: DataType): AnalyzedExpr => ({
    expr: Object.freeze({ kind: 'binary', op: e.op, left: a.expr, right: b.expr }),
    type,
    nullable: true,
  });
  if (l.type.kind === 'float64' || r.type.kind === 'float64' || e.op === '/' || e.op === '%')
    return make(castTo(l, types.float64), castTo(r, types.float64), types.float64);
  const a = asDecimal(l);
  const b = asDecimal(r);
  return make(a, b, decimalArithmeticType(e.op as '+' | '-' | '*', a.type, b.type));
}

function analyzeBinary(e: BinaryExpr, l: AnalyzedExpr, r: AnalyzedExpr): AnalyzedExpr {
  const make = (left: AnalyzedExpr, right: AnalyzedExpr, type: DataType, nullable: boolean): AnalyzedExpr => ({
    expr: Object.freeze({ kind: 'binary', op: e.op, left: left.expr, right: right.expr }),
    type,
    nullable,
  });
  switch (e.op) {
    case 'and':
    case 'or':
      return make(boolOperand(e, l), boolOperand(e, r), types.boolean, l.nullable || r.nullable);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const temporal = temporalArithmetic(e, l, r);
      if (temporal !== null) return temporal;
      for (const [side, raw] of [
        [l, e.left],
        [r, e.right],
      ] as const) {
        if (!isNumeric(side.type) && side.type.kind !== 'null' && side.type.kind !== 'decimal')
          throw typeMismatchError(
            `${exprOutputName(e)} needs numeric operands, but ${exprOutputName(raw)} is ${typeName(side.type)}. Cast it with ${castHint(raw, 'double')}.`,
          );
      }
      const dec = decimalArithmetic(e, l, r);
      if (dec !== null) return dec;
      const u = unify([l, r], exprOutputName(e));
      const t = e.op === '/' ? types.float64 : u.type.kind === 'null' ? types.int32 : u.type;
      return make(castTo(l, t), castTo(r, t), t, l.nullable || r.nullable || e.op === '/' || e.op === '%');
    }
    default: {
      if (l.type.kind === 'list' || r.type.kind === 'list') throw typeMismatchError(`${exprOutputName(e)} cannot compare array values.`);
      if (commonType([l.type, r.type], true) === null)
        throw typeMismatchError(
          `${exprOutputName(e)} compares ${typeName(l.type)} with ${typeName(r.type)}. Cast one side to the other's type, e.g. ${castHint(e.left, typeName(r.type))}.`,
        );
      const u = unify([l, r], exprOutputName(e), true);
      const [a, b] = u.items as [AnalyzedExpr, AnalyzedExpr];
      return make(a, b, types.boolean, e.op === '<=>' ? false : l.nullable || r.nullable);
    }
  }
}
