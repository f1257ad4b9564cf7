import { describe, expect, it } from 'vitest';
import type { NoDataBatchFacts, NoDataBatchOperators } from '../../../../engine/execution/no-data-batches.js';
import { needsNoDataBatch, noDataBatchRule } from '../../../../engine/execution/no-data-batches.js';
import { RuntimeConf } from '../../../../engine/session/session-conf.js';

/** Operators that ask for a batch whenever the watermark moved, with an eviction deadline and a timer. */
function ops(deadline: number | null, timer: number | null = null): NoDataBatchOperators {
  return {
    shouldRunAnotherBatch: (next, last) => next > last,
    hasEventTimeDeadline: () => deadline !== null,
    eventTimeDeadlineReached: (last, next) => deadline !== null && next > last && next >= deadline,
    nextProcessingTimeDeadlineMs: () => timer,
  };
}

function facts(f: Partial<NoDataBatchFacts> & { candidate?: number }): NoDataBatchFacts {
  const next = f.nextWatermarkMs ?? 0;
  return {
    nowMs: f.nowMs ?? 0,
    ranBatchInRun: f.ranBatchInRun ?? true,
    nextWatermarkMs: next,
    lastWatermarkMs: f.lastWatermarkMs ?? 0,
    idleTimeoutMs: f.idleTimeoutMs ?? 0,
    candidateWatermarkMs: () => f.candidate ?? next,
  };
}

describe('noDataBatchRule', () => {
  it("is Spark's rule by default, the old rule with onlyWhenDue, none when disabled", () => {
    expect(noDataBatchRule(new RuntimeConf())).toBe('watermarkAdvanced');
    expect(noDataBatchRule(new RuntimeConf({ 'sluice.streaming.noDataMicroBatches.onlyWhenDue': 'true' }))).toBe('whenDue');
    expect(noDataBatchRule(new RuntimeConf({ 'sluice.sql.streaming.noDataMicroBatches.enabled': 'FALSE' }))).toBe('off');
    expect(() => noDataBatchRule(new RuntimeConf({ 'sluice.streaming.noDataMicroBatches.onlyWhenDue': '1' }))).toThrow(
      /'sluice\.streaming\.noDataMicroBatches\.onlyWhenDue' must be 'true' or 'false', got '1'/,
    );
  });
});

describe('needsNoDataBatch', () => {
  it("Spark's rule: the watermark moved and an operator asks, after a batch of this run", () => {
    const moved = facts({ nextWatermarkMs: 10, lastWatermarkMs: 5 });
    expect(needsNoDataBatch('watermarkAdvanced', ops(null), moved)).toBe(true);
    expect(needsNoDataBatch('watermarkAdvanced', ops(null), facts({ nextWatermarkMs: 5, lastWatermarkMs: 5 }))).toBe(false);
    expect(needsNoDataBatch('watermarkAdvanced', ops(null), { ...moved, ranBatchInRun: false })).toBe(false);
    // The old rule needs a deadline the watermark reaches.
    expect(needsNoDataBatch('whenDue', ops(null), moved)).toBe(false);
    expect(needsNoDataBatch('whenDue', ops(11), moved)).toBe(false);
    expect(needsNoDataBatch('whenDue', ops(10), moved)).toBe(true);
    expect(needsNoDataBatch('off', ops(10), moved)).toBe(false);
  });

  it('a due processing-time timer starts a batch under both rules, also before a batch of this run', () => {
    const f = facts({ nowMs: 1_000, ranBatchInRun: false });
    expect(needsNoDataBatch('watermarkAdvanced', ops(null, 1_000), f)).toBe(true);
    expect(needsNoDataBatch('whenDue', ops(null, 1_000), f)).toBe(true);
    expect(needsNoDataBatch('watermarkAdvanced', ops(null, 1_001), f)).toBe(false);
    expect(needsNoDataBatch('off', ops(null, 1_000), f)).toBe(false);
  });

  it('with an idle timeout, a watermark advanced by processing time starts a batch only when something falls due', () => {
    const idle = facts({ nextWatermarkMs: 5, lastWatermarkMs: 5, idleTimeoutMs: 1_000, candidate: 8 });
    expect(needsNoDataBatch('watermarkAdvanced', ops(null), idle)).toBe(false);
    expect(needsNoDataBatch('watermarkAdvanced', ops(9), idle)).toBe(false);
    expect(needsNoDataBatch('watermarkAdvanced', ops(8), idle)).toBe(true);
  });
});
