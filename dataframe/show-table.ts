import type { ColumnarBatch } from '../common/column-vector.js';
import { valueAt } from '../common/vector-value-at.js';
import { formatValue } from './format-value.js';

/**
 * Renders rows as Spark's `show()` does: a boxed table, values right-aligned, cells cut to
 * `truncate` characters (0 = no cut), and a footer when more rows exist.
 */
export function showTable(batch: ColumnarBatch, limit: number, truncate: number, hasMore: boolean): string {
  const headers = batch.schema.fields.map((f) => f.name);
  const rows: string[][] = [];
  for (let i = 0; i < Math.min(limit, batch.numRows); i++) {
    rows.push(
      batch.columns.map((c, j) => {
        const s = formatValue(valueAt(c, i), (batch.schema.fields[j] as { type: import('../common/data-type.js').DataType }).type);
        return truncate > 0 && s.length > truncate ? `${s.slice(0, Math.max(0, truncate - 3))}...` : s;
      }),
    );
  }
  const widths = headers.map((h, j) => Math.max(3, h.length, ...rows.map((r) => (r[j] as string).length)));
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+`;
  const line = (cells: readonly string[]) => `|${cells.map((c, j) => c.padStart(widths[j] as number)).join('|')}|`;
  const out = [sep, line(headers), sep, ...rows.map(line), sep];
  if (hasMore) out.push(`only showing top ${limit} row${limit === 1 ? '' : 's'}`);
  return out.join('\n');
}
