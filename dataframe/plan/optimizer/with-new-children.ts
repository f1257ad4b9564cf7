import type { Expr } from '../../expr/expr.js';
import { buildAggregate } from '../builders/build-aggregate.js';
import { buildFilter } from '../builders/build-filter.js';
import { buildConditionJoin, buildUsingJoin } from '../builders/build-join.js';
import { buildDeduplicate, buildEventTimeWatermark, buildLimit, buildSubqueryAlias, buildUnion } from '../builders/build-misc.js';
import { buildProject } from '../builders/build-project.js';
import { buildSort } from '../builders/build-sort.js';
import { buildWindow } from '../builders/build-window.js';
import { buildRepartition } from '../builders/build-repartition.js';
import { buildGenerate } from '../builders/build-generate.js';
import type { LogicalPlan } from '../logical-plan.js';
import { buildTransformWithState } from '../../transform-with-state.js';

/** The join condition as one expression: key equalities AND the extra condition. */
export function fullJoinCondition(leftKeys: readonly Expr[], rightKeys: readonly Expr[], condition: Expr | null): Expr | null {
  const parts: Expr[] = leftKeys.map((l, i) => Object.freeze({ kind: 'binary', op: '=', left: l, right: rightKeys[i] as Expr }) as Expr);
  if (condition) parts.push(condition);
  if (parts.length === 0) return null;
  return parts.reduce((a, b) => Object.freeze({ kind: 'binary', op: 'and', left: a, right: b }) as Expr);
}

/**
 * Rebuilds `plan` over new children through the validating builders, so output schemas
 * follow the children (e.g. after column pruning). Leaves are returned unchanged.
 */
export function withNewChildren(plan: LogicalPlan, children: readonly LogicalPlan[]): LogicalPlan {
  const c0 = children[0] as LogicalPlan;
  switch (plan.kind) {
    case 'fileScan':
    case 'connectorScan':
    case 'local':
    case 'streamingRelation':
      return plan;
    case 'project':
      return buildProject(c0, plan.exprs);
    case 'filter':
      return buildFilter(c0, plan.condition);
    case 'aggregate':
      return buildAggregate(c0, plan.groupBy, plan.aggregates);
    case 'sort':
      return buildSort(c0, plan.orders);
    case 'limit':
      return buildLimit(c0, plan.n);
    case 'deduplicate':
      return buildDeduplicate(c0, plan.keys, plan.withinWatermark);
    case 'eventTimeWatermark':
      return buildEventTimeWatermark(c0, plan.eventTime, plan.delayMs);
    case 'subqueryAlias':
      return buildSubqueryAlias(c0, plan.alias);
    case 'union':
      return buildUnion(children);
    case 'repartition':
      return buildRepartition(c0, plan.numPartitions, plan.keys, plan.shuffle);
    case 'window':
      return buildWindow(c0, plan.partitionBy, plan.orderBy, plan.frame, plan.functions);
    case 'generate':
      return buildGenerate(c0, plan.input, plan.outer, plan.position, plan.outputNames);
    case 'transformWithState':
      return buildTransformWithState(c0, plan.keys, plan.processor, { outputSchema: plan.schema, timeMode: plan.timeMode, outputMode: plan.outputMode });
    case 'join': {
      const right = children[1] as LogicalPlan;
      if (plan.using) return buildUsingJoin(c0, right, plan.using, plan.joinType);
      return buildConditionJoin(c0, right, fullJoinCondition(plan.leftKeys, plan.rightKeys, plan.condition), plan.joinType);
    }
  }
}
