import { types } from '../../common/data-type.js';
import { invalidArgument } from '../../common/errors.js';
import { GENERATOR_FUNCTIONS } from './collection-function-names.js';
import type { Expr } from './expr.js';
import { exprOutputName } from './expr-to-string.js';

/**
 * Spark's multi-name alias (`posexplode(xs).alias('i', 'x')`, `explode(m).alias('k', 'v')`):
 * the names travel as extra string literal arguments of the generator call, one per output
 * column, and the projection builder gives them to the generate node's columns. Throws
 * INVALID_ARGUMENT for anything but an explode-family call.
 */
export function withGeneratorOutputNames(e: Expr, names: readonly string[]): Expr {
  if (e.kind !== 'call' || !GENERATOR_FUNCTIONS.has(e.fn) || e.args.length !== 1)
    throw invalidArgument(
      `alias() with several names (${names.join(', ')}) names the columns of a generator such as posexplode(...) or explode(mapColumn); ${exprOutputName(e)} makes one column: give one name.`,
    );
  const lits = names.map((n) => Object.freeze({ kind: 'lit', value: n, type: types.utf8 }) as Expr);
  return Object.freeze({ kind: 'call', fn: e.fn, args: Object.freeze([...e.args, ...lits]) });
}
