import { SluiceError } from '../../common/errors.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import type { Join, LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { FileSplit } from '../../sources/file/file-split.js';
import { AliasExec } from '../physical/alias-exec.js';
import { DeduplicateExec } from '../physical/deduplicate-exec.js';
import { ConnectorScanExec } from '../physical/connector-scan-exec.js';
import { FileScanExec } from '../physical/file-scan-exec.js';
import { HashJoinExec } from '../physical/hash-join-exec.js';
import { LimitExec } from '../physical/limit-exec.js';
import { LocalScanExec } from '../physical/local-scan-exec.js';
import { NestedLoopJoinExec } from '../physical/nested-loop-join-exec.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { ProjectExec } from '../physical/project-exec.js';
import { SortExec } from '../physical/sort-exec.js';
import { TopKExec } from '../physical/top-k-exec.js';
import { UnionExec } from '../physical/union-exec.js';
import { TransformWithStateExec } from '../execution/stateful/transform-with-state-batch.js';
import { WindowAggExec } from '../window/window-agg-exec.js';
import { GenerateExec } from '../physical/generate-exec.js';
import { planSessionAggregate, sessionKeyOf } from '../window/plan-session-aggregate.js';
import { planAggregate, planFilter } from './plan-aggregate.js';

/** What the local planner needs beyond the plan. */
export interface LocalPlanOptions {
  /** When set, the (single) file scan of the plan reads only these splits, in order. */
  readonly fileSplits?: readonly FileSplit[];
  /** Plans a child the caller handles itself (the distributed planner hooks in here); return undefined to plan it locally. */
  readonly override?: (plan: LogicalPlan) => PhysicalOperator | undefined;
}

/** Which side of a hash join to build into the hash table. */
export function buildSideOf(join: Join): 'left' | 'right' {
  return join.joinType === 'right' ? 'left' : 'right';
}

/** Physical join for a logical Join over planned children. */
export function planJoin(join: Join, left: PhysicalOperator, right: PhysicalOperator): PhysicalOperator {
  if (join.leftKeys.length === 0) return new NestedLoopJoinExec(left, right, join.joinType, join.condition, join.schema);
  return new HashJoinExec(left, right, join.joinType, join.leftKeys, join.rightKeys, join.condition, buildSideOf(join), join.schema, join.using);
}

/**
 * Plans a logical plan for execution in one thread: one physical operator per logical
 * node (an aggregate becomes a hash aggregate plus a projection; a sort under a limit
 * becomes a top-k). Used inside workers for plan fragments and on the driver for the parts
 * that run there.
 */
export function planLocal(plan: LogicalPlan, options: LocalPlanOptions = {}): PhysicalOperator {
  const over = options.override?.(plan);
  if (over) return over;
  const rec = (p: LogicalPlan): PhysicalOperator => planLocal(p, options);
  switch (plan.kind) {
    case 'fileScan':
      return new FileScanExec(plan, options.fileSplits ?? null);
    case 'connectorScan':
      return new ConnectorScanExec(plan);
    case 'local':
      return new LocalScanExec(plan.schema, plan.batches);
    case 'streamingRelation':
      throw new SluiceError(
        'INVALID_PLAN',
        `Queries with streaming sources must be executed with writeStream.start(); ${plan.description} is a stream. Use read instead of readStream for a batch query.`,
      );
    case 'project':
      return new ProjectExec(rec(plan.child), plan.exprs, plan.schema);
    case 'filter':
      return planFilter(plan.condition, rec(plan.child));
    case 'aggregate':
      return sessionKeyOf(plan) === undefined ? planAggregate(plan, rec(plan.child)) : planSessionAggregate(plan, rec(plan.child));
    case 'join':
      return planJoin(plan, rec(plan.left), rec(plan.right));
    case 'sort':
      return new SortExec(rec(plan.child), plan.orders);
    case 'limit':
      if (plan.child.kind === 'sort') return new TopKExec(rec(plan.child.child), plan.child.orders, plan.n);
      return new LimitExec(rec(plan.child), plan.n);
    case 'deduplicate':
      return new DeduplicateExec(rec(plan.child), plan.keys);
    case 'eventTimeWatermark':
      // Only streams track watermarks; a batch query reads the rows unchanged.
      return rec(plan.child);
    case 'union':
      return new UnionExec(plan.children.map(rec), plan.schema);
    case 'subqueryAlias':
      return new AliasExec(rec(plan.child), plan.schema, plan.alias);
    case 'transformWithState':
      return new TransformWithStateExec(rec(plan.child), plan);
    case 'window':
      return new WindowAggExec(rec(plan.child), plan);
    case 'repartition':
      // One thread has one partition: the rows pass through unchanged.
      return rec(plan.child);
    case 'generate':
      return new GenerateExec(rec(plan.child), plan);
  }
}

/** Column references for every field of a plan's output, by name (for projections over stage outputs). */
export function outputRefs(plan: LogicalPlan): Expr[] {
  return plan.schema.fields.map((f) => Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null }));
}
