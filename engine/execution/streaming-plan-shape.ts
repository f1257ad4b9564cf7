import { SluiceError } from '../../common/errors.js';
import type { Aggregate, LogicalPlan, StreamingRelation } from '../../dataframe/plan/logical-plan.js';
import { isStreamingPlan, planChildren } from '../../dataframe/plan/logical-plan.js';
import type { OutputMode } from '../../sinks/sink.js';

/** What the micro-batch loop needs to know about a streaming plan. */
export interface StreamingPlanShape {
  /** The streaming leaves, one per distinct source id, in plan order (this order numbers `sources/<i>` and the offsets). */
  readonly sources: readonly StreamingRelation[];
  /** The one stateful aggregation over the stream, or null for a stateless query. */
  readonly aggregate: Aggregate | null;
}

function unsupported(message: string): SluiceError {
  return new SluiceError('UNSUPPORTED', message);
}

function collectSources(plan: LogicalPlan, out: Map<string, StreamingRelation>): void {
  if (plan.kind === 'streamingRelation') {
    if (!out.has(plan.sourceId)) out.set(plan.sourceId, plan);
    return;
  }
  for (const c of planChildren(plan)) collectSources(c, out);
}

function checkJoin(plan: LogicalPlan & { kind: 'join' }): void {
  const left = isStreamingPlan(plan.left);
  const right = isStreamingPlan(plan.right);
  if (left && right) {
    throw unsupported('Joins between two streaming DataFrames are not supported. Join the stream with a static DataFrame (read with sluice.read) instead.');
  }
  const t = plan.joinType;
  const ok = t === 'inner' || t === 'cross' || (left && (t === 'left' || t === 'semi' || t === 'anti')) || (right && t === 'right');
  if (!ok) {
    const side = left ? 'left' : 'right';
    throw unsupported(
      `A '${t}' join with the stream on the ${side} is not supported: it would need to know all future stream rows. ` +
        `Use an inner join, or a left outer join with the stream on the left.`,
    );
  }
}

/**
 * Checks that a streaming plan can run as micro-batches in `mode` and finds its stateful
 * aggregation. Refused, with the reason and what to use instead: stream-stream joins,
 * outer joins that would preserve the static side, more than one aggregation, sort or
 * limit except after an aggregation in complete mode, dropDuplicates on a stream, `append`
 * with an aggregation (it needs a watermark) and `complete` without one.
 */
export function analyzeStreamingPlan(plan: LogicalPlan, mode: OutputMode): StreamingPlanShape {
  if (!isStreamingPlan(plan)) {
    throw new SluiceError('INVALID_PLAN', 'writeStream needs a streaming DataFrame (from sluice.readStream). Use df.write for a static DataFrame.');
  }
  const aggregate = findAggregate(plan);
  walkStreaming(plan, aggregate, (p, above) => checkNode(p, above, aggregate, mode));
  if (aggregate !== null && mode === 'append') {
    throw unsupported(
      "Append output mode is not supported for a streaming aggregation without a watermark: a group's result can change with every batch, so no row is ever final. " +
        "Use outputMode('update') (changed groups each batch) or outputMode('complete') (the whole result each batch).",
    );
  }
  if (aggregate === null && mode === 'complete') {
    throw unsupported(
      "Complete output mode needs a streaming aggregation: without one the whole result is every row ever read. Use outputMode('append') or 'update'.",
    );
  }
  const sources = new Map<string, StreamingRelation>();
  collectSources(plan, sources);
  return { sources: [...sources.values()], aggregate };
}

function findAggregate(p: LogicalPlan): Aggregate | null {
  if (p.kind === 'aggregate' && isStreamingPlan(p)) return p;
  for (const c of planChildren(p)) {
    const a = findAggregate(c);
    if (a !== null) return a;
  }
  return null;
}

function checkNode(p: LogicalPlan, above: boolean, aggregate: Aggregate | null, mode: OutputMode): void {
  switch (p.kind) {
    case 'aggregate':
      if (p !== aggregate) {
        throw unsupported(
          'Multiple streaming aggregations are not supported: a second groupBy/agg over an aggregated stream cannot be updated incrementally. Aggregate once per query.',
        );
      }
      return;
    case 'join':
      if (above) throw unsupported('Joining an aggregated stream is not supported. Join the stream before the groupBy/agg.');
      checkJoin(p);
      return;
    case 'sort':
    case 'limit':
      if (!above || mode !== 'complete') {
        const what = p.kind === 'sort' ? 'Sorting' : 'limit()';
        throw unsupported(
          `${what} on a streaming DataFrame is only supported after an aggregation in 'complete' output mode. Aggregate first and use outputMode('complete'), or sort in foreachBatch.`,
        );
      }
      return;
    case 'deduplicate':
      throw unsupported(
        'dropDuplicates()/distinct() on a streaming DataFrame is not supported yet. Deduplicate per batch in foreachBatch, or aggregate with groupBy on the key columns.',
      );
    default:
      return;
  }
}

/** Visits every streaming node with whether it sits above the streaming aggregation `agg`. */
function walkStreaming(plan: LogicalPlan, agg: Aggregate | null, visit: (p: LogicalPlan, above: boolean) => void): void {
  const rec = (p: LogicalPlan, above: boolean): void => {
    if (!isStreamingPlan(p)) return;
    visit(p, above);
    for (const c of planChildren(p)) rec(c, above && p !== agg);
  };
  rec(plan, agg !== null);
}
