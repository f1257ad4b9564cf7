import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import type { Field, Schema } from '../../common/schema.js';
import { resolveFieldIndex } from '../../common/schema.js';
import { gatherVector } from '../../common/vector-gather.js';
import type { Expr, Literal } from '../../dataframe/expr/expr.js';
import { foldConstants } from '../../dataframe/expr/fold-constants.js';
import { compileExpr } from './compile-expr.js';
import { compareKind, loopArray, loopScalar } from './comparison-kernels.js';
import { membershipTest, utf8Membership } from './in-kernels.js';
import type { CompareOp } from './loop-codegen.js';
import { denseSelectLoop, flipCompare, sparseSelectLoop } from './loop-codegen.js';
import { dictionaryLut } from './utf8-lut.js';

/**
 * Predicates compiled to row selections. A conjunction is split into its conjuncts, each
 * compiled to a selection filter; the first runs over all rows, each next one only over
 * the rows that passed so far. Column-vs-literal comparisons on numbers and timestamps run
 * generated loops that append passing row indices directly; IN lists and utf8 tests work
 * per dictionary entry. Other conjuncts evaluate to a boolean vector (over the surviving
 * rows only, gathered, when few survive).
 */

/**
 * Writes into `out` the rows that pass, taken from `sel[0..n)` (or from 0..n when `sel` is
 * null), in order, and returns how many. `out` may be `sel`.
 */
type SelectionFilter = (batch: ColumnarBatch, sel: Int32Array | null, n: number, out: Int32Array) => number;

function selectMask(mask: Uint8Array, valid: Uint8Array | null, sel: Int32Array | null, n: number, out: Int32Array): number {
  let k = 0;
  if (sel === null) {
    if (valid === null)
      for (let i = 0; i < n; i++) {
        out[k] = i;
        k += mask[i] as number;
      }
    else
      for (let i = 0; i < n; i++) {
        out[k] = i;
        k += (mask[i] as number) & (valid[i] as number);
      }
  } else {
    for (let j = 0; j < n; j++) {
      const i = sel[j] as number;
      out[k] = i;
      k += (mask[i] as number) & (valid === null ? 1 : (valid[i] as number));
    }
  }
  return k;
}

function columnIndex(e: Expr, schema: Schema): { idx: number; type: DataType } | null {
  if (e.kind !== 'col') return null;
  const idx = resolveFieldIndex(schema, e.name, e.qualifier);
  return { idx, type: (schema.fields[idx] as Field).type };
}

function comparisonFilter(e: Extract<Expr, { kind: 'binary' }>, schema: Schema): SelectionFilter | null {
  const ops = ['=', '!=', '<', '<=', '>', '>='];
  if (!ops.includes(e.op)) return null;
  let op = e.op as CompareOp;
  let c = columnIndex(e.left, schema);
  let lit = e.right.kind === 'lit' ? e.right : null;
  if (c === null || lit === null) {
    c = columnIndex(e.right, schema);
    lit = e.left.kind === 'lit' ? e.left : null;
    op = flipCompare(op);
  }
  if (c === null || lit === null) return null;
  if (lit.value === null) return () => 0;
  const kind = compareKind(c.type);
  if (kind === 'utf8' || kind === 'null') return null;
  const scalar = loopScalar(lit.value, kind);
  const idx = c.idx;
  const dense = [denseSelectLoop(kind, op, true, false), denseSelectLoop(kind, op, true, true)] as const;
  const sparse = [sparseSelectLoop(kind, op, true, false), sparseSelectLoop(kind, op, true, true)] as const;
  return (batch, sel, n, out) => {
    const v = batch.columns[idx] as ColumnVector;
    const a = loopArray(v, kind);
    const valid = v.validity;
    if (sel === null) return valid === null ? dense[0](a, scalar, n, null, out) : dense[1](a, scalar, n, valid, out);
    return valid === null ? sparse[0](a, scalar, sel, n, null, out) : sparse[1](a, scalar, sel, n, valid, out);
  };
}

function inFilter(e: Extract<Expr, { kind: 'in' }>, schema: Schema): SelectionFilter | null {
  const c = columnIndex(e.child, schema);
  if (c === null || !e.list.every((x) => x.kind === 'lit')) return null;
  const values = (e.list as readonly Literal[]).map((x) => x.value).filter((x) => x !== null);
  const type = c.type;
  if (type.kind === 'null') return () => 0;
  const test = membershipTest(values, type);
  const bytes = type.kind === 'utf8' ? utf8Membership(values as string[]) : null;
  const idx = c.idx;
  return (batch, sel, n, out) => {
    const v = batch.columns[idx] as ColumnVector;
    if (v.dictionary && bytes !== null) {
      // Test the dictionary once, then look up only the candidate rows.
      const lut = dictionaryLut(v.dictionary, bytes.key, bytes.test);
      const codes = v.values as Int32Array;
      const valid = v.validity;
      let k = 0;
      if (sel === null) {
        if (valid === null)
          for (let i = 0; i < n; i++) {
            out[k] = i;
            k += lut[codes[i] as number] as number;
          }
        else
          for (let i = 0; i < n; i++) {
            out[k] = i;
            k += (lut[codes[i] as number] as number) & (valid[i] as number);
          }
      } else if (valid === null) {
        for (let j = 0; j < n; j++) {
          const i = sel[j] as number;
          out[k] = i;
          k += lut[codes[i] as number] as number;
        }
      } else {
        for (let j = 0; j < n; j++) {
          const i = sel[j] as number;
          out[k] = i;
          k += (lut[codes[i] as number] as number) & (valid[i] as number);
        }
      }
      return k;
    }
    if (bytes !== null && sel !== null) {
      const o = v.offsets as Int32Array;
      const b = v.values as Uint8Array;
      const valid = v.validity;
      let k = 0;
      for (let j = 0; j < n; j++) {
        const i = sel[j] as number;
        if ((valid === null || valid[i] === 1) && bytes.test(b, o[i] as number, o[i + 1] as number)) out[k++] = i;
      }
      return k;
    }
    return selectMask(test(v), v.validity, sel, n, out);
  };
}

function genericFilter(e: Expr, schema: Schema): SelectionFilter {
  const f = compileExpr(e, schema);
  return (batch, sel, n, out) => {
    if (sel !== null && n * 4 < batch.numRows) {
      const rows = sel.slice(0, n);
      const gathered: ColumnarBatch = { schema: batch.schema, numRows: n, columns: batch.columns.map((col) => gatherVector(col, rows)) };
      const r = f(gathered);
      let k = 0;
      for (let j = 0; j < n; j++) {
        out[k] = rows[j] as number;
        k += (r.values[j] as number) & (r.validity === null ? 1 : (r.validity[j] as number));
      }
      return k;
    }
    const r = f(batch);
    return selectMask(r.values as Uint8Array, r.validity, sel, sel === null ? batch.numRows : n, out);
  };
}

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function selectionFilter(e: Expr, schema: Schema): SelectionFilter {
  if (e.kind === 'binary') return comparisonFilter(e, schema) ?? genericFilter(e, schema);
  if (e.kind === 'in') return inFilter(e, schema) ?? genericFilter(e, schema);
  return genericFilter(e, schema);
}

/**
 * Compiles an analyzed boolean expression into a function giving, per batch, the indices
 * of the rows where it is true (not false, not null), ascending.
 */
export function compilePredicate(expr: Expr, inputSchema: Schema): (batch: ColumnarBatch) => Int32Array {
  const folded = foldConstants(expr);
  if (folded.kind === 'lit') {
    const keepAll = folded.value === true;
    return (batch) => (keepAll ? Int32Array.from({ length: batch.numRows }, (_, i) => i) : new Int32Array(0));
  }
  const filters = conjuncts(folded).map((c) => selectionFilter(c, inputSchema));
  return (batch) => {
    const sel = new Int32Array(batch.numRows);
    let n = (filters[0] as SelectionFilter)(batch, null, batch.numRows, sel);
    for (let f = 1; f < filters.length && n > 0; f++) n = (filters[f] as SelectionFilter)(batch, sel, n, sel);
    return n === sel.length ? sel : sel.subarray(0, n);
  };
}
