import type { Row } from '../../dataframe/data-frame.js';

/** Options of {@link compareLambdaViews}. */
export interface LambdaCheckOptions {
  /** Columns that identify a row (e.g. the window start and the group columns). */
  readonly keys: readonly string[];
  /** The column holding the end of the row's event-time window (a timestamp). */
  readonly windowEnd: string;
  /** The streaming view's watermark when it was read (ms): windows ending at or before it are closed. */
  readonly watermarkMs: number;
  /** Relative tolerance of float columns (sums in another order differ in the last bits); default 1e-9. */
  readonly floatTolerance?: number;
}

/** What {@link compareLambdaViews} found. */
export interface LambdaCheckResult {
  /** True when every closed window agrees: no missing, extra or differing row. */
  readonly agree: boolean;
  /** Rows present and equal in both views. */
  readonly matched: number;
  /** Keys of closed windows the recompute has and the stream does not (e.g. rows the stream dropped as late). */
  readonly missingInStream: readonly string[];
  /** Keys the stream has and the recompute does not. */
  readonly extraInStream: readonly string[];
  /** Keys present in both with different values, with the two rows. */
  readonly differing: readonly { readonly key: string; readonly stream: Row; readonly batch: Row }[];
  /** Keys of recompute rows whose window is still open in the stream (not a disagreement). */
  readonly open: readonly string[];
}

const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : Number(v));

function render(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'bigint' ? v.toString() : String(v);
}

function same(a: unknown, b: unknown, tolerance: number): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (a instanceof Date || b instanceof Date) return ms(a) === ms(b);
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
  return render(a) === render(b);
}

/**
 * The lambda-architecture check: compares a streaming view (the speed layer, an append-mode
 * windowed aggregation) with the batch recompute of the same job over the same data. Every
 * recompute row whose window ends at or before the stream's watermark must be in the view
 * with the same values (floats within the tolerance); the view must hold nothing else.
 * Recompute rows of windows the stream has not closed yet are listed as `open`.
 */
export function compareLambdaViews(stream: readonly Row[], batch: readonly Row[], options: LambdaCheckOptions): LambdaCheckResult {
  const tolerance = options.floatTolerance ?? 1e-9;
  const keyOf = (r: Row): string => options.keys.map((k) => render(r[k])).join('|');
  const streamed = new Map<string, Row>();
  for (const r of stream) streamed.set(keyOf(r), r);
  const missingInStream: string[] = [];
  const differing: { key: string; stream: Row; batch: Row }[] = [];
  const open: string[] = [];
  let matched = 0;
  for (const b of batch) {
    const key = keyOf(b);
    const s = streamed.get(key);
    streamed.delete(key);
    if (s === undefined) {
      if (ms(b[options.windowEnd]) <= options.watermarkMs) missingInStream.push(key);
      else open.push(key);
    } else if (Object.keys(b).every((c) => same(s[c], b[c], tolerance))) matched++;
    else differing.push({ key, stream: s, batch: b });
  }
  const extraInStream = [...streamed.keys()];
  const agree = missingInStream.length === 0 && extraInStream.length === 0 && differing.length === 0;
  return { agree, matched, missingInStream, extraInStream, differing, open };
}
