import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { QueryExecutor } from '../../dataframe/query-executor.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import type { RuntimeConf } from '../session/session-conf.js';
import type { TaskRunner } from '../workers/task-runner.js';

/**
 * What a streaming query borrows from its session to run each micro-batch as a batch
 * job: the executor (optimizer, distributed planner, writer) and the worker pool and
 * configuration it plans with.
 */
export interface BatchPlanner {
  readonly executor: QueryExecutor;
  readonly pool: TaskRunner;
  readonly conf: RuntimeConf;
  /** Optimizes and plans a (bound, batch) logical plan for the worker pool. */
  plan(plan: LogicalPlan): PhysicalOperator;
}
