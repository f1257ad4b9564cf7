import { SluiceError, invalidArgument } from '../common/errors.js';
import type { Schema } from '../common/schema.js';
import { Column } from './expr/column.js';
import type { Expr } from './expr/expr.js';
import { literalOf } from './expr/literal-of.js';

/** The arguments of `sample(...)` in either of Spark's shapes, resolved (a missing seed is drawn once, now). */
export function sampleArguments(a: boolean | number, b?: number, c?: number): { fraction: number; seed: number } {
  const withReplacement = typeof a === 'boolean' ? a : false;
  const fraction = typeof a === 'boolean' ? b : a;
  const seed = typeof a === 'boolean' ? c : b;
  if (withReplacement)
    throw new SluiceError(
      'UNSUPPORTED',
      'sample(true, ...) (with replacement, where a row may appear several times) is not supported yet. Sample without replacement: sample(fraction, seed).',
    );
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1))
    throw invalidArgument(`sample(): the fraction must be a number between 0 and 1 (sampling without replacement), got ${String(fraction)}.`);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw invalidArgument(`sample(): the seed must be an integer, got ${String(seed)}.`);
  return { fraction, seed: seed ?? Math.floor(Math.random() * 2 ** 31) };
}

/**
 * The filter condition of `sample(fraction, seed)`: `rowHash(seed, columns...) < fraction`,
 * a Bernoulli draw per row whose outcome depends only on the seed and the row's values
 * (columns of plain types), never on partitioning or batch boundaries. Rows with equal
 * values are kept or dropped together.
 */
export function sampleCondition(schema: Schema, fraction: number, seed: number): Column {
  const cols: Expr[] = schema.fields
    .filter((f) => f.type.kind !== 'struct')
    .map((f) => Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null }));
  const hash: Expr = Object.freeze({ kind: 'call', fn: 'rowHash', args: Object.freeze([literalOf(seed), ...cols]) });
  return new Column(hash).lt(fraction);
}
