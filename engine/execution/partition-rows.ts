import type { ColumnVector } from '../../common/column-vector.js';
import { hashKeys } from '../hash/hash-keys.js';

/**
 * Splits rows into `numPartitions` state partitions by the hash of their key columns:
 * row indices per partition, in row order. Equal keys always land in the same partition,
 * in every process (the hash is deterministic), which is what lets a restarted query find
 * a key's state again. Without key columns every row goes to partition 0.
 */
export function partitionRows(keys: readonly ColumnVector[], numRows: number, numPartitions: number): Int32Array[] {
  const target = new Int32Array(numRows);
  if (keys.length > 0 && numPartitions > 1) {
    const h = hashKeys(keys, numRows);
    for (let i = 0; i < numRows; i++) target[i] = ((h[i] as number) >>> 0) % numPartitions;
  }
  const counts = new Int32Array(numPartitions);
  for (let i = 0; i < numRows; i++) {
    const p = target[i] as number;
    counts[p] = (counts[p] as number) + 1;
  }
  const out: Int32Array[] = [];
  for (let p = 0; p < numPartitions; p++) out.push(new Int32Array(counts[p] as number));
  const fill = new Int32Array(numPartitions);
  for (let i = 0; i < numRows; i++) {
    const p = target[i] as number;
    const at = fill[p] as number;
    (out[p] as Int32Array)[at] = i;
    fill[p] = at + 1;
  }
  return out;
}
