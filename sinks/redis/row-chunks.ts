import type { ColumnarBatch } from '../../common/column-vector.js';

/** Rows `[from, to)` of one batch. */
export interface RowRange {
  readonly batch: ColumnarBatch;
  readonly from: number;
  readonly to: number;
}

/**
 * Cuts a stream of batches into chunks of `size` rows (the last may be shorter), in row
 * order: chunk c holds rows `[c*size, (c+1)*size)` of the whole stream. Ranges point into
 * the batches; nothing is copied. `write(ranges, c, final)` sees each chunk once, in order,
 * `final` true only for the last (which is empty when the stream is); returning false stops
 * the cut (the rest of the stream is not read).
 */
export async function forEachChunk(
  batches: AsyncIterable<ColumnarBatch>,
  size: number,
  write: (ranges: readonly RowRange[], chunk: number, final: boolean) => Promise<boolean>,
): Promise<void> {
  let pending: RowRange[] = [];
  let rows = 0;
  let chunk = 0;
  for await (const b of batches) {
    for (let at = 0; at < b.numRows; ) {
      if (rows === size) {
        if (!(await write(pending, chunk++, false))) return;
        pending = [];
        rows = 0;
      }
      const take = Math.min(b.numRows - at, size - rows);
      pending.push({ batch: b, from: at, to: at + take });
      rows += take;
      at += take;
    }
  }
  await write(pending, chunk, true);
}
