import type { Schema } from '../../common/schema.js';
import type { Expr } from '../expr/expr.js';
import type { LogicalPlan } from './logical-plan.js';

/**
 * Spark's Generate node for the explode family: every child row is repeated once per
 * element of `input` (an array, or a map's entries), with the element appended as new
 * columns: `pos` (the 0-based position, when `position`), then the element (arrays) or
 * the key and value (maps). A null or empty input produces no row, or with `outer` one row
 * whose new columns are null. Output columns: the child's, then `outputNames` (internal
 * names; the projection above the node gives them their user-facing names).
 */
export interface Generate {
  readonly kind: 'generate';
  readonly child: LogicalPlan;
  /** The analyzed array or map expression over the child's columns. */
  readonly input: Expr;
  readonly outer: boolean;
  readonly position: boolean;
  readonly outputNames: readonly string[];
  readonly schema: Schema;
}
