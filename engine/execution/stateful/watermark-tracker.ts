import { invalidArgument } from '../../../common/errors.js';

/** Statistics of the event-time column seen by one watermark node in one batch (ms since the epoch). */
export interface EventTimeStats {
  readonly count: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly sumMs: number;
}

/** Empty statistics (no row seen). */
export const NO_EVENT_TIME: EventTimeStats = Object.freeze({ count: 0, minMs: 0, maxMs: 0, sumMs: 0 });

/** Merges two statistics. */
export function mergeEventTimeStats(a: EventTimeStats, b: EventTimeStats): EventTimeStats {
  if (a.count === 0) return b;
  if (b.count === 0) return a;
  return { count: a.count + b.count, minMs: Math.min(a.minMs, b.minMs), maxMs: Math.max(a.maxMs, b.maxMs), sumMs: a.sumMs + b.sumMs };
}

/** How the query watermark is chosen from the watermarks of several inputs (Spark's multipleWatermarkPolicy). */
export type WatermarkPolicy = 'min' | 'max';

/** Parses the policy setting. */
export function parseWatermarkPolicy(raw: string): WatermarkPolicy {
  const v = raw.trim().toLowerCase();
  if (v === 'min' || v === 'max') return v;
  throw invalidArgument(`Config 'sluice.sql.streaming.multipleWatermarkPolicy' must be 'min' or 'max', got '${raw}'.`);
}

/** The persisted state of one watermark node (in the commit log). */
export interface WatermarkNodeState {
  /** max event time seen - delay; absent until the node saw a row. */
  readonly watermarkMs: number | null;
  /** Processing time of the last batch in which the node saw a row (ms); null before. */
  readonly lastRowAtMs: number | null;
}

/**
 * Computes the query's event-time watermark from the watermark nodes of the plan, as Spark
 * does, plus an idle timeout Spark lacks.
 *
 * - Each node's watermark is `max event time seen - delay`, updated only from batches in
 *   which the node saw at least one row, and never moving backwards. A node that has never
 *   seen a row does not take part.
 * - The query watermark is the minimum (policy `min`, the default) or the maximum of the
 *   node watermarks, and never moves backwards either. It is computed after batch N and used
 *   by batch N+1.
 * - Idle timeout (`idleTimeoutMs` > 0): once a node has seen no row for that long in
 *   processing time, its watermark moves forward with processing time (by the time elapsed
 *   past the timeout), so the last windows are emitted and state is evicted even when the
 *   input stops, and an idle input no longer holds back the others under `min`.
 *   The advanced value is written to the offset log like any other, so a replayed batch uses
 *   exactly the same watermark.
 */
export class WatermarkTracker {
  private readonly nodes: { watermarkMs: number | null; lastRowAtMs: number | null }[];
  private current: number;

  constructor(
    private readonly delaysMs: readonly number[],
    private readonly policy: WatermarkPolicy,
    private readonly idleTimeoutMs: number,
    initialWatermarkMs: number,
    restored: readonly WatermarkNodeState[] | undefined,
  ) {
    this.nodes = delaysMs.map((_, i) => ({ watermarkMs: restored?.[i]?.watermarkMs ?? null, lastRowAtMs: restored?.[i]?.lastRowAtMs ?? null }));
    this.current = initialWatermarkMs;
  }

  /** The number of watermark nodes. */
  get size(): number {
    return this.delaysMs.length;
  }

  /** The query watermark now. */
  get watermarkMs(): number {
    return this.current;
  }

  /** Folds in the statistics of one finished batch (one per node, in plan order) seen at processing time `nowMs`. */
  observe(stats: readonly EventTimeStats[], nowMs: number): void {
    stats.forEach((s, i) => {
      const node = this.nodes[i];
      if (node === undefined || s.count === 0) return;
      const w = s.maxMs - (this.delaysMs[i] ?? 0);
      if (node.watermarkMs === null || w > node.watermarkMs) node.watermarkMs = w;
      node.lastRowAtMs = nowMs;
    });
  }

  /**
   * The watermark the next batch would run with at processing time `nowMs` (with the idle
   * timeout applied); does not change the tracker.
   */
  candidate(nowMs: number): number {
    const values: number[] = [];
    for (const node of this.nodes) {
      if (node.watermarkMs === null) continue;
      let w = node.watermarkMs;
      if (this.idleTimeoutMs > 0 && node.lastRowAtMs !== null) {
        const idleFor = nowMs - node.lastRowAtMs - this.idleTimeoutMs;
        if (idleFor > 0) w += idleFor;
      }
      values.push(w);
    }
    if (values.length === 0) return this.current;
    const chosen = this.policy === 'min' ? Math.min(...values) : Math.max(...values);
    return Math.max(this.current, chosen);
  }

  /** Moves the query watermark to `candidate(nowMs)` and returns it. */
  advance(nowMs: number): number {
    this.current = this.candidate(nowMs);
    return this.current;
  }

  /** Sets the query watermark (from a logged batch). It never moves backwards. */
  setCurrent(watermarkMs: number): void {
    this.current = Math.max(this.current, watermarkMs);
  }

  /** The per-node state to persist in the commit log. */
  snapshot(): WatermarkNodeState[] {
    return this.nodes.map((n) => ({ watermarkMs: n.watermarkMs, lastRowAtMs: n.lastRowAtMs }));
  }
}
