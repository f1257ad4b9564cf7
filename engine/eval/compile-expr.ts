import { compileFromJson } from './json-kernels.js';
import { decimalArithmeticType } from '../../common/decimal-types.js';
import { compileDecimalArithmetic } from './decimal-kernels.js';
import { compileCollectionCall } from './collection-kernels.js';
import type { CollectionFunctionName } from '../../dataframe/expr/collection-function-names.js';
import { COLLECTION_FUNCTIONS } from '../../dataframe/expr/collection-function-names.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { internalError } from '../../common/errors.js';
import type { Field, Schema } from '../../common/schema.js';
import { resolveFieldIndex } from '../../common/schema.js';
import type { AnalyzedExpr } from '../../dataframe/expr/analyze-expr.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import { FUNCTION_CATALOG } from '../../dataframe/expr/function-catalog.js';
import { foldConstants } from '../../dataframe/expr/fold-constants.js';
import { compileArithmetic, compileNegate } from './arithmetic-kernels.js';
import { compileAndOr, compileNot } from './boolean-kernels.js';
import { compileCase, compileCoalesce } from './case-kernels.js';
import { compileCast } from './cast-kernels.js';
import { compileComparison } from './comparison-kernels.js';
import { broadcastValue } from './eval-vectors.js';
import { compileIn } from './in-kernels.js';
import { compileMathCall, MATH_FUNCTIONS } from './math-kernels.js';
import { compileNullTest } from './null-kernels.js';
import type { CompiledExpr, Operand } from './operand.js';
import { compileStringCall, STRING_FUNCTIONS } from './string-kernels.js';
import { compileLibraryCall } from './library-kernels.js';
import { isLibraryFunction } from '../../dataframe/expr/library-catalog.js';
import { compileStructCall, STRUCT_FUNCTIONS } from './struct-kernels.js';
import { compileRowHash } from './row-hash-kernel.js';
import { compileTimeCall } from './time-kernels.js';
import { compileUdfCall } from './udf-kernels.js';

export type { CompiledExpr } from './operand.js';

/** A compiled node: its evaluator and its type. */
interface Node {
  readonly eval: CompiledExpr;
  readonly type: DataType;
  /** Set when the node is a literal (after folding). */
  readonly literal?: Extract<Expr, { kind: 'lit' }>;
}

function operand(n: Node): Operand {
  return n.literal ? { kind: 'lit', value: n.literal.value, type: n.type } : { kind: 'vec', eval: n.eval, type: n.type };
}

function literalNode(e: Extract<Expr, { kind: 'lit' }>): Node {
  let cached: ReturnType<CompiledExpr> | null = null;
  const fn: CompiledExpr = (b) => {
    if (cached === null || cached.length !== b.numRows) cached = broadcastValue(e.value, e.type, b.numRows);
    return cached;
  };
  return { eval: fn, type: e.type, literal: e };
}

function compileNode(e: Expr, schema: Schema): Node {
  switch (e.kind) {
    case 'col': {
      const idx = resolveFieldIndex(schema, e.name, e.qualifier);
      const f = schema.fields[idx] as Field;
      return { eval: (b) => b.columns[idx] as ReturnType<CompiledExpr>, type: f.type };
    }
    case 'lit':
      return literalNode(e);
    case 'alias':
    case 'sort':
      return compileNode(e.child, schema);
    case 'binary': {
      const l = compileNode(e.left, schema);
      const r = compileNode(e.right, schema);
      switch (e.op) {
        case 'and':
        case 'or':
          return { eval: compileAndOr(e.op, l.eval, r.eval), type: types.boolean };
        case '+':
        case '-':
        case '*':
        case '/':
        case '%': {
          if (l.type.kind === 'decimal' && r.type.kind === 'decimal' && (e.op === '+' || e.op === '-' || e.op === '*')) {
            const k = compileDecimalArithmetic(e.op, operand(l), operand(r));
            return { eval: k, type: decimalArithmeticType(e.op, l.type, r.type) };
          }
          const t = e.op === '/' ? types.float64 : l.type.kind === 'null' ? r.type : l.type;
          return { eval: compileArithmetic(e.op, operand(l), operand(r), t), type: t };
        }
        default:
          return { eval: compileComparison(e.op, operand(l), operand(r), l.type.kind === 'null' ? r.type : l.type), type: types.boolean };
      }
    }
    case 'unary': {
      const c = compileNode(e.child, schema);
      switch (e.op) {
        case 'not':
          return { eval: compileNot(c.eval), type: types.boolean };
        case 'negate':
          return { eval: compileNegate(c.eval, c.type), type: c.type };
        default:
          return { eval: compileNullTest(c.eval, e.op === 'isNotNull'), type: types.boolean };
      }
    }
    case 'in': {
      const c = compileNode(e.child, schema);
      if (e.list.every((x) => x.kind === 'lit'))
        return {
          eval: compileIn(
            c.eval,
            e.list.map((x) => (x as Extract<Expr, { kind: 'lit' }>).value),
            c.type,
          ),
          type: types.boolean,
        };
      // Non-literal items: IN is the OR of equalities under three-valued logic.
      const eqs = e.list.map((x) => compileComparison('=', operand(c), operand(compileNode(x, schema)), c.type));
      return { eval: eqs.reduce((a, b) => compileAndOr('or', a, b)), type: types.boolean };
    }
    case 'case': {
      const whens = e.branches.map((b) => compileNode(b.when, schema).eval);
      const thens = e.branches.map((b) => compileNode(b.then, schema));
      const other = e.otherwise ? compileNode(e.otherwise, schema) : null;
      const t = [...thens, ...(other ? [other] : [])].find((x) => x.type.kind !== 'null')?.type ?? types.null;
      return {
        eval: compileCase(
          whens,
          thens.map((x) => x.eval),
          other?.eval ?? null,
          t,
        ),
        type: t,
      };
    }
    case 'cast': {
      const c = compileNode(e.child, schema);
      return { eval: compileCast(c.eval, c.type, e.to), type: e.to };
    }
    case 'call': {
      const args = e.args.map((a) => compileNode(a, schema));
      const analyzed: AnalyzedExpr[] = args.map((a, i) => ({ expr: e.args[i] as Expr, type: a.type, nullable: true }));
      const t = FUNCTION_CATALOG[e.fn].resolve(analyzed, e).type;
      const ops = args.map(operand);
      if (e.fn === 'coalesce')
        return {
          eval: compileCoalesce(
            args.map((a) => a.eval),
            t,
          ),
          type: t,
        };
      if (e.fn === 'from_json') {
        const mode = ops[2]?.kind === 'lit' ? String(ops[2].value) : 'PERMISSIVE';
        return { eval: compileFromJson(ops[0] as Operand, t, mode), type: t };
      }
      if (e.fn === 'rowHash') return { eval: compileRowHash(ops), type: t };
      if (isLibraryFunction(e.fn)) return { eval: compileLibraryCall(e.fn, ops, t), type: t };
      if (COLLECTION_FUNCTIONS.has(e.fn)) return { eval: compileCollectionCall(e.fn as CollectionFunctionName, ops, t), type: t };
      if (STRUCT_FUNCTIONS.has(e.fn)) return { eval: compileStructCall(e.fn, ops, t), type: t };
      if (STRING_FUNCTIONS.has(e.fn)) return { eval: compileStringCall(e.fn, ops), type: t };
      if (MATH_FUNCTIONS.has(e.fn)) return { eval: compileMathCall(e.fn, ops, t), type: t };
      return { eval: compileTimeCall(e.fn, ops, t), type: t };
    }
    case 'udf':
      return {
        eval: compileUdfCall(
          e.udf,
          e.args.map((a) => compileNode(a, schema).eval),
        ),
        type: e.udf.returnType,
      };
    case 'windowExpr':
      throw internalError('compileExpr got a window function; the plan builder must extract it into a window node before evaluation.');
    case 'agg':
    case 'star':
      throw internalError(`compileExpr got ${e.kind === 'agg' ? 'an aggregate call' : "'*'"}; the planner must replace it before evaluation.`);
  }
}

/**
 * Compiles an analyzed expression (no aggregate calls) into a function from a batch of
 * `inputSchema` to one vector of `batch.numRows` rows. Column references resolve to
 * indices once, here; constant sub-expressions are folded first. The returned vector may
 * share storage with the input batch (a column reference returns the column itself).
 */
export function compileExpr(expr: Expr, inputSchema: Schema): CompiledExpr {
  return compileNode(foldConstants(expr), inputSchema).eval;
}

/** Like {@link compileExpr}, also giving the result type. */
export function compileTypedExpr(expr: Expr, inputSchema: Schema): { readonly eval: CompiledExpr; readonly type: DataType } {
  const n = compileNode(foldConstants(expr), inputSchema);
  return { eval: n.eval, type: n.type };
}
