import type { ProduceLog } from './produce-log.js';

/** One output row as a consumer of the output topic saw it. */
export interface OutputRow {
  /** Window start, epoch ms. */
  readonly w: number;
  /** Input partition. */
  readonly p: number;
  /** The window's count over that partition so far (update mode: cumulative). */
  readonly n: number;
  /** When the consumer received it (epoch ms, sub-ms). */
  readonly visibleMs: number;
}

/** What {@link attributeLatencies} found. */
export interface Attribution {
  /** Latency (ms) of each measured group of records, and the group's size: weighted samples. */
  readonly latencies: Float64Array;
  readonly weights: Float64Array;
  /** Measured records (produce time in the measured span). */
  readonly measuredRecords: number;
  /** Measured records no output row reflects (the engine had not caught up when watching ended). */
  readonly missingRecords: number;
  /** (window, partition) keys whose last count differs from the records produced for them. */
  readonly countMismatches: number;
  /** Keys compared. */
  readonly keys: number;
}

const key = (w: number, p: number): string => `${w}:${p}`;

/**
 * End-to-end latency per input record, exactly, from the produce log and the output rows.
 *
 * The pipeline counts records per (1-minute window, input partition) in update mode, so
 * each output row carries the cumulative count `n` of its key. Within a partition the
 * engine consumes records in offset order, which is the order the generator produced
 * them (one idempotent producer), so the generator knows every record's rank `r` within
 * its key, and the record is reflected by the first output row of its key with `n >= r`.
 * Its latency is that row's visible time (the consumer's clock when it received the row)
 * minus the record's produce time (its Kafka timestamp). Rows repeated by an at-least-once
 * replay only ever make an earlier-visible row count, never a later one, hence the
 * suffix minimum over visible times.
 *
 * Only records produced in `[fromMs, toMs]` are measured (the warm-up and the tail are
 * left out); every key's last count is compared with the records produced for it.
 */
export function attributeLatencies(log: ProduceLog, outputs: readonly OutputRow[], fromMs: number, toMs: number): Attribution {
  const byKey = new Map<string, { n: Float64Array; v: Float64Array }>();
  {
    const grouped = new Map<string, OutputRow[]>();
    for (const o of outputs) {
      const k = key(o.w, o.p);
      let list = grouped.get(k);
      if (list === undefined) grouped.set(k, (list = []));
      list.push(o);
    }
    for (const [k, list] of grouped) {
      list.sort((x, y) => x.n - y.n || x.visibleMs - y.visibleMs);
      const n = Float64Array.from(list, (o) => o.n);
      const v = Float64Array.from(list, (o) => o.visibleMs);
      for (let i = v.length - 2; i >= 0; i--) v[i] = Math.min(v[i] as number, v[i + 1] as number);
      byKey.set(k, { n, v });
    }
  }
  const rank = new Map<string, number>();
  const lat: number[] = [];
  const wts: number[] = [];
  let measured = 0;
  let missing = 0;
  for (let e = 0; e < log.length; e += 4) {
    const ts = log[e] as number;
    const k = key(log[e + 2] as number, log[e + 1] as number);
    const first = (rank.get(k) ?? 0) + 1;
    const last = first - 1 + (log[e + 3] as number);
    rank.set(k, last);
    if (ts < fromMs || ts > toMs) continue;
    measured += last - first + 1;
    const out = byKey.get(k);
    let r = first;
    if (out !== undefined) {
      let j = lowerBound(out.n, r);
      while (r <= last && j < out.n.length) {
        const upto = Math.min(last, out.n[j] as number);
        lat.push((out.v[j] as number) - ts);
        wts.push(upto - r + 1);
        r = upto + 1;
        j++;
      }
    }
    missing += last - r + 1;
  }
  let mismatches = 0;
  for (const [k, produced] of rank) {
    const out = byKey.get(k);
    const seen = out === undefined ? 0 : (out.n[out.n.length - 1] as number);
    if (seen !== produced) mismatches++;
  }
  return {
    latencies: Float64Array.from(lat),
    weights: Float64Array.from(wts),
    measuredRecords: measured,
    missingRecords: missing,
    countMismatches: mismatches,
    keys: rank.size,
  };
}

/** First index in ascending `xs` whose value is >= `x` (xs.length when none). */
function lowerBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The p-th percentile (0..100) of weighted samples, nearest rank: NaN when there are none. */
export function weightedPercentile(values: Float64Array, weights: Float64Array, p: number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total === 0) return Number.NaN;
  const order = Array.from(values.keys()).sort((i, j) => (values[i] as number) - (values[j] as number));
  const target = Math.max(1, Math.ceil((p / 100) * total));
  let acc = 0;
  for (const i of order) {
    acc += weights[i] as number;
    if (acc >= target) return values[i] as number;
  }
  return values[order[order.length - 1] as number] as number;
}
