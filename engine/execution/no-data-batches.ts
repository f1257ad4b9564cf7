import { invalidArgument } from '../../common/errors.js';
import type { RuntimeConf } from '../session/session-conf.js';
import { streamingConf } from './streaming-conf.js';

/**
 * When a micro-batch without new rows runs:
 * - `watermarkAdvanced` (the default, Spark's rule): after a batch of this run of the query,
 *   when the watermark moved and a stateful operator with a watermark below it asks for one
 *   (Spark's `shouldRunAnotherBatch`: aggregations in append and update mode, session windows
 *   in append mode, deduplication, stream-stream joins that bound their state,
 *   transformWithState), whether or not it has anything to emit, so foreachBatch sees an
 *   empty batch;
 * - `whenDue` (`sluice.streaming.noDataMicroBatches.onlyWhenDue=true`): only when the
 *   watermark reaches a point at which some operator emits or evicts;
 * - `off` (`sluice.sql.streaming.noDataMicroBatches.enabled=false`, as in Spark): never.
 *
 * Under the first two rules a due processing-time timer of transformWithState also starts a
 * batch, and with an idle timeout (`sluice.streaming.watermark.idleTimeout`) the watermark's
 * advance with processing time starts one when something falls due.
 */
export type NoDataBatchRule = 'watermarkAdvanced' | 'whenDue' | 'off';

const ENABLED = 'sluice.sql.streaming.noDataMicroBatches.enabled';
const ONLY_WHEN_DUE = 'sluice.streaming.noDataMicroBatches.onlyWhenDue';

function flag(conf: RuntimeConf, key: string): boolean {
  const raw = streamingConf(conf, key);
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === 'false') return v === 'true';
  throw invalidArgument(`Config '${key}' must be 'true' or 'false', got '${raw}'.`);
}

/** The session's no-data batch rule; a bad setting is INVALID_ARGUMENT naming the key. */
export function noDataBatchRule(conf: RuntimeConf): NoDataBatchRule {
  const enabled = flag(conf, ENABLED);
  const onlyWhenDue = flag(conf, ONLY_WHEN_DUE);
  if (!enabled) return 'off';
  return onlyWhenDue ? 'whenDue' : 'watermarkAdvanced';
}

/**
 * What the stateful operators of a query tell about their need for a no-data batch. The
 * watermarks passed in are query watermarks; each operator is judged by its own input
 * watermark derived from them.
 */
export interface NoDataBatchOperators {
  shouldRunAnotherBatch(nextWatermarkMs: number, lastWatermarkMs: number): boolean;
  /** Whether some operator will have rows to emit or state to evict at some later watermark. */
  hasEventTimeDeadline(): boolean;
  /** Whether some operator's input watermark moves (from `lastMs` to `nextMs`) and reaches its deadline. */
  eventTimeDeadlineReached(lastMs: number, nextMs: number): boolean;
  nextProcessingTimeDeadlineMs(): number | null;
}

/** The loop's facts at a trigger that found no new rows. */
export interface NoDataBatchFacts {
  /** The trigger's processing time. */
  readonly nowMs: number;
  /** Whether a batch already ran in this run of the query. */
  readonly ranBatchInRun: boolean;
  /** The watermark computed at the end of the last batch (what the next batch runs with, idle timeout aside). */
  readonly nextWatermarkMs: number;
  /** The watermark the last batch ran with. */
  readonly lastWatermarkMs: number;
  readonly idleTimeoutMs: number;
  /** The watermark the next batch would run with now, idle timeout applied. */
  candidateWatermarkMs(): number;
}

/**
 * Whether a batch without new rows should run now, under `rule` (see {@link NoDataBatchRule}).
 * Spark asks the last batch's executed plan, so under its rule no such batch runs after a
 * restart until a batch with data (or a re-run of an unfinished one) has run.
 */
export function needsNoDataBatch(rule: NoDataBatchRule, ops: NoDataBatchOperators, f: NoDataBatchFacts): boolean {
  if (rule === 'off') return false;
  const timer = ops.nextProcessingTimeDeadlineMs();
  if (timer !== null && f.nowMs >= timer) return true;
  if (rule === 'watermarkAdvanced') {
    if (f.ranBatchInRun && ops.shouldRunAnotherBatch(f.nextWatermarkMs, f.lastWatermarkMs)) return true;
    // The idle timeout moves the watermark with processing time, so "it moved" would hold at
    // every trigger: idle advances start a batch only when something falls due.
    if (f.idleTimeoutMs <= 0) return false;
  }
  if (!ops.hasEventTimeDeadline()) return false;
  const wm = f.candidateWatermarkMs();
  return wm > f.lastWatermarkMs && ops.eventTimeDeadlineReached(f.lastWatermarkMs, wm);
}
