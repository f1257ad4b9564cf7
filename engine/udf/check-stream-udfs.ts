import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { transformPlan } from '../execution/incremental-plan.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { collectUdfRefs } from './collect-udf-refs.js';
import { isInlineUdfRefusal } from './udf-functions.js';

/**
 * Refuses at `start()` a streaming query whose batches would send an inline closure UDF to
 * the worker threads, rather than failing its first batch: plans the query once as a batch
 * over empty inputs (each streaming source replaced by no rows), which places the UDFs as
 * every micro-batch will. Only the refusal is raised here; any other planning problem is
 * left to the checks that own it.
 */
export function checkStreamInlineUdfs(plan: LogicalPlan, planBatch: (p: LogicalPlan) => PhysicalOperator): void {
  if (!collectUdfRefs(plan).some((r) => r.inlineId !== null)) return;
  const empty = transformPlan(plan, (p) => (p.kind === 'streamingRelation' ? buildLocalRelation(p.schema, []) : undefined));
  try {
    planBatch(empty);
  } catch (e) {
    if (isInlineUdfRefusal(e)) throw e;
  }
}
