import { didYouMean } from '../../common/closest-name.js';
import { SluiceError } from '../../common/errors.js';
import type { Span, SqlExpr } from './sql-ast.js';
import { sqlError } from './sql-error.js';

/** True when `b` is `a` with two adjacent characters swapped (case-insensitive), the commonest typing slip. */
function isTransposition(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x.length !== y.length || x === y) return false;
  const i = [...x].findIndex((c, j) => c !== y[j]);
  return x[i] === y[i + 1] && x[i + 1] === y[i] && x.slice(i + 2) === y.slice(i + 2);
}

/** ` Did you mean 'x'?` for the closest name by edit distance, or by one swap of adjacent characters. */
function suggestion(name: string, candidates: readonly string[]): string {
  const close = didYouMean(name, candidates);
  if (close !== '') return close;
  const swapped = candidates.find((c) => isTransposition(name, c));
  return swapped === undefined ? '' : ` Did you mean '${swapped}'?`;
}

/** The column references written in `exprs`, in text order. */
function columnNodes(exprs: readonly SqlExpr[]): Extract<SqlExpr, { k: 'col' }>[] {
  const out: Extract<SqlExpr, { k: 'col' }>[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const node = v as { k?: unknown };
    if (node.k === 'col') out.push(v as Extract<SqlExpr, { k: 'col' }>);
    if (node.k === 'lit') return;
    for (const x of Object.values(v)) walk(x);
  };
  walk(exprs);
  return out.sort((a, b) => a.span.offset - b.span.offset);
}

function findColumn(exprs: readonly SqlExpr[], shown: string): Span | undefined {
  const cols = columnNodes(exprs);
  const exact = cols.find((c) => c.parts.join('.') === shown);
  if (exact) return exact.span;
  const last = shown.split('.').pop();
  return cols.find((c) => c.parts[c.parts.length - 1] === last)?.span;
}

function clauseSpan(exprs: readonly SqlExpr[]): Span | undefined {
  if (exprs.length === 0) return undefined;
  return { offset: Math.min(...exprs.map((e) => e.span.offset)), end: Math.max(...exprs.map((e) => e.span.end)) };
}

/**
 * Runs `build` (which calls plan builders with expressions converted from `exprs`) and turns
 * an unpositioned SluiceError into one that points at the SQL: an unknown column at its
 * reference, with the closest of `columns` as a suggestion; a column that is neither
 * grouped nor aggregated at its reference, with the GROUP BY fix; anything else at the
 * clause. `what` names the clause (e.g. 'WHERE'). `groupedInput`, for expressions over an
 * aggregation's output, lists the input columns: a reference to one of those is a column
 * missing from GROUP BY.
 */
export function locateErrors<T>(
  sql: string,
  what: string,
  exprs: readonly SqlExpr[],
  columns: () => readonly string[],
  build: () => T,
  groupedInput: readonly string[] = [],
): T {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof SluiceError) || err.message.includes('(line ')) throw err;
    const unknown = err.code === 'UNKNOWN_COLUMN' ? /Unknown column '([^']+)'/.exec(err.message) : null;
    if (unknown && groupedInput.includes((unknown[1] as string).split('.').pop() as string)) {
      const name = unknown[1] as string;
      const span = findColumn(exprs, name) ?? clauseSpan(exprs);
      const msg = `Column '${name}' is neither in GROUP BY nor inside an aggregate function. Add ${name} to GROUP BY, or aggregate it, e.g. first(${name})`;
      if (span) throw sqlError('INVALID_PLAN', sql, span.offset, span.end - span.offset, msg, err);
    }
    if (unknown) {
      const name = unknown[1] as string;
      const span = findColumn(exprs, name) ?? clauseSpan(exprs);
      const cols = columns();
      const hint = suggestion(name.split('.').pop() as string, cols);
      const msg = `Unknown column '${name}' in ${what}.${hint} Columns are: ${cols.join(', ')}`;
      if (span) throw sqlError('UNKNOWN_COLUMN', sql, span.offset, span.end - span.offset, msg, err);
      throw err;
    }
    const ungrouped = /Column '([^']+)' in .* is neither grouped nor aggregated/.exec(err.message);
    if (ungrouped) {
      const name = ungrouped[1] as string;
      const span = findColumn(exprs, name) ?? clauseSpan(exprs);
      const msg = `Column '${name}' is neither in GROUP BY nor inside an aggregate function. Add ${name} to GROUP BY, or aggregate it, e.g. first(${name})`;
      if (span) throw sqlError('INVALID_PLAN', sql, span.offset, span.end - span.offset, msg, err);
      throw err;
    }
    const span = clauseSpan(exprs);
    if (span) throw sqlError(err.code, sql, span.offset, span.end - span.offset, `${err.message.replace(/\.$/, '')} (in ${what})`, err);
    throw err;
  }
}
