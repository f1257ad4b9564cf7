import { types } from '../../common/data-type.js';
import { invalidArgument } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { apiCallName } from './api-call-name.js';
import type { Call } from './expr.js';

/**
 * `rowHash(seed, c1, c2, ...)`: a hash of the row's values in the columns, mixed with the
 * literal integer `seed`, mapped to a double in [0, 1). Equal values give equal results
 * (null equals null, -0 equals 0, NaN equals NaN), independent of partitioning and batch
 * boundaries. Used by `DataFrame.sample`; not Spark's `hash` (whose values differ).
 */
export const ROW_HASH_SPEC = {
  doc: 'row_hash(seed, cols...): a seeded hash of the columns mapped to a double in [0, 1); equal rows give equal values (used by sample()).',
  arity: [2, 1000] as const,
  resolve(args: readonly AnalyzedExpr[], call: Call) {
    const seed = args[0] as AnalyzedExpr;
    if (seed.expr.kind !== 'lit' || (typeof seed.expr.value !== 'number' && typeof seed.expr.value !== 'bigint'))
      throw invalidArgument(`${apiCallName(call)} needs a literal integer seed as its first argument.`);
    return { args, type: types.float64, nullable: false };
  },
};
