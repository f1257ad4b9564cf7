import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import type { Expr } from '../../../../dataframe/expr/expr.js';
import { buildDeduplicate, buildEventTimeWatermark, buildUnion } from '../../../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan, StreamingRelation } from '../../../../dataframe/plan/logical-plan.js';
import { buildFilter } from '../../../../dataframe/plan/builders/build-filter.js';
import { pushFiltersBelowWatermarks } from '../../../../dataframe/plan/optimizer/push-down-filters.js';
import type { StatefulBatchContext, StreamingStatefulOperator } from '../../../../engine/execution/stateful/stateful-operator.js';
import { WatermarkPropagation } from '../../../../engine/execution/stateful/watermark-propagation.js';

const schema = schemaOf([field('t', types.timestamp('ms')), field('k', types.utf8)]);
const leaf = (id: string): StreamingRelation => Object.freeze({ kind: 'streamingRelation', sourceId: id, description: `S${id}`, schema });
const col = (name: string): Expr => ({ kind: 'col', name, qualifier: null });
const lit = (value: string): Expr => ({ kind: 'lit', value, type: types.utf8 }) as Expr;

/** A stand-in operator: only its id and output-watermark rule matter here. */
function op(operatorId: number, node: LogicalPlan, out?: (wm: number) => number | null): StreamingStatefulOperator {
  return { operatorId, node, ...(out === undefined ? {} : { outputWatermarkMs: out }) } as unknown as StreamingStatefulOperator;
}

describe('WatermarkPropagation', () => {
  const first = buildDeduplicate(buildEventTimeWatermark(leaf('1'), 't', 5_000), ['k', 't']);
  const second = buildDeduplicate(first, ['k']);

  it('delays the operators after one whose output watermark is behind its input, never below 0', () => {
    const ops = [op(0, first, (wm) => wm - 10_001), op(1, second)];
    const p = new WatermarkPropagation(second, new Map(ops.map((o) => [o.node, o])));
    expect([...p.inputWatermarks(35_000)]).toEqual([
      [0, 35_000],
      [1, 24_999],
    ]);
    expect([...p.inputWatermarks(5_000)]).toEqual([
      [0, 5_000],
      [1, 0],
    ]);
    const ctx: StatefulBatchContext = { batchId: 3, outputMode: 'append', lateWatermarkMs: 35_000, evictionWatermarkMs: 55_000, batchTimestampMs: 9 };
    const byOp = p.contexts(ctx);
    expect(byOp.get(1)).toEqual({ ...ctx, lateWatermarkMs: 24_999, evictionWatermarkMs: 44_999 });
    expect(byOp.get(0)).toEqual(ctx);
  });

  it('gives 0 after an operator that passes no watermark on, and the minimum over a union', () => {
    const ops = [op(0, first, () => null), op(1, second)];
    const p = new WatermarkPropagation(second, new Map(ops.map((o) => [o.node, o])));
    expect(p.inputWatermarks(35_000).get(1)).toBe(0);
    const unwatermarked = buildDeduplicate(buildUnion([buildEventTimeWatermark(leaf('1'), 't', 5_000), leaf('2')]), ['k']);
    const u = new WatermarkPropagation(unwatermarked, new Map([[unwatermarked, op(0, unwatermarked)]]));
    expect(u.inputWatermarks(35_000).get(0)).toBe(35_000);
  });
});

describe('pushFiltersBelowWatermarks', () => {
  it('moves the terms that do not read the event time below withWatermark and keeps the others above', () => {
    const wm = buildEventTimeWatermark(leaf('1'), 't', 5_000);
    const byKey: Expr = { kind: 'binary', op: '=', left: col('k'), right: lit('a') } as Expr;
    const byTime: Expr = { kind: 'unary', op: 'isNotNull', child: col('t') } as Expr;
    const both: Expr = { kind: 'binary', op: 'and', left: byKey, right: byTime } as Expr;
    const out = pushFiltersBelowWatermarks(buildFilter(wm, both));
    expect(out.kind).toBe('filter');
    const above = out as LogicalPlan & { kind: 'filter' };
    expect(above.condition).toEqual(byTime);
    expect(above.child.kind).toBe('eventTimeWatermark');
    const below = (above.child as LogicalPlan & { kind: 'eventTimeWatermark' }).child as LogicalPlan & { kind: 'filter' };
    expect(below.kind).toBe('filter');
    expect(below.condition).toEqual(byKey);
    expect(below.child.kind).toBe('streamingRelation');
  });
});
