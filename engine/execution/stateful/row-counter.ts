import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import type { Aggregate } from '../../../dataframe/plan/logical-plan.js';

/** Name of the hidden per-group row counter streaming aggregations add (for numRowsDroppedByWatermark). */
export const ROW_COUNTER = '__sluice_rows';

/** `agg` with a hidden `count(1)` appended, so partial states carry how many input rows each holds. */
export function withRowCounter(agg: Aggregate): Aggregate {
  const count: Expr = Object.freeze({
    kind: 'alias',
    name: ROW_COUNTER,
    child: Object.freeze({ kind: 'agg', fn: 'count', args: Object.freeze([Object.freeze({ kind: 'lit', value: 1, type: types.int32 })]) }),
  }) as Expr;
  return Object.freeze({
    ...agg,
    aggregates: Object.freeze([...agg.aggregates, count]),
    schema: schemaOf([...agg.schema.fields, field(ROW_COUNTER, types.int64, false)]),
  });
}
