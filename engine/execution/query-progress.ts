import type { BatchDurations } from '../../dataframe/query-progress.js';
/** Fresh zeroed durations. */
export function newDurations(): BatchDurations {
  return { latestOffset: 0, walCommit: 0, getBatch: 0, queryPlanning: 0, addBatch: 0, commitOffsets: 0, triggerExecution: 0 };
}

/** Rows per second, 0 when no time passed. */
export function rowsPerSecond(rows: number, ms: number): number {
  return ms > 0 ? (rows * 1000) / ms : 0;
}
