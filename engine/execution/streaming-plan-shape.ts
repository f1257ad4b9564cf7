import { SluiceError } from '../../common/errors.js';
import type { Aggregate, EventTimeWatermark, LogicalPlan, StreamingRelation } from '../../dataframe/plan/logical-plan.js';
import { eventTimeColumns, hasWatermark, isEventTimeExpr } from './stateful/event-time-columns.js';
import { streamJoinBounds } from './stateful/stream-join-condition.js';
import { isStreamingPlan, planChildren } from '../../dataframe/plan/logical-plan.js';
import type { OutputMode } from '../../sinks/sink.js';
import { sessionKeyOf } from '../window/plan-session-aggregate.js';
import { checkStateColumns } from './stateful/state-column-check.js';

/** What the micro-batch loop needs to know about a streaming plan. */
export interface StreamingPlanShape {
  /** The streaming leaves, one per distinct source id, in plan order (this order numbers `sources/<i>` and the offsets). */
  readonly sources: readonly StreamingRelation[];
  /** The stateful operators over the stream (aggregations, deduplications, stream-stream joins...), children before parents; their index is their operator id. */
  readonly stateful: readonly LogicalPlan[];
  /** The `withWatermark` nodes over the stream, in plan order (children first). */
  readonly watermarks: readonly EventTimeWatermark[];
  /** The first stateful aggregation over the stream, or null. */
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

function checkJoin(plan: LogicalPlan & { kind: 'join' }, mode: OutputMode): void {
  const left = isStreamingPlan(plan.left);
  const right = isStreamingPlan(plan.right);
  const t = plan.joinType;
  if (left && right) {
    if (t !== 'inner' && t !== 'left' && t !== 'right' && t !== 'full' && t !== 'semi') {
      throw unsupported(
        `A '${t}' join between two streaming DataFrames is not supported (as in Spark). Use an inner, left outer, right outer, full outer or left semi join (with watermarks and a time-range condition for all but inner).`,
      );
    }
    if (plan.leftKeys.length === 0) {
      throw unsupported(
        'A join between two streaming DataFrames needs at least one equality between the two sides (e.g. l.id = r.id), so rows can be matched by key. Add an equality condition to the join.',
      );
    }
    if (mode !== 'append') {
      throw unsupported(`A join between two streaming DataFrames is only supported in append output mode, not '${mode}'. Use outputMode('append').`);
    }
    if (t !== 'inner') checkJoinStateBounded(plan);
    return;
  }
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
 * Spark's rule for outer and semi stream-stream joins: a side whose rows the join must emit
 * later (the preserved side of an outer join, both sides of a full outer join, the left side
 * of a left semi join) needs a state watermark, so the join knows when such a row can no
 * longer match.
 */
function checkJoinStateBounded(plan: LogicalPlan & { kind: 'join' }): void {
  const t = plan.joinType;
  const bounds = streamJoinBounds(plan, [eventTimeColumns(plan.left), eventTimeColumns(plan.right)]);
  const needed: ('left' | 'right')[] = t === 'full' ? ['left', 'right'] : t === 'right' ? ['right'] : ['left'];
  for (const side of needed) {
    if ((side === 'left' ? bounds.left : bounds.right) !== null) continue;
    const other = side === 'left' ? 'right' : 'left';
    const what = t === 'semi' ? 'A left semi join' : t === 'full' ? 'A full outer join' : `A ${side} outer join`;
    const why = t === 'semi' ? `a ${side} row can no longer match, to drop it from state` : `a ${side} row can no longer match, to emit it with nulls`;
    throw unsupported(
      `${what} between two streaming DataFrames needs to know when ${why}. ` +
        `Add withWatermark on both inputs and either join on the event-time column (or a window over it) as a key, or add a time-range condition bounding the ${side} event time by the ${other} one, ` +
        `e.g. unixMillis(l.t) >= unixMillis(r.t) - 600000 (ms), or l.t >= r.t${t === 'full' ? ' (a full outer join needs both directions)' : ''}.`,
    );
  }
}

/** True when `p` keeps state across micro-batches: a streaming aggregation, deduplication or stream-stream join. */
export function isStatefulNode(p: LogicalPlan): boolean {
  if (!isStreamingPlan(p)) return false;
  if (p.kind === 'aggregate' || p.kind === 'deduplicate') return true;
  if (p.kind === 'transformWithState') return true;
  return p.kind === 'join' && isStreamingPlan(p.left) && isStreamingPlan(p.right);
}

function collectStateful(p: LogicalPlan, out: LogicalPlan[], watermarks: EventTimeWatermark[]): void {
  if (!isStreamingPlan(p)) return;
  for (const c of planChildren(p)) collectStateful(c, out, watermarks);
  if (p.kind === 'eventTimeWatermark') watermarks.push(p);
  if (isStatefulNode(p)) out.push(p);
}

/** The index of the first grouping key of `agg` that carries event time (a watermarked column or a window over one), or -1. */
export function eventTimeKeyIndex(agg: Aggregate): number {
  const below = eventTimeColumns(agg.child);
  return agg.groupBy.findIndex((e) => isEventTimeExpr(e, below));
}

/**
 * Checks that a streaming plan can run as micro-batches in `mode` and finds its stateful
 * operators. Refused, with the reason and what to use instead: outer joins that would
 * preserve a static side, several stateful operators outside append mode, sort or limit
 * except after an aggregation in complete mode, `append` with an aggregation that has no
 * event-time key with a watermark, `complete` without an aggregation,
 * dropDuplicatesWithinWatermark without a watermark, session windows in `update` mode or
 * without another grouping key, and state the state store cannot hold (struct-valued
 * aggregates; see checkStateColumns).
 */
export function analyzeStreamingPlan(plan: LogicalPlan, mode: OutputMode): StreamingPlanShape {
  if (!isStreamingPlan(plan)) {
    throw new SluiceError('INVALID_PLAN', 'writeStream needs a streaming DataFrame (from sluice.readStream). Use df.write for a static DataFrame.');
  }
  const stateful: LogicalPlan[] = [];
  const watermarks: EventTimeWatermark[] = [];
  collectStateful(plan, stateful, watermarks);
  const aggregates = stateful.filter((p): p is Aggregate => p.kind === 'aggregate');
  const top = aggregates[aggregates.length - 1] ?? null;
  if (stateful.length > 1 && mode !== 'append') {
    throw unsupported(
      `This query has ${stateful.length} stateful operators (${stateful.map(describe).join(', ')}). Chained stateful operators are only supported in append output mode, where each emits final rows once the watermark passes them. ` +
        "Use outputMode('append') with a withWatermark on the input, or split the query in two.",
    );
  }
  walkStreaming(plan, top, (p, above) => checkNode(p, above, mode));
  for (const node of stateful) checkStateColumns(node);
  for (const agg of aggregates) {
    if (sessionKeyOf(agg) !== undefined) checkSessionAggregate(agg, mode);
    if (mode === 'append' && (eventTimeKeyIndex(agg) < 0 || !hasWatermark(agg.child))) {
      throw unsupported(
        "Append output mode is not supported for a streaming aggregation without a watermark: a group's result can change with every batch, so no row is ever final. " +
          "Add withWatermark('<event time column>', '<delay>') and group by that column or by window('<event time column>', ...), or use outputMode('update') (changed groups each batch) or outputMode('complete') (the whole result each batch).",
      );
    }
  }
  if (aggregates.length === 0 && mode === 'complete') {
    throw unsupported(
      "Complete output mode needs a streaming aggregation: without one the whole result is every row ever read. Use outputMode('append') or 'update'.",
    );
  }
  const sources = new Map<string, StreamingRelation>();
  collectSources(plan, sources);
  return { sources: [...sources.values()], stateful, watermarks, aggregate: aggregates[0] ?? null };
}

/** Session windows in a stream: append and complete mode, and at least one other grouping key (Spark's rules). */
function checkSessionAggregate(agg: Aggregate, mode: OutputMode): void {
  if (mode === 'update') {
    throw unsupported(
      "Session windows in a stream support 'append' and 'complete' output modes (as in Spark), not 'update': a session can merge with later ones, so an updated row would have to be retracted. Use outputMode('append') (each session once, when the watermark passes its end) or outputMode('complete').",
    );
  }
  if (agg.groupBy.length < 2) {
    throw unsupported(
      "A streaming session window needs at least one other grouping key (as in Spark): groupBy(sessionWindow(col('t'), '5 minutes'), col('user')).",
    );
  }
}

function describe(p: LogicalPlan): string {
  if (p.kind === 'aggregate') return 'an aggregation';
  if (p.kind === 'deduplicate') return p.withinWatermark ? 'dropDuplicatesWithinWatermark' : 'dropDuplicates';
  if (p.kind === 'join') return 'a stream-stream join';
  return p.kind;
}

function checkNode(p: LogicalPlan, above: boolean, mode: OutputMode): void {
  switch (p.kind) {
    case 'join':
      if (above) throw unsupported('Joining an aggregated stream is not supported. Join the stream before the groupBy/agg.');
      checkJoin(p, mode);
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
    case 'window':
      throw unsupported(
        'Window functions (.over(w)) are not supported on a streaming DataFrame: a frame can change with every batch. Use groupBy(window(...)) / sessionWindow(...) aggregations, or transformWithState for per-key logic such as "n events within 2 minutes".',
      );
    case 'deduplicate':
      if (p.withinWatermark && !hasWatermark(p.child)) {
        throw unsupported(
          "dropDuplicatesWithinWatermark() on a stream needs a watermark: add withWatermark('<event time column>', '<delay>') before it. The delay bounds how long a key is remembered.",
        );
      }
      return;
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
