import type { LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { isStreamingPlan, planChildren } from '../../../dataframe/plan/logical-plan.js';
import type { StatefulBatchContext, StreamingStatefulOperator } from './stateful-operator.js';

/** The smaller of the defined watermarks, or null when none is defined. */
function minDefined(values: readonly (number | null)[]): number | null {
  let out: number | null = null;
  for (const v of values) if (v !== null && (out === null || v < out)) out = v;
  return out;
}

/**
 * Per-operator event-time watermarks, derived from the query watermark as Spark (3.5+)
 * derives them (its PropagateWatermarkSimulator).
 *
 * The plan is walked children first with the query ("origin") watermark of one batch:
 * - a `withWatermark` node outputs the origin watermark (the minimum with a watermark
 *   already defined below it, so a redefinition can never move a later operator ahead of
 *   an earlier one);
 * - a stateful operator's input watermark is the minimum of its children's output
 *   watermarks (children without one do not count); its output watermark is
 *   `op.outputWatermarkMs(input)` (the input itself unless the operator says otherwise: a
 *   stream-stream join with a time-range condition outputs its input minus the range);
 * - any other node passes on the minimum of its children's watermarks;
 * - a non-streaming subtree has no watermark.
 *
 * An operator's input watermark is never below 0 (the initial query watermark), also when
 * no watermark reaches it: Spark's rule, so its late-row and eviction tests keep working
 * exactly as with the single query watermark when nothing delays it. The result depends
 * only on the plan and the origin watermark, so the checkpoint needs nothing new: a re-run
 * batch derives the same values from its logged watermark.
 */
export class WatermarkPropagation {
  constructor(
    private readonly plan: LogicalPlan,
    private readonly byNode: ReadonlyMap<LogicalPlan, StreamingStatefulOperator>,
  ) {}

  /** The input watermark of each stateful operator (by operator id) for the origin watermark `originMs`. */
  inputWatermarks(originMs: number): Map<number, number> {
    const inputs = new Map<number, number>();
    const walk = (p: LogicalPlan): number | null => {
      if (!isStreamingPlan(p)) return null;
      const kids = planChildren(p).map(walk);
      if (p.kind === 'eventTimeWatermark') return minDefined([...kids, originMs]);
      const input = minDefined(kids);
      const op = this.byNode.get(p);
      if (op === undefined) return input;
      inputs.set(op.operatorId, Math.max(input ?? 0, 0));
      if (input === null) return null;
      return op.outputWatermarkMs === undefined ? input : op.outputWatermarkMs(input);
    };
    walk(this.plan);
    return inputs;
  }

  /**
   * The batch context of each operator: the query watermarks of `ctx` (late-events: the
   * previous batch's; eviction: this batch's) replaced by the operator's input watermarks
   * derived from each of them (Spark's getInputWatermarkForLateEvents / ForEviction).
   */
  contexts(ctx: StatefulBatchContext): Map<number, StatefulBatchContext> {
    const late = this.inputWatermarks(ctx.lateWatermarkMs);
    const evict = this.inputWatermarks(ctx.evictionWatermarkMs);
    const out = new Map<number, StatefulBatchContext>();
    for (const [id, evictionWatermarkMs] of evict) {
      out.set(id, { ...ctx, lateWatermarkMs: late.get(id) ?? ctx.lateWatermarkMs, evictionWatermarkMs });
    }
    return out;
  }
}
