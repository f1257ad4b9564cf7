import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import type { AggCall } from '../../dataframe/expr/expr.js';
import { percentileOptions } from '../../dataframe/expr/percentile-options.js';
import type { BoundAggregate } from './bind-aggregate.js';
import { PercentileAccumulator } from './percentile-accumulator.js';

/**
 * Binds percentileApprox, percentile or median (canonical calls, see
 * `dataframe/expr/percentile-options.ts`) to the value type `v`. State: the list of the
 * group's values. Result: `v` for percentileApprox, double for the others; an array of it
 * when the call asked for several percentages.
 */
export function bindPercentile(call: AggCall, v: DataType): BoundAggregate {
  const o = percentileOptions(call);
  const elem = o.accuracy === null ? types.float64 : v;
  const mode = o.accuracy === null ? ({ kind: 'interpolate' } as const) : ({ kind: 'rank', accuracy: o.accuracy } as const);
  return {
    call,
    valueArgs: call.args.slice(0, 1),
    resultType: o.asArray ? types.list(elem) : elem,
    stateFields: [{ name: 'values', type: types.list(v) }],
    create: () => new PercentileAccumulator(v, o.percentages, o.asArray, mode),
  };
}
