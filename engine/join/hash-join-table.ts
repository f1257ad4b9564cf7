import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { typeEquals, typeName } from '../../common/data-type.js';
import { internalError } from '../../common/errors.js';
import { GroupTable } from '../hash/group-table.js';

/**
 * Rows with a null in any key column (1) or not (0); null when no key has nulls. Null keys
 * never match in an equi-join.
 */
export function nullKeyRows(keys: readonly ColumnVector[], numRows: number): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const k of keys) {
    if (k.type.kind === 'null') return new Uint8Array(numRows).fill(1);
    const v = k.validity;
    if (v === null) continue;
    if (out === null) out = new Uint8Array(numRows);
    for (let i = 0; i < numRows; i++) out[i] = (out[i] as number) | (1 - (v[i] as number));
  }
  return out;
}

/**
 * The build side of a hash join: every build row, its evaluated key columns, a
 * {@link GroupTable} over the keys, and per distinct key a chain of the build rows
 * holding it (`head[group]`, then `next[row]`, -1 ends), in ascending row order. Rows
 * with a null key are in no chain. Immutable once built, so one table can serve the probes
 * of several partitions (see HashJoinExec's `table` option).
 */
export class HashJoinTable {
  /** All build rows, concatenated in input order; row indices refer to this batch. */
  readonly build: ColumnarBatch;
  /** The build key columns evaluated over {@link build}. */
  readonly keys: readonly ColumnVector[];
  /** Group id of each build row (meaningless for rows with a null key). */
  readonly rowGroups: Int32Array;
  /** First build row of each group. */
  readonly head: Int32Array;
  /** Next build row in the same group, or -1. */
  readonly next: Int32Array;
  private readonly groups: GroupTable;

  constructor(build: ColumnarBatch, keys: readonly ColumnVector[]) {
    const n = build.numRows;
    this.build = build;
    this.keys = keys;
    this.groups = new GroupTable(keys.map((k) => k.type));
    this.rowGroups = this.groups.insert(keys, n);
    const nulls = nullKeyRows(keys, n);
    this.head = new Int32Array(this.groups.size).fill(-1);
    this.next = new Int32Array(n);
    for (let r = n - 1; r >= 0; r--) {
      if (nulls !== null && nulls[r] === 1) {
        this.next[r] = -1;
        continue;
      }
      const g = this.rowGroups[r] as number;
      this.next[r] = this.head[g] as number;
      this.head[g] = r;
    }
  }

  /** Number of distinct build keys (including a null key group, which matches nothing). */
  get groupCount(): number {
    return this.groups.size;
  }

  /** Group of each probe row, or -1 when its key is absent from the build side or null. */
  lookup(probeKeys: readonly ColumnVector[], numRows: number): Int32Array {
    probeKeys.forEach((k, i) => {
      const b = this.keys[i] as ColumnVector;
      if (!typeEquals(k.type, b.type))
        throw internalError(
          `hash join key ${i + 1} is ${typeName(k.type)} on the probe side but ${typeName(b.type)} on the build side; the planner must cast both to one type`,
        );
    });
    const out = this.groups.lookup(probeKeys, numRows);
    const nulls = nullKeyRows(probeKeys, numRows);
    if (nulls !== null) for (let i = 0; i < numRows; i++) if (nulls[i] === 1) out[i] = -1;
    const head = this.head;
    // A group made only of null-key build rows has an empty chain: no match.
    for (let i = 0; i < numRows; i++) {
      const g = out[i] as number;
      if (g >= 0 && head[g] === -1) out[i] = -1;
    }
    return out;
  }

  /** Approximate bytes held (rows, keys, hash table and chains). */
  memoryBytes(): number {
    return this.groups.memoryBytes() + this.head.byteLength + this.next.byteLength + this.rowGroups.byteLength;
  }
}
