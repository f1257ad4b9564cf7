import type { Literal } from '../expr/expr.js';

/** Where a node was written: offsets into the SQL text (end exclusive). */
export interface Span {
  readonly offset: number;
  readonly end: number;
}

/** A SQL expression as parsed, before any name is resolved. Every node keeps its span for errors. */
export type SqlExpr =
  | { readonly k: 'col'; readonly parts: readonly string[]; readonly span: Span }
  | { readonly k: 'star'; readonly qualifier: string | null; readonly span: Span }
  | { readonly k: 'lit'; readonly value: Literal; readonly span: Span }
  | { readonly k: 'typed'; readonly type: 'date' | 'timestamp'; readonly text: string; readonly span: Span }
  | { readonly k: 'interval'; readonly months: number; readonly days: number; readonly micros: bigint; readonly text: string; readonly span: Span }
  | { readonly k: 'unary'; readonly op: '-' | '+' | 'not'; readonly child: SqlExpr; readonly span: Span }
  | { readonly k: 'binary'; readonly op: SqlBinaryOp; readonly left: SqlExpr; readonly right: SqlExpr; readonly span: Span }
  | { readonly k: 'isNull'; readonly child: SqlExpr; readonly not: boolean; readonly span: Span }
  | { readonly k: 'in'; readonly child: SqlExpr; readonly list: readonly SqlExpr[]; readonly not: boolean; readonly span: Span }
  | { readonly k: 'inQuery'; readonly child: SqlExpr; readonly query: SqlQuery; readonly span: Span }
  | { readonly k: 'between'; readonly child: SqlExpr; readonly low: SqlExpr; readonly high: SqlExpr; readonly not: boolean; readonly span: Span }
  | {
      readonly k: 'like';
      readonly op: 'like' | 'ilike' | 'rlike';
      readonly child: SqlExpr;
      readonly pattern: SqlExpr;
      readonly not: boolean;
      readonly span: Span;
    }
  | {
      readonly k: 'case';
      readonly operand: SqlExpr | null;
      readonly branches: readonly { readonly when: SqlExpr; readonly then: SqlExpr }[];
      readonly otherwise: SqlExpr | null;
      readonly span: Span;
    }
  | { readonly k: 'cast'; readonly child: SqlExpr; readonly typeText: string; readonly typeSpan: Span; readonly span: Span }
  | {
      readonly k: 'call';
      readonly name: string;
      readonly args: readonly SqlExpr[];
      readonly distinct: boolean;
      readonly star: boolean;
      readonly over: SqlWindowSpec | null;
      readonly span: Span;
    }
  | { readonly k: 'alias'; readonly child: SqlExpr; readonly name: string; readonly span: Span };

/** Binary operators of SQL text (`==` and `<>` are normalized to `=` and `!=`). */
export type SqlBinaryOp = '+' | '-' | '*' | '/' | '%' | 'div' | '||' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '<=>' | 'and' | 'or';

/** A frame bound: unbounded (null offset), the current row (0), or an offset (negative = preceding). */
export interface SqlFrameBound {
  readonly unbounded: boolean;
  readonly offset: SqlExpr | null;
  readonly preceding: boolean;
}

/** `OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE BETWEEN ... AND ...)`. */
export interface SqlWindowSpec {
  readonly partitionBy: readonly SqlExpr[];
  readonly orderBy: readonly SqlSortItem[];
  readonly frame: { readonly type: 'rows' | 'range'; readonly start: SqlFrameBound; readonly end: SqlFrameBound } | null;
}

/** An ORDER BY item. `nullsFirst` null means the direction's default (first for ASC, last for DESC). */
export interface SqlSortItem {
  readonly expr: SqlExpr;
  readonly ascending: boolean;
  readonly nullsFirst: boolean | null;
}

/** A relation in FROM. */
export type SqlRelation =
  | { readonly k: 'table'; readonly name: string; readonly alias: string | null; readonly span: Span }
  | { readonly k: 'file'; readonly format: 'parquet' | 'csv' | 'json'; readonly path: string; readonly alias: string | null; readonly span: Span }
  | { readonly k: 'subquery'; readonly query: SqlQuery; readonly alias: string | null; readonly span: Span }
  | {
      readonly k: 'join';
      readonly left: SqlRelation;
      readonly right: SqlRelation;
      readonly type: 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' | 'cross';
      readonly on: SqlExpr | null;
      readonly using: readonly string[] | null;
      readonly span: Span;
    };

/** One SELECT block. */
export interface SqlSelect {
  readonly k: 'select';
  readonly distinct: boolean;
  readonly items: readonly SqlExpr[];
  readonly from: SqlRelation | null;
  readonly where: SqlExpr | null;
  readonly groupBy: readonly SqlExpr[];
  /** Plain GROUP BY, `WITH ROLLUP` / `ROLLUP(...)`, `WITH CUBE` / `CUBE(...)`, or `GROUPING SETS`. */
  readonly grouping: 'plain' | 'rollup' | 'cube' | 'sets';
  /** The sets of `GROUPING SETS ((a, b), (a), ())`, else null; `groupBy` then lists their expressions. */
  readonly groupingSets: readonly (readonly SqlExpr[])[] | null;
  readonly having: SqlExpr | null;
  readonly span: Span;
}

/** A set expression: a SELECT, a parenthesized query, or UNION / INTERSECT / EXCEPT [ALL] of two. */
export type SqlSetExpr =
  | SqlSelect
  | { readonly k: 'paren'; readonly query: SqlQuery; readonly span: Span }
  | {
      readonly k: 'setop';
      readonly op: 'union' | 'intersect' | 'except';
      readonly all: boolean;
      readonly left: SqlSetExpr;
      readonly right: SqlSetExpr;
      readonly span: Span;
    };

/** A whole query: CTEs, a set expression, ORDER BY and LIMIT. */
export interface SqlQuery {
  readonly k: 'query';
  readonly ctes: readonly { readonly name: string; readonly query: SqlQuery; readonly span: Span }[];
  readonly body: SqlSetExpr;
  readonly orderBy: readonly SqlSortItem[];
  readonly limit: number | null;
  readonly span: Span;
}
