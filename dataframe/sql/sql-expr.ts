import { Column } from '../expr/column.js';
import { SqlParser } from './sql-parser.js';
import { SqlExprConverter } from './sql-to-expr.js';

/**
 * Parses a Spark SQL expression into a Column (Spark's `functions.expr`), e.g.
 * `expr("amount * 2 AS double_amount")`, `expr("upper(name) LIKE 'A%'")`,
 * `expr("count(DISTINCT user)")`, `expr("sum(x) OVER (PARTITION BY k ORDER BY t)")`.
 * An `AS name` at the end names the column. Column names are checked when the Column is
 * used in a DataFrame; syntax errors are thrown here, with line, column and a caret.
 */
export function expr(text: string): Column {
  return new Column(new SqlExprConverter(text).convert(new SqlParser(text).parseStandaloneExpr(true)));
}
