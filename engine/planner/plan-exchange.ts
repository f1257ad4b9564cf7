import { emptyBatch } from '../../common/columnar-batch.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { Aggregate, Deduplicate, Join, LocalRelation, LogicalPlan, Repartition, WindowNode } from '../../dataframe/plan/logical-plan.js';
import { withNewChildren } from '../../dataframe/plan/optimizer/with-new-children.js';
import type { Partitioning } from '../exchange/partitioning.js';
import { ShuffleExchangeExec } from '../exchange/shuffle-exchange-exec.js';
import type { ShuffleInput } from '../exchange/shuffled-stage-exec.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { sessionKeyOf } from '../window/plan-session-aggregate.js';
import type { StageCap } from '../workers/stage-task.js';
import { PANE_COLUMN } from './aggregate-parts.js';
import type { AggregateParts } from './aggregate-parts.js';
import { estimateSizeBytes } from './estimate-size.js';

/** Settings of the exchange planning (part of the distributed planner's options). */
export interface ExchangeOptions {
  /** Partitions of every exchange (`sluice.sql.shuffle.partitions`). */
  readonly shufflePartitions: number;
  /**
   * Inputs estimated under this many bytes are planned without an exchange (the merge stays
   * on the driver, as one partition): for small inputs a shuffle costs more round trips than
   * it saves (`sluice.sql.shuffle.minInputBytes`).
   */
  readonly shuffleMinInputBytes: number;
  /** Runs the partitioning tasks of range exchanges (none: they cut on the driver). */
  readonly pool?: WorkerPool;
}

/** A stage's map-side producer for `plan`: a worker stage when the plan is a fragment, else the plan on the driver. */
export type MapSide = (plan: LogicalPlan) => PhysicalOperator;

/** True when `plan`'s input is large enough to be worth an exchange. */
export function worthShuffling(plans: readonly LogicalPlan[], opts: ExchangeOptions): boolean {
  return opts.shufflePartitions > 0 && plans.reduce((s, p) => s + estimateSizeBytes(p), 0) >= opts.shuffleMinInputBytes;
}

const colRef = (name: string): Expr => Object.freeze({ kind: 'col', name, qualifier: null });

/** A shuffled input: `producer`'s rows hash-partitioned by `keys`, read through a fresh placeholder leaf. */
export function hashShuffle(producer: PhysicalOperator, keys: readonly Expr[], n: number): ShuffleInput {
  const partitioning: Partitioning = { kind: 'hash', keys, n };
  const placeholder: LocalRelation = buildLocalRelation(producer.schema, []);
  return { placeholder, exchange: new ShuffleExchangeExec(producer, partitioning) };
}

/** The exchange of `repartition(n, keys)`: always made, whatever the input size (the user asked for it). */
export function repartitionShuffle(plan: Repartition, producer: PhysicalOperator, opts: ExchangeOptions): ShuffleInput {
  const n = plan.numPartitions ?? opts.shufflePartitions;
  if (plan.keys.length > 0) return hashShuffle(producer, plan.keys, n);
  const placeholder: LocalRelation = buildLocalRelation(producer.schema, []);
  return { placeholder, exchange: new ShuffleExchangeExec(producer, { kind: 'roundRobin', n }) };
}

/** A fragment over shuffled inputs (the reduce side), ready to be extended by stateless operators above. */
export interface ShuffledFragment {
  readonly plan: LogicalPlan;
  readonly shuffles: readonly ShuffleInput[];
}

/**
 * The reduce-side fragment of a plan node that needs all rows of a key together, when its
 * input is large: a session-window aggregation (by its other keys), a window function
 * (by its partition keys), or an equi-join of two inputs too large to broadcast (both
 * sides by their join keys), or a global sort (range-partitioned by the sort keys). Null
 * when the node cannot be partitioned or its input is small.
 */
export function shuffledFragment(plan: LogicalPlan, mapSide: MapSide, opts: ExchangeOptions): ShuffledFragment | null {
  const n = opts.shufflePartitions;
  switch (plan.kind) {
    case 'aggregate': {
      const key = sessionKeyOf(plan);
      if (key === undefined) return null;
      const others = plan.groupBy.filter((_, i) => i !== key.index);
      if (others.length === 0 || !worthShuffling([plan.child], opts)) return null;
      const input = hashShuffle(mapSide(plan.child), others, n);
      return { plan: withNewChildren(plan, [input.placeholder]), shuffles: [input] };
    }
    case 'window':
      return windowFragment(plan, mapSide, opts);
    case 'join':
      return joinFragment(plan, mapSide, opts);
    case 'sort': {
      // Range-partitioned: each partition sorted by its own task; partitions concatenated in order are sorted.
      if (!worthShuffling([plan.child], opts)) return null;
      const producer = mapSide(plan.child);
      const placeholder: LocalRelation = buildLocalRelation(producer.schema, []);
      const partitioning: Partitioning = { kind: 'range', orders: plan.orders, bounds: emptyBatch(producer.schema), n };
      const input: ShuffleInput = { placeholder, exchange: new ShuffleExchangeExec(producer, partitioning, opts.pool ?? null) };
      return { plan: withNewChildren(plan, [placeholder]), shuffles: [input] };
    }
    default:
      return null;
  }
}

function windowFragment(plan: WindowNode, mapSide: MapSide, opts: ExchangeOptions): ShuffledFragment | null {
  if (plan.partitionBy.length === 0 || !worthShuffling([plan.child], opts)) return null;
  const input = hashShuffle(mapSide(plan.child), plan.partitionBy, opts.shufflePartitions);
  return { plan: withNewChildren(plan, [input.placeholder]), shuffles: [input] };
}

function joinFragment(plan: Join, mapSide: MapSide, opts: ExchangeOptions): ShuffledFragment | null {
  if (plan.leftKeys.length === 0 || plan.joinType === 'cross' || !worthShuffling([plan.left, plan.right], opts)) return null;
  const left = hashShuffle(mapSide(plan.left), plan.leftKeys, opts.shufflePartitions);
  const right = hashShuffle(mapSide(plan.right), plan.rightKeys, opts.shufflePartitions);
  return { plan: withNewChildren(plan, [left.placeholder, right.placeholder]), shuffles: [left, right] };
}

/** The final phase of a grouped aggregation as a shuffled stage: exchange by the group columns, merge per partition. */
export function finalAggregateShuffle(
  partial: PhysicalOperator,
  parts: AggregateParts,
  agg: Aggregate,
  n: number,
): { readonly input: ShuffleInput; readonly cap: StageCap } | null {
  if (parts.groupNames.length === 0) return null;
  if (parts.panes !== null) {
    // Window aggregates: all panes of a key meet in one partition; the window is not a key.
    const keys = parts.panes.paneGroupNames.filter((name) => name !== PANE_COLUMN);
    if (keys.length === 0) return null;
    const input = hashShuffle(partial, keys.map(colRef), n);
    // The cap re-derives the pane plan from the aggregate, over an empty stand-in of its original input.
    const aggregate = withNewChildren(agg, [buildLocalRelation(agg.child.schema, [])]) as Aggregate;
    return { input, cap: { kind: 'paneFinal', aggregate } };
  }
  const input = hashShuffle(partial, parts.groupNames.map(colRef), n);
  return {
    input,
    cap: {
      kind: 'finalAggregate',
      groupNames: parts.groupNames,
      aggCalls: parts.aggCalls,
      aggNames: parts.aggNames,
      resultExprs: parts.resultExprs,
      schema: agg.schema,
    },
  };
}

/** The final phase of a deduplication: exchange by the keys, deduplicate per partition (first row of a key in input order wins). */
export function finalDeduplicateShuffle(partial: PhysicalOperator, plan: Deduplicate, n: number): ShuffledFragment {
  const input = hashShuffle(partial, plan.keys.map(colRef), n);
  return { plan: withNewChildren(plan, [input.placeholder]), shuffles: [input] };
}
