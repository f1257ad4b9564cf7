import type { ColumnVector } from '../../../common/column-vector.js';
import type { DataType } from '../../../common/data-type.js';
import { types } from '../../../common/data-type.js';

/**
 * Struct columns (time windows) in stream-stream join state: the state store keeps only
 * flat columns, so a struct is stored as a boolean "present" flag followed by its fields
 * (recursively) and rebuilt on load.
 */

/** The flat column types a value of `t` is stored as. */
export function flatTypes(t: DataType): DataType[] {
  if (t.kind !== 'struct') return [t];
  return [types.boolean, ...t.fields.flatMap((f) => flatTypes(f.type))];
}

/** The flat columns of `v` (see {@link flatTypes}). */
export function flattenVector(v: ColumnVector): ColumnVector[] {
  if (v.type.kind !== 'struct') return [v];
  const n = v.length;
  const flag: ColumnVector = { type: types.boolean, length: n, validity: null, values: v.validity === null ? new Uint8Array(n).fill(1) : v.validity.slice() };
  return [flag, ...(v.children ?? []).flatMap(flattenVector)];
}

/** Rebuilds a vector of type `t` from flat columns starting at `pos`; returns it and the next position. */
export function unflattenVector(t: DataType, cols: readonly ColumnVector[], pos: number): [ColumnVector, number] {
  if (t.kind !== 'struct') return [cols[pos] as ColumnVector, pos + 1];
  const flag = cols[pos] as ColumnVector;
  let p = pos + 1;
  const children: ColumnVector[] = [];
  for (const f of t.fields) {
    const [c, next] = unflattenVector(f.type, cols, p);
    children.push(c);
    p = next;
  }
  const flags = flag.values as Uint8Array;
  const allValid = flags.every((x) => x === 1);
  return [{ type: t, length: flag.length, validity: allValid ? null : flags.slice(), values: new Uint8Array(0), children }, p];
}

/**
 * Hashable columns of a join key: a struct becomes its fields, each null where the struct
 * is null (so a null struct key, like any null key, matches nothing).
 */
export function hashableKeyVectors(v: ColumnVector): ColumnVector[] {
  if (v.type.kind !== 'struct') return [v];
  const sv = v.validity;
  return (v.children ?? []).flatMap((c) => {
    if (sv === null) return hashableKeyVectors(c);
    const validity = new Uint8Array(c.length);
    for (let i = 0; i < c.length; i++) validity[i] = (sv[i] as number) & (c.validity === null ? 1 : (c.validity[i] as number));
    return hashableKeyVectors({ ...c, validity });
  });
}
