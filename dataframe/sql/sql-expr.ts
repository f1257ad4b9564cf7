import { Column } from '../expr/column.js';
import { SqlParser } from './sql-parser.js';
import type { QueryExecutor } from '../query-executor.js';
import type { UdfLookup } from './sql-to-expr.js';
import { SqlExprConverter } from './sql-to-expr.js';

/**
 * Parses a Spark SQL expression into a Column (Spark's `functions.expr`), e.g.
 * `expr("amount * 2 AS double_amount")`, `expr("upper(name) LIKE 'A%'")`,
 * `expr("count(DISTINCT user)")`, `expr("sum(x) OVER (PARTITION BY k ORDER BY t)")`.
 * An `AS name` at the end names the column. Column names are checked when the Column is
 * used in a DataFrame; syntax errors are thrown here, with line, column and a caret.
 */
export function expr(text: string): Column {
  return exprWithFunctions(text, undefined);
}

/** {@link expr} that also resolves the functions registered in a session (`df.selectExpr` and `df.filter(text)` use their session's). */
export function exprWithFunctions(text: string, udfs: UdfLookup | undefined): Column {
  return new Column(new SqlExprConverter(text, udfs).convert(new SqlParser(text).parseStandaloneExpr(true)));
}

/** The registered-function lookup of an executor's session (`QueryExecutor.lookupUdf`), when it has one. */
export function sessionFunctions(executor: QueryExecutor): UdfLookup | undefined {
  if (executor.lookupUdf === undefined) return undefined;
  return (name) => executor.lookupUdf?.(name);
}
