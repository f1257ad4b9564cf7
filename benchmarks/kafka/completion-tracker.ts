import type { OutputRow } from './latency-attribution.js';
import type { ProduceLog } from './produce-log.js';

/**
 * Follows the output rows as they arrive and tells when every (window, partition) key has
 * reached the count of records produced for it, i.e. when the output reflects all input,
 * and the instant the last key got there.
 */
export class CompletionTracker {
  private readonly expected = new Map<string, number>();
  private readonly seen = new Map<string, number>();
  private read = 0;
  private complete = 0;
  /** Visible time (epoch ms) of the row that completed the last key so far. */
  completedAtMs = 0;

  constructor(log: ProduceLog) {
    for (let e = 0; e < log.length; e += 4) {
      const k = `${log[e + 2]}:${log[e + 1]}`;
      this.expected.set(k, (this.expected.get(k) ?? 0) + (log[e + 3] as number));
    }
  }

  /** Takes the rows that arrived since the last call; true once every key is complete. */
  update(rows: readonly OutputRow[]): boolean {
    for (; this.read < rows.length; this.read++) {
      const r = rows[this.read] as OutputRow;
      const k = `${r.w}:${r.p}`;
      const before = this.seen.get(k) ?? 0;
      if (r.n <= before) continue;
      this.seen.set(k, r.n);
      const want = this.expected.get(k);
      if (want !== undefined && before < want && r.n >= want) {
        this.complete++;
        this.completedAtMs = Math.max(this.completedAtMs, r.visibleMs);
      }
    }
    return this.complete === this.expected.size;
  }

  /** Keys still short of their count. */
  get pending(): number {
    return this.expected.size - this.complete;
  }
}
