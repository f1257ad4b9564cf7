import { valueText } from '../../../common/describe-value.js';
import { invalidArgument, SluiceError } from '../../../common/errors.js';
import { analyzeExpr, containsAggregate, exprOutputName } from '../../expr/analyze-expr.js';
import type { Expr } from '../../expr/expr.js';
import type { LogicalPlan, Repartition } from '../logical-plan.js';

/**
 * Builds `repartition(n, keys...)` (`shuffle` true) or `coalesce(n)` (`shuffle` false).
 * `numPartitions` must be a positive integer (null only for a repartition by keys: the
 * session's `sluice.sql.shuffle.partitions`); keys are analyzed against the child and may not
 * be aggregates.
 */
export function buildRepartition(child: LogicalPlan, numPartitions: number | null, keys: readonly Expr[], shuffle: boolean): Repartition {
  const what = shuffle ? 'repartition()' : 'coalesce()';
  if (numPartitions === null ? !shuffle || keys.length === 0 : !Number.isInteger(numPartitions) || numPartitions <= 0) {
    throw invalidArgument(`${what} needs a positive whole number of partitions, got ${valueText(numPartitions)}. Example: df.${what.replace('()', '')}(8).`);
  }
  const analyzed = keys.map((k) => {
    if (containsAggregate(k)) throw new SluiceError('INVALID_PLAN', `${what} cannot partition by aggregate ${exprOutputName(k)}; aggregate first.`);
    return analyzeExpr(k, child.schema).expr;
  });
  return Object.freeze({ kind: 'repartition', child, numPartitions, keys: Object.freeze(analyzed), shuffle, schema: child.schema });
}
