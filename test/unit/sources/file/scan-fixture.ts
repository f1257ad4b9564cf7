import type { ColumnarBatch } from '../../../../common/column-vector.js';
import type { Schema } from '../../../../common/schema.js';
import { schemaOf } from '../../../../common/schema.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import type { Expr } from '../../../../dataframe/expr/expr.js';
import type { FileEntry, FileFormat, FileScan, ScanOptions } from '../../../../dataframe/plan/logical-plan.js';
import { planFileSplits } from '../../../../sources/file/file-split.js';
import { readSplit } from '../../../../sources/file/read-split.js';

/** A file scan over `files` (columns null = all). */
export function makeScan(
  format: FileFormat,
  files: readonly FileEntry[],
  dataSchema: Schema,
  options: ScanOptions = {},
  columns: readonly string[] | null = null,
  pushedFilters: readonly Expr[] = [],
): FileScan {
  const schema = columns === null ? dataSchema : schemaOf(columns.map((c) => dataSchema.fields.find((f) => f.name === c) as Schema['fields'][number]));
  return { kind: 'fileScan', format, files, dataSchema, options, columns, pushedFilters, schema };
}

/** Rows of batches as arrays of JS values. */
export function rowsOf(batches: readonly ColumnarBatch[]): JsValue[][] {
  const out: JsValue[][] = [];
  for (const b of batches) for (let i = 0; i < b.numRows; i++) out.push(b.columns.map((c) => valueAt(c, i)));
  return out;
}

/** Plans and reads a whole scan. */
export async function readAll(scan: FileScan, options: { batchSize?: number; onMalformed?: (n: number) => void } = {}): Promise<ColumnarBatch[]> {
  const { splits } = await planFileSplits(scan, 4);
  const out: ColumnarBatch[] = [];
  for (const s of splits) for await (const b of readSplit(scan, s, options)) out.push(b);
  return out;
}
