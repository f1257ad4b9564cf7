import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import type { LiteralValue } from '../../dataframe/expr/expr.js';
import type { LibraryFunctionName } from '../../dataframe/expr/library-catalog.js';
import { LIBRARY_NULL_TOLERANT, libraryValueFn } from '../../dataframe/expr/library-catalog.js';
import { compileDateLibraryCall, DATE_LIBRARY_KERNELS } from './date-library-kernels.js';
import { booleanVector, literalValueAt, mapDictionary, mapRows, nullVector, vectorFromLiterals } from './eval-vectors.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';
import { compileConcatWs, compileReverseArray, compileSplit } from './split-kernels.js';
import { compileToJson } from './to-json-kernels.js';
import { readStrings, utf8FromStrings } from './utf8-strings.js';

/**
 * Kernels of the scalar function library (strings and regexps, date/time, JSON). Date
 * arithmetic and date parts run as typed-array loops (`date-library-kernels.ts`); split,
 * concatWs and toJson build their vectors directly; the remaining string functions apply
 * their per-value semantics (shared with constant folding) row by row, once per dictionary
 * entry when the input is dictionary-encoded and the other arguments are literals.
 */

function compilePerValue(fn: LibraryFunctionName, args: readonly Operand[], outType: DataType): CompiledExpr {
  const value = libraryValueFn(fn);
  const argTypes = args.map((a) => a.type);
  const tolerant = LIBRARY_NULL_TOLERANT.has(fn);
  const first = args[0] as Operand;
  const rest = args.slice(1);
  const restLits = rest.every((a) => a.kind === 'lit');
  const asOut = (v: ColumnVector): ColumnVector => (outType.kind === 'boolean' ? booleanVector(v.values as Uint8Array, v.validity) : v);
  if (first.kind === 'vec' && restLits && !tolerant) {
    const lits: LiteralValue[] = rest.map((a) => (a.kind === 'lit' ? a.value : null));
    if (lits.some((x) => x === null)) return (b) => nullVector(outType, b.numRows);
    const onPlain = (v: ColumnVector): ColumnVector => {
      const n = v.length;
      const strs: LiteralValue[] = v.type.kind === 'utf8' ? readStrings(v) : Array.from({ length: n }, (_, i) => literalValueAt(v, i));
      const vals: LiteralValue[] = [null, ...lits];
      const out: LiteralValue[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const s = strs[i] ?? null;
        if (s === null) out[i] = null;
        else {
          vals[0] = s;
          out[i] = value(vals, argTypes);
        }
      }
      return outType.kind === 'utf8' ? utf8FromStrings(out as (string | null)[]) : asOut(vectorFromLiterals(outType, out));
    };
    return (batch) => {
      const v = first.eval(batch);
      if (v.type.kind === 'null') return nullVector(outType, batch.numRows);
      return v.dictionary ? mapDictionary(v, outType, onPlain) : onPlain(v);
    };
  }
  return (batch) => {
    const vs = args.map((a) => operandVector(a, batch));
    const r = mapRows(outType, vs, batch.numRows, (vals) => value(vals, argTypes), tolerant);
    return asOut(r);
  };
}

/** Compiles a library function call over analyzed operands; `outType` is the call's analyzed type. */
export function compileLibraryCall(fn: LibraryFunctionName, args: readonly Operand[], outType: DataType): CompiledExpr {
  if (fn === 'split') return compileSplit(args);
  if (fn === 'concatWs') return compileConcatWs(args);
  if (fn === 'toJson') return compileToJson(args[0] as Operand);
  if (fn === 'reverse' && (args[0] as Operand).type.kind === 'list') return compileReverseArray(args[0] as Operand);
  if (DATE_LIBRARY_KERNELS.has(fn)) return compileDateLibraryCall(fn, args, outType);
  return compilePerValue(fn, args, outType);
}
