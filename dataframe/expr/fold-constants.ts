import type { DataType } from '../../common/data-type.js';
import { COLLECTION_FUNCTIONS } from './collection-function-names.js';
import { types } from '../../common/data-type.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { castValue } from './cast-value.js';
import type { Expr, Literal, LiteralValue } from './expr.js';
import { FUNCTION_CATALOG } from './function-catalog.js';
import { binaryValue, inValue, negateValue } from './operator-value.js';
import { scalarCallValue } from './scalar-call-value.js';
import { isFoldableLibraryFunction, LIBRARY_NULL_TOLERANT } from './library-catalog.js';

/** Functions that make or read structs: never folded (struct values have no literal form). */
const STRUCT_FUNCTIONS: ReadonlySet<string> = new Set(['window', 'windowTime', 'session_window', 'struct', 'getField', 'from_json']);

function lit(value: LiteralValue, type: DataType): Literal {
  return Object.freeze({ kind: 'lit', value, type });
}

const isLit = (e: Expr): e is Literal => e.kind === 'lit';
const isTrue = (e: Expr): boolean => e.kind === 'lit' && e.value === true;
const isFalse = (e: Expr): boolean => e.kind === 'lit' && e.value === false;

function callType(e: Extract<Expr, { kind: 'call' }>, args: readonly Literal[]): DataType {
  const analyzed: AnalyzedExpr[] = args.map((a) => ({ expr: a, type: a.type, nullable: a.value === null }));
  return FUNCTION_CATALOG[e.fn].resolve(analyzed, e).type;
}

/** Folds a node whose children are already folded. */
function foldNode(e: Expr): Expr {
  switch (e.kind) {
    case 'binary': {
      const { left: l, right: r, op } = e;
      if (op === 'and') {
        if (isTrue(l)) return r;
        if (isTrue(r)) return l;
        if (isFalse(l) || isFalse(r)) return lit(false, types.boolean);
      } else if (op === 'or') {
        if (isFalse(l)) return r;
        if (isFalse(r)) return l;
        if (isTrue(l) || isTrue(r)) return lit(true, types.boolean);
      }
      if (!isLit(l) || !isLit(r)) return e;
      const arithmetic = op === '+' || op === '-' || op === '*' || op === '/' || op === '%';
      // Decimal arithmetic rescales to a result type of its own: left to the decimal kernel.
      if (arithmetic && (l.type.kind === 'decimal' || r.type.kind === 'decimal')) return e;
      const outType = arithmetic ? (op === '/' ? types.float64 : l.type) : types.boolean;
      return lit(binaryValue(op, l.value, r.value, l.type.kind === 'null' ? r.type : l.type), outType);
    }
    case 'unary': {
      const c = e.child;
      if (e.op === 'not' && c.kind === 'unary' && c.op === 'not') return c.child;
      if (!isLit(c)) return e;
      switch (e.op) {
        case 'isNull':
          return lit(c.value === null, types.boolean);
        case 'isNotNull':
          return lit(c.value !== null, types.boolean);
        case 'not':
          return lit(c.value === null ? null : !c.value, types.boolean);
        case 'negate':
          return lit(c.value === null ? null : negateValue(c.value, c.type), c.type);
      }
      return e;
    }
    case 'in':
      if (!isLit(e.child) || !e.list.every(isLit)) return e;
      return lit(
        inValue(
          e.child.value,
          (e.list as Literal[]).map((x) => x.value),
          e.child.type,
        ),
        types.boolean,
      );
    case 'cast':
      return isLit(e.child) ? lit(castValue(e.child.value, e.child.type, e.to), e.to) : e;
    case 'case': {
      const branches: { when: Expr; then: Expr }[] = [];
      for (const b of e.branches) {
        if (isLit(b.when) && b.when.value !== true) continue;
        if (isTrue(b.when) && branches.length === 0) return b.then;
        branches.push(b);
        if (isTrue(b.when)) break;
      }
      const last = branches[branches.length - 1];
      const otherwise = last !== undefined && isTrue(last.when) ? null : e.otherwise;
      if (branches.length === 0) {
        if (otherwise) return otherwise;
        const t = e.branches[0]?.then;
        return t && isLit(t) ? lit(null, t.type) : e;
      }
      if (branches.length === e.branches.length && otherwise === e.otherwise) return e;
      return Object.freeze({ kind: 'case', branches: Object.freeze(branches.map((b) => Object.freeze(b))), otherwise });
    }
    case 'call': {
      if (!e.args.every(isLit) || STRUCT_FUNCTIONS.has(e.fn) || COLLECTION_FUNCTIONS.has(e.fn) || !isFoldableLibraryFunction(e.fn)) return e;
      const args = e.args as readonly Literal[];
      const type = callType(e, args);
      const values = args.map((a) => a.value);
      if (e.fn !== 'coalesce' && !LIBRARY_NULL_TOLERANT.has(e.fn) && values.some((v) => v === null)) return lit(null, type);
      return lit(
        scalarCallValue(
          e.fn,
          values,
          args.map((a) => a.type),
        ),
        type,
      );
    }
    default:
      return e;
  }
}

/**
 * Evaluates the sub-expressions made only of literals (arithmetic, comparisons, and/or/not
 * with three-valued logic, null tests, IN, casts, coalesce, CASE with literal conditions,
 * scalar functions) and simplifies `x AND true`, `x OR false`, `x AND false`, `x OR true`
 * and `NOT NOT x`. Works on analyzed expressions; results equal the evaluator's. Returns
 * the same object when nothing changes.
 */
export function foldConstants(expr: Expr): Expr {
  let changed = false;
  const f = (x: Expr): Expr => {
    const y = foldConstants(x);
    if (y !== x) changed = true;
    return y;
  };
  let e: Expr;
  switch (expr.kind) {
    case 'alias':
    case 'unary':
    case 'cast':
    case 'sort': {
      const child = f(expr.child);
      e = changed ? Object.freeze({ ...expr, child }) : expr;
      break;
    }
    case 'binary': {
      const left = f(expr.left);
      const right = f(expr.right);
      e = changed ? Object.freeze({ ...expr, left, right }) : expr;
      break;
    }
    case 'in': {
      const child = f(expr.child);
      const list = expr.list.map(f);
      e = changed ? Object.freeze({ ...expr, child, list: Object.freeze(list) }) : expr;
      break;
    }
    case 'case': {
      const branches = expr.branches.map((b) => Object.freeze({ when: f(b.when), then: f(b.then) }));
      const otherwise = expr.otherwise ? f(expr.otherwise) : null;
      e = changed ? Object.freeze({ ...expr, branches: Object.freeze(branches), otherwise }) : expr;
      break;
    }
    case 'call':
    case 'agg': {
      const args = expr.args.map(f);
      e = changed ? Object.freeze({ ...expr, args: Object.freeze(args) }) : expr;
      break;
    }
    default:
      return expr;
  }
  return expr.kind === 'agg' || expr.kind === 'alias' || expr.kind === 'sort' ? e : foldNode(e);
}
