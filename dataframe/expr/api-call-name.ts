import type { Expr } from './expr.js';
import { exprToString } from './expr-to-string.js';

/** Internal call names that differ from the exported function the user calls. */
const API_NAMES: Readonly<Record<string, string>> = { session_window: 'sessionWindow' };

/**
 * A function call as the user wrote it, for error messages: the exported function's name
 * (`dateTrunc`, `toTimestamp`, `sessionWindow`, not Spark's `date_trunc`...) with its
 * arguments: columns by name, string literals quoted, other arguments as `explain()` shows
 * them. Any other expression is shown as `explain()` shows it.
 */
export function apiCallName(e: Expr): string {
  if (e.kind !== 'call' && e.kind !== 'agg') return exprToString(e);
  const name = API_NAMES[e.fn] ?? e.fn;
  const args = e.args.map((a) => (a.kind === 'col' ? a.name : a.kind === 'lit' && typeof a.value === 'string' ? `'${a.value}'` : exprToString(a)));
  return `${name}(${args.join(', ')})`;
}
