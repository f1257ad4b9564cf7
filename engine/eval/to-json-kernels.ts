import type { ColumnVector } from '../../common/column-vector.js';
import { compileDatePattern } from '../../dataframe/expr/datetime-pattern.js';
import { formatDate } from '../../dataframe/expr/datetime-text.js';
import { formatDouble } from '../../dataframe/expr/number-text.js';
import { literalValueAt } from './eval-vectors.js';
import { utf8FromStrings } from './utf8-strings.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/**
 * Spark's `to_json` over struct and array vectors: each row is written straight from the
 * child vectors (no intermediate objects). Null struct fields are left out (Spark's
 * `ignoreNullFields`), array elements and map values keep their nulls (map keys as text); doubles print as Java does (1.0,
 * 1.0E10, "NaN" quoted), timestamps as yyyy-MM-dd'T'HH:mm:ss.SSSXXX in UTC, dates as
 * yyyy-MM-dd, binary as base64.
 */

const TIMESTAMP = compileDatePattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

function isNull(v: ColumnVector, i: number): boolean {
  return v.type.kind === 'null' || (v.validity !== null && v.validity[i] === 0);
}

/** Writes the (non-null) value at row `i` of `v` as JSON. */
function write(v: ColumnVector, i: number): string {
  const t = v.type;
  switch (t.kind) {
    case 'struct': {
      const children = v.children as readonly ColumnVector[];
      let s = '{';
      let first = true;
      t.fields.forEach((f, k) => {
        const c = children[k] as ColumnVector;
        if (isNull(c, i)) return;
        s += `${first ? '' : ','}${JSON.stringify(f.name)}:${write(c, i)}`;
        first = false;
      });
      return `${s}}`;
    }
    case 'list': {
      const o = v.offsets as Int32Array;
      const child = v.child as ColumnVector;
      const parts: string[] = [];
      for (let k = o[i] as number; k < (o[i + 1] as number); k++) parts.push(isNull(child, k) ? 'null' : write(child, k));
      return `[${parts.join(',')}]`;
    }
    case 'map': {
      const o = v.offsets as Int32Array;
      const [keys, vals] = ((v.child as ColumnVector).children ?? []) as [ColumnVector, ColumnVector];
      const parts: string[] = [];
      for (let k = o[i] as number; k < (o[i + 1] as number); k++) {
        const key = literalValueAt(keys, k);
        parts.push(`${JSON.stringify(typeof key === 'string' ? key : String(key))}:${isNull(vals, k) ? 'null' : write(vals, k)}`);
      }
      return `{${parts.join(',')}}`;
    }
    case 'float64': {
      const x = (v.values as Float64Array)[i] as number;
      return Number.isFinite(x) ? formatDouble(x) : JSON.stringify(formatDouble(x));
    }
    case 'timestamp': {
      const raw = (v.values as BigInt64Array)[i] as bigint;
      return JSON.stringify(TIMESTAMP.format(t.unit === 'ms' ? raw * 1000n : raw));
    }
    case 'date':
      return JSON.stringify(formatDate((v.values as Int32Array)[i] as number));
    case 'binary': {
      const o = v.offsets as Int32Array;
      return JSON.stringify(Buffer.from((v.values as Uint8Array).subarray(o[i] as number, o[i + 1] as number)).toString('base64'));
    }
    default: {
      const x = literalValueAt(v, i);
      return typeof x === 'string' ? JSON.stringify(x) : String(x);
    }
  }
}

/** Compiles `toJson(s)` of a struct or array operand. */
export function compileToJson(arg: Operand): CompiledExpr {
  return (batch) => {
    const v = operandVector(arg, batch);
    const n = batch.numRows;
    const out: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = isNull(v, i) ? null : write(v, i);
    return utf8FromStrings(out);
  };
}
