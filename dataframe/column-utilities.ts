import { invalidArgument } from '../common/errors.js';
import type { Schema } from '../common/schema.js';
import type { Column } from './expr/column.js';
import { columnExpr } from './expr/column.js';
import type { Expr } from './expr/expr.js';

const ref = (name: string, qualifier: string | null | undefined): Expr => Object.freeze({ kind: 'col', name, qualifier: qualifier ?? null });

/** The projection of `withColumns(map)`: every column, those named in the map replaced in place, new ones appended in map order. */
export function withColumnsExprs(schema: Schema, columns: Readonly<Record<string, Column>> | ReadonlyMap<string, Column>): Expr[] {
  const entries = columns instanceof Map ? [...columns.entries()] : Object.entries(columns as Record<string, Column>);
  const named = new Map<string, Expr>();
  for (const [name, c] of entries) {
    if (named.has(name)) throw invalidArgument(`withColumns(): column '${name}' is given twice.`);
    named.set(name, Object.freeze({ kind: 'alias', child: columnExpr(c, `withColumns('${name}', ...)`), name }));
  }
  const exprs: Expr[] = schema.fields.map((f) => named.get(f.name) ?? ref(f.name, f.qualifier));
  for (const [name, e] of named) if (!schema.fields.some((f) => f.name === name)) exprs.push(e);
  return exprs;
}

/** The projection of `toDF(...names)`: column i renamed to names[i]; the counts must match. */
export function toDfExprs(schema: Schema, names: readonly string[]): Expr[] {
  if (names.length !== schema.fields.length)
    throw invalidArgument(
      `toDF() got ${names.length} name(s) for ${schema.fields.length} column(s) (${schema.fields.map((f) => f.name).join(', ')}). Pass one name per column.`,
    );
  return schema.fields.map((f, i) => Object.freeze({ kind: 'alias', child: ref(f.name, f.qualifier), name: names[i] as string }));
}
