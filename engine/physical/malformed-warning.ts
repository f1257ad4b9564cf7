import type { FileScan } from '../../dataframe/plan/logical-plan.js';
import type { OperatorMetrics } from './physical-operator.js';

/** The Node.js warning code of {@link reportMalformedRecords}, for `process.on('warning', ...)` listeners. */
export const MALFORMED_RECORDS_WARNING = 'SLUICE_MALFORMED_RECORDS';

/** Adds a reader's malformed-record count to an operator's metrics (`malformedRowsNulled` / `malformedRowsDropped`). */
export function countMalformed(metrics: OperatorMetrics, count: number, kind: 'nulled' | 'dropped'): void {
  const key = kind === 'nulled' ? 'malformedRowsNulled' : 'malformedRowsDropped';
  metrics.extra[key] = (metrics.extra[key] ?? 0) + count;
}

/**
 * When a CSV/JSON scan met malformed records, says so once per scan as a Node.js process
 * warning (code {@link MALFORMED_RECORDS_WARNING}; printed on stderr unless a `warning`
 * listener is installed): how many records were kept with null values (PERMISSIVE) and how
 * many were dropped (DROPMALFORMED), and how to see them. Called on the driver only.
 */
export function reportMalformedRecords(scan: FileScan, metrics: OperatorMetrics): void {
  const nulled = metrics.extra.malformedRowsNulled ?? 0;
  const dropped = metrics.extra.malformedRowsDropped ?? 0;
  if (nulled === 0 && dropped === 0) return;
  const what = [nulled > 0 ? `${nulled} kept with null values (mode PERMISSIVE)` : '', dropped > 0 ? `${dropped} dropped (mode DROPMALFORMED)` : '']
    .filter((s) => s !== '')
    .join(', ');
  const files = scan.files.length === 1 ? `'${scan.files[0]?.path}'` : `${scan.files.length} files`;
  process.emitWarning(
    `Sluice: ${nulled + dropped} malformed ${scan.format.toUpperCase()} record(s) in ${files}: ${what}. Read with option mode=FAILFAST to get the first one's file and line, or declare a string column '_corrupt_record' to keep their text.`,
    { code: MALFORMED_RECORDS_WARNING },
  );
}
