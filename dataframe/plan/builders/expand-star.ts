import type { Schema } from '../../../common/schema.js';
import { invalidArgument } from '../../../common/errors.js';
import type { Expr } from '../../expr/expr.js';

/** Replaces `*` / `t.*` entries by column references to every (qualified) column of `schema`. */
export function expandStar(exprs: readonly Expr[], schema: Schema): Expr[] {
  const out: Expr[] = [];
  for (const e of exprs) {
    if (e.kind !== 'star') {
      out.push(e);
      continue;
    }
    const matching = schema.fields.filter((f) => e.qualifier === null || f.qualifier === e.qualifier);
    if (matching.length === 0)
      throw invalidArgument(
        `'${e.qualifier}.*' matches no columns. Known aliases: ${[...new Set(schema.fields.map((f) => f.qualifier).filter(Boolean))].join(', ') || '(none)'}.`,
      );
    for (const f of matching) out.push(Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null }));
  }
  return out;
}
