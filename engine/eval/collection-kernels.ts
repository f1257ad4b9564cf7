import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { mapEntryType, types } from '../../common/data-type.js';
import { internalError, SluiceError } from '../../common/errors.js';
import { encodeUtf8 } from '../../common/utf8.js';
import { concatVectors } from '../../common/vector-concat.js';
import { gatherVector } from '../../common/vector-gather.js';
import type { CollectionFunctionName } from '../../dataframe/expr/collection-function-names.js';
import { compareElements, elementKey, elementsEqual, isNullElement, plainVector } from './element-compare.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/**
 * Kernels of the array and map functions. Arrays and maps are offsets plus one child
 * vector (a map's child is its `struct<key, value>` entries), so most functions compute
 * child indices per row and gather once with the common gather, which works for every
 * element type; only comparisons look at single elements.
 */

function listOf(type: DataType, n: number, validity: Uint8Array | null, offsets: Int32Array, child: ColumnVector): ColumnVector {
  return { type, length: n, validity, values: new Uint8Array(0), offsets, child };
}

/** Per-row validity of a nested vector, as a fresh array (1 = valid). */
function validCopy(v: ColumnVector): Uint8Array {
  return v.validity === null ? new Uint8Array(v.length).fill(1) : v.validity.slice(0, v.length);
}

/** `array(c1, ..., ck)`: row r's elements are c1[r] .. ck[r]. */
function makeArray(cols: readonly ColumnVector[], type: DataType, n: number): ColumnVector {
  const k = cols.length;
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r <= n; r++) offsets[r] = r * k;
  const idx = new Int32Array(n * k);
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) idx[r * k + j] = j * n + r;
  return listOf(type, n, null, offsets, gatherVector(concatVectors(cols), idx));
}

/** `map(k1, v1, ...)`: entries in argument order, a later equal key replacing an earlier one. */
function makeMap(cols: readonly ColumnVector[], type: Extract<DataType, { kind: 'map' }>, n: number): ColumnVector {
  const pairs = cols.length / 2;
  const keys = plainVector(concatVectors(cols.filter((_, i) => i % 2 === 0)));
  const vals = concatVectors(cols.filter((_, i) => i % 2 === 1));
  const offsets = new Int32Array(n + 1);
  const idx: number[] = [];
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < pairs; j++) {
      const at = j * n + r;
      if (isNullElement(keys, at)) throw new SluiceError('INVALID_ARGUMENT', 'map(): a map key is null. Filter the rows or coalesce the key column first.');
      let later = false;
      for (let j2 = j + 1; j2 < pairs && !later; j2++) later = elementsEqual(keys, at, keys, j2 * n + r);
      if (!later) idx.push(at);
    }
    offsets[r + 1] = idx.length;
  }
  const gi = Int32Array.from(idx);
  const entries: ColumnVector = {
    type: mapEntryType(type),
    length: gi.length,
    validity: null,
    values: new Uint8Array(0),
    children: [gatherVector(keys, gi), gatherVector(vals, gi)],
  };
  return listOf(type, n, null, offsets, entries);
}

/** Row r's element positions `[o[r], o[r+1])` in the child; null rows read as empty. */
function rowRange(v: ColumnVector, r: number): [number, number] {
  const o = v.offsets as Int32Array;
  return isNullElement(v, r) ? [0, 0] : [o[r] as number, o[r + 1] as number];
}

/** elementAt / getItem on arrays (index, 1-based or 0-based) and maps (key lookup). */
function elementAccess(c: ColumnVector, k: ColumnVector, oneBased: boolean): ColumnVector {
  const n = c.length;
  const idx = new Int32Array(n).fill(-1);
  if (c.type.kind === 'map') {
    const entries = c.child as ColumnVector;
    const keys = plainVector((entries.children as readonly ColumnVector[])[0] as ColumnVector);
    const want = plainVector(k);
    for (let r = 0; r < n; r++) {
      if (isNullElement(want, r)) continue;
      const [a, b] = rowRange(c, r);
      for (let j = a; j < b; j++)
        if (elementsEqual(keys, j, want, r)) {
          idx[r] = j;
          break;
        }
    }
    return gatherVector((entries.children as readonly ColumnVector[])[1] as ColumnVector, idx);
  }
  const at = k.values as Int32Array;
  for (let r = 0; r < n; r++) {
    if (isNullElement(k, r) || isNullElement(c, r)) continue;
    const [a, b] = rowRange(c, r);
    const i = at[r] as number;
    const pos = oneBased ? (i > 0 ? i - 1 : i < 0 ? b - a + i : -1) : i;
    if (pos >= 0 && pos < b - a) idx[r] = a + pos;
  }
  return gatherVector(c.child as ColumnVector, idx);
}

function arrayContains(c: ColumnVector, v: ColumnVector): ColumnVector {
  const n = c.length;
  const out = new Uint8Array(n);
  const validity = new Uint8Array(n);
  const el = plainVector(c.child as ColumnVector);
  const want = plainVector(v);
  for (let r = 0; r < n; r++) {
    if (isNullElement(c, r) || isNullElement(want, r)) continue;
    const [a, b] = rowRange(c, r);
    let found = false;
    let sawNull = false;
    for (let j = a; j < b && !found; j++) {
      if (isNullElement(el, j)) sawNull = true;
      else found = elementsEqual(el, j, want, r);
    }
    if (found) {
      out[r] = 1;
      validity[r] = 1;
    } else if (!sawNull) validity[r] = 1;
  }
  return { type: types.boolean, length: n, validity, values: out };
}

function size(c: ColumnVector): ColumnVector {
  const n = c.length;
  const o = c.offsets as Int32Array;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) out[r] = isNullElement(c, r) ? -1 : (o[r + 1] as number) - (o[r] as number);
  return { type: types.int32, length: n, validity: null, values: out };
}

function arrayJoin(c: ColumnVector, delimiter: string, nullReplacement: string | null): ColumnVector {
  const n = c.length;
  const el = plainVector(c.child as ColumnVector);
  const eo = el.offsets as Int32Array;
  const eb = el.values as Uint8Array;
  const d = encodeUtf8(delimiter);
  const nr = nullReplacement === null ? null : encodeUtf8(nullReplacement);
  const offsets = new Int32Array(n + 1);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let r = 0; r < n; r++) {
    const [a, b] = rowRange(c, r);
    let first = true;
    for (let j = a; j < b; j++) {
      const isNull = isNullElement(el, j);
      if (isNull && nr === null) continue;
      if (!first) {
        parts.push(d);
        total += d.length;
      }
      first = false;
      const bytes = isNull ? (nr as Uint8Array) : eb.subarray(eo[j] as number, eo[j + 1] as number);
      parts.push(bytes);
      total += bytes.length;
    }
    offsets[r + 1] = total;
  }
  const bytes = new Uint8Array(total);
  let pos = 0;
  for (const p of parts) {
    bytes.set(p, pos);
    pos += p.length;
  }
  return { type: types.utf8, length: n, validity: c.validity === null ? null : c.validity.slice(0, n), values: bytes, offsets };
}

/** Rebuilds an array vector from per-row child positions chosen by `pick` (which appends to `out`). */
function reshape(c: ColumnVector, pick: (a: number, b: number, out: number[]) => void): ColumnVector {
  const n = c.length;
  const offsets = new Int32Array(n + 1);
  const idx: number[] = [];
  for (let r = 0; r < n; r++) {
    const [a, b] = rowRange(c, r);
    if (b > a) pick(a, b, idx);
    offsets[r + 1] = idx.length;
  }
  return listOf(c.type, n, c.validity === null ? null : validCopy(c), offsets, gatherVector(c.child as ColumnVector, Int32Array.from(idx)));
}

function sortArray(c: ColumnVector, ascending: boolean): ColumnVector {
  const el = plainVector(c.child as ColumnVector);
  return reshape(c, (a, b, out) => {
    const row: number[] = [];
    for (let j = a; j < b; j++) row.push(j);
    row.sort((x, y) => {
      const nx = isNullElement(el, x);
      const ny = isNullElement(el, y);
      if (nx || ny) return nx === ny ? 0 : (nx ? -1 : 1) * (ascending ? 1 : -1);
      const d = compareElements(el, x, el, y);
      return ascending ? d : -d;
    });
    for (const j of row) out.push(j);
  });
}

function arrayDistinct(c: ColumnVector): ColumnVector {
  const el = plainVector(c.child as ColumnVector);
  return reshape(c, (a, b, out) => {
    const seen = new Set<unknown>();
    for (let j = a; j < b; j++) {
      const key = elementKey(el, j);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(j);
    }
  });
}

function arrayExtreme(c: ColumnVector, max: boolean): ColumnVector {
  const n = c.length;
  const el = plainVector(c.child as ColumnVector);
  const idx = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) {
    const [a, b] = rowRange(c, r);
    let best = -1;
    for (let j = a; j < b; j++) {
      if (isNullElement(el, j)) continue;
      if (best < 0) best = j;
      else {
        const d = compareElements(el, j, el, best);
        if (max ? d > 0 : d < 0) best = j;
      }
    }
    idx[r] = best;
  }
  return gatherVector(el, idx);
}

/** A map's keys or values as an array vector, sharing the map's offsets and entry storage. */
function mapPart(m: ColumnVector, type: DataType, part: 0 | 1): ColumnVector {
  const entries = m.child as ColumnVector;
  return listOf(type, m.length, m.validity, m.offsets as Int32Array, (entries.children as readonly ColumnVector[])[part] as ColumnVector);
}

function literalString(o: Operand | undefined): string | null {
  return o !== undefined && o.kind === 'lit' && typeof o.value === 'string' ? o.value : null;
}

/** Compiles a call of an array or map function over analyzed operands; `type` is the result type. */
export function compileCollectionCall(fn: CollectionFunctionName, ops: readonly Operand[], type: DataType): CompiledExpr {
  const vec = (b: ColumnarBatch, i: number): ColumnVector => operandVector(ops[i] as Operand, b);
  switch (fn) {
    case 'array':
      return (b) =>
        makeArray(
          ops.map((_, i) => vec(b, i)),
          type,
          b.numRows,
        );
    case 'map':
      return (b) =>
        makeMap(
          ops.map((_, i) => vec(b, i)),
          type as Extract<DataType, { kind: 'map' }>,
          b.numRows,
        );
    case 'arrayContains':
      return (b) => arrayContains(vec(b, 0), vec(b, 1));
    case 'size':
      return (b) => size(vec(b, 0));
    case 'elementAt':
    case 'getItem':
      return (b) => elementAccess(vec(b, 0), vec(b, 1), fn === 'elementAt');
    case 'arrayJoin': {
      const d = literalString(ops[1]) ?? '';
      const nr = literalString(ops[2]);
      return (b) => arrayJoin(vec(b, 0), d, nr);
    }
    case 'sortArray': {
      const o = ops[1];
      const asc = !(o !== undefined && o.kind === 'lit' && o.value === false);
      return (b) => sortArray(vec(b, 0), asc);
    }
    case 'arrayDistinct':
      return (b) => arrayDistinct(vec(b, 0));
    case 'arrayMax':
    case 'arrayMin':
      return (b) => arrayExtreme(vec(b, 0), fn === 'arrayMax');
    case 'mapKeys':
      return (b) => mapPart(vec(b, 0), type, 0);
    case 'mapValues':
      return (b) => mapPart(vec(b, 0), type, 1);
    default:
      throw internalError(`compileCollectionCall: unknown function ${String(fn)}.`);
  }
}
