import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { GroupTable } from '../../engine/hash/group-table.js';

/** One line of a group-table micro-benchmark. */
export interface GroupTableTiming {
  readonly name: string;
  readonly nsPerRow: number;
  readonly groups: number;
}

/**
 * Inserts `totalRows` rows into a fresh GroupTable, `batchRows` at a time cycling through
 * `pool`, three times; prints and returns the best ns/row. With `materializeKeys` the
 * distinct-key vectors are built inside the timed region too.
 */
export function timeGroupTableInserts(
  name: string,
  pool: readonly (readonly ColumnVector[])[],
  keyTypes: readonly DataType[],
  totalRows: number,
  batchRows: number,
  materializeKeys = false,
): GroupTableTiming {
  let best = Number.POSITIVE_INFINITY;
  let groups = 0;
  for (let rep = 0; rep < 3; rep++) {
    const table = new GroupTable(keyTypes);
    const start = process.hrtime.bigint();
    let done = 0;
    for (let b = 0; done < totalRows; b++) {
      const n = Math.min(batchRows, totalRows - done);
      table.insert(pool[b % pool.length] as ColumnVector[], n);
      done += n;
    }
    if (materializeKeys) table.keyVectors();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / totalRows);
    groups = table.size;
  }
  console.log(`${name.padEnd(44)} ${best.toFixed(2)} ns/row  (${groups} groups, best of 3)`);
  return { name, nsPerRow: Number(best.toFixed(3)), groups };
}
