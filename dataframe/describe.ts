import { isNumeric, types } from '../common/data-type.js';
import { invalidArgument } from '../common/errors.js';
import { field, schemaOf } from '../common/schema.js';
import { vectorFromValues } from '../common/vector-from-values.js';
import type { Column } from './expr/column.js';
import type { Expr } from './expr/expr.js';
import { approxCountDistinct, avg, col, count, countDistinct, lit, max, min, stddev, when } from './expr/functions.js';
import { percentileApprox } from './expr/functions-percentile.js';
import type { LogicalPlan } from './plan/logical-plan.js';
import { buildAggregate } from './plan/builders/build-aggregate.js';
import { buildConditionJoin } from './plan/builders/build-join.js';
import { buildLocalRelation } from './plan/builders/build-misc.js';
import { buildProject } from './plan/builders/build-project.js';
import { buildSort } from './plan/builders/build-sort.js';

/** Spark's statistics of `describe()`. */
export const DESCRIBE_STATISTICS = ['count', 'mean', 'stddev', 'min', 'max'] as const;
/** Spark's default statistics of `summary()`. */
export const SUMMARY_STATISTICS = ['count', 'mean', 'stddev', 'min', '25%', '50%', '75%', 'max'] as const;

const ORDER = '__summary_order';

/** The aggregate of one statistic over one column, as a string (null where it does not apply). */
function statistic(stat: string, name: string, numeric: boolean): Column {
  const c = col(name);
  const asNumber = numeric ? c : c.cast('double');
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(stat);
  if (percent !== null) {
    const p = Number(percent[1]) / 100;
    if (!(p >= 0 && p <= 1)) throw invalidArgument(`summary(): percentile '${stat}' must be between 0% and 100%.`);
    return numeric ? percentileApprox(c, p).cast('string') : max(lit(null).cast('string'));
  }
  switch (stat) {
    case 'count':
      return count(c).cast('string');
    case 'mean':
      return avg(asNumber).cast('string');
    case 'stddev':
      return stddev(asNumber).cast('string');
    case 'min':
      return min(c).cast('string');
    case 'max':
      return max(c).cast('string');
    case 'count_distinct':
      return countDistinct(c).cast('string');
    case 'approx_count_distinct':
      return approxCountDistinct(c).cast('string');
    default:
      throw invalidArgument(
        `summary(): unknown statistic '${stat}'. Use count, mean, stddev, min, max, count_distinct, approx_count_distinct or a percentile such as '75%'.`,
      );
  }
}

/**
 * Spark's `describe(cols)` / `summary(stats)` as a plan: a string column `summary` naming the
 * statistic, then one string column per described column (default: the numeric and string
 * columns), one row per statistic in the order asked. The statistics are computed by one
 * aggregation over the input; a small relation of statistic names, cross-joined with its one
 * row, lays them out as rows. Mean and stddev of a string column are over its values cast to
 * double (null when none parse); percentiles of a string column are null.
 */
export function buildSummary(child: LogicalPlan, stats: readonly string[], names: readonly string[]): LogicalPlan {
  const fields = child.schema.fields;
  const cols = names.length > 0 ? names : fields.filter((f) => isNumeric(f.type) || f.type.kind === 'utf8').map((f) => f.name);
  const numeric = cols.map((n) => {
    const f = fields.find((x) => x.name === n);
    if (f === undefined) throw invalidArgument(`describe(): unknown column '${n}'. Columns are: ${fields.map((x) => x.name).join(', ')}.`);
    return isNumeric(f.type);
  });
  if (stats.length === 0) throw invalidArgument('summary() needs at least one statistic.');
  const aggs: Expr[] = [count().alias('__rows').expr];
  stats.forEach((s, i) => {
    cols.forEach((n, j) => {
      aggs.push(statistic(s, n, numeric[j] as boolean).alias(`__s${i}_${j}`).expr);
    });
  });
  const agg = buildAggregate(child, [], aggs);
  const statSchema = schemaOf([field('summary', types.utf8, false), field(ORDER, types.int32, false)]);
  const statRows = buildLocalRelation(statSchema, [
    {
      schema: statSchema,
      numRows: stats.length,
      columns: [
        vectorFromValues(types.utf8, [...stats]),
        vectorFromValues(
          types.int32,
          stats.map((_, i) => i),
        ),
      ],
    },
  ]);
  const joined = buildConditionJoin(agg, statRows, null, 'cross');
  const exprs: Expr[] = [col('summary').expr, col(ORDER).expr];
  cols.forEach((n, j) => {
    let pick: Column | null = null;
    stats.forEach((_, i) => {
      const hit = col(ORDER).eq(i);
      pick = pick === null ? when(hit, col(`__s${i}_${j}`)) : pick.when(hit, col(`__s${i}_${j}`));
    });
    exprs.push((pick as unknown as Column).alias(n).expr);
  });
  const sorted = buildSort(buildProject(joined, exprs), [col(ORDER).expr]);
  return buildProject(sorted, [col('summary').expr, ...cols.map((n) => col(n).expr)]);
}
