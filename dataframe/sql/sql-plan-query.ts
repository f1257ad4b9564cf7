import { didYouMean } from '../../common/closest-name.js';
import type { ErrorCode } from '../../common/errors.js';
import { SluiceError } from '../../common/errors.js';
import { Column } from '../expr/column.js';
import { DataFrame } from '../data-frame.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { QueryExecutor } from '../query-executor.js';
import type { SqlExpr, SqlQuery, SqlRelation, SqlSetExpr, SqlSortItem } from './sql-ast.js';
import type { SqlCatalog } from './sql-catalog.js';
import { sqlError } from './sql-error.js';
import { locateErrors } from './sql-locate-error.js';
import { SqlParser } from './sql-parser.js';
import type { SelectContext } from './sql-plan-select.js';
import { planSelectBlock, sortByOutput } from './sql-plan-select.js';
import { SqlExprConverter } from './sql-to-expr.js';
import { sessionFunctions } from './sql-expr.js';

type FileRelation = Extract<SqlRelation, { k: 'file' }>;

const fileKey = (r: FileRelation): string => `${r.format}:${r.path}`;

/** The file relations (`parquet.\`path\``) anywhere in a query, CTEs and subqueries included. */
function fileRelations(q: SqlQuery, out: FileRelation[] = []): FileRelation[] {
  const rel = (r: SqlRelation): void => {
    if (r.k === 'file') out.push(r);
    else if (r.k === 'subquery') fileRelations(r.query, out);
    else if (r.k === 'join') {
      rel(r.left);
      rel(r.right);
    }
  };
  const set = (s: SqlSetExpr): void => {
    if (s.k === 'select') {
      if (s.from) rel(s.from);
    } else if (s.k === 'paren') fileRelations(s.query, out);
    else {
      set(s.left);
      set(s.right);
    }
  };
  for (const c of q.ctes) fileRelations(c.query, out);
  set(q.body);
  // Queries inside WHERE conditions (x IN (SELECT ...)).
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      if ((v as { k?: unknown }).k === 'inQuery') fileRelations((v as Extract<SqlExpr, { k: 'inQuery' }>).query, out);
      else Object.values(v).forEach(walk);
    }
  };
  const wheres = (s: SqlSetExpr): void => {
    if (s.k === 'select') walk(s.where);
    else if (s.k === 'setop') {
      wheres(s.left);
      wheres(s.right);
    }
  };
  wheres(q.body);
  return out;
}

/** The AND-ed parts of a condition. */
function splitAnd(e: SqlExpr): SqlExpr[] {
  return e.k === 'binary' && e.op === 'and' ? [...splitAnd(e.left), ...splitAnd(e.right)] : [e];
}

/**
 * Turns a parsed query into a DataFrame by calling the DataFrame methods (select, filter,
 * groupBy().agg(), join, union, orderBy, limit, alias...), so SQL and DataFrame code share
 * the builders, the checks and the plans; a query over a streaming view is a streaming
 * DataFrame.
 */
class SqlQueryPlanner {
  private readonly ctx: SelectContext;
  private subqueries = 0;

  constructor(
    private readonly sql: string,
    private readonly executor: QueryExecutor,
    private readonly catalog: SqlCatalog | undefined,
    private readonly files: ReadonlyMap<string, LogicalPlan>,
  ) {
    this.ctx = { sql, conv: new SqlExprConverter(sql, sessionFunctions(executor)) };
  }

  planQuery(q: SqlQuery, outer: ReadonlyMap<string, DataFrame>): DataFrame {
    const ctes = new Map(outer);
    for (const c of q.ctes) ctes.set(c.name.toLowerCase(), this.planQuery(c.query, ctes));
    let df: DataFrame;
    if (q.body.k === 'select') df = this.planSelect(q.body, q.orderBy, ctes);
    else {
      df = this.planSet(q.body, ctes);
      if (q.orderBy.length > 0) df = this.sortOutput(df, q.orderBy);
    }
    return q.limit === null ? df : df.limit(q.limit);
  }

  private sortOutput(df: DataFrame, orderBy: readonly SqlSortItem[]): DataFrame {
    const names = df.columns;
    const sorts = orderBy.map(
      (o) =>
        sortByOutput(
          this.ctx,
          o,
          names.map((n) => Object.freeze({ kind: 'col', name: n, qualifier: null })),
          names,
        ) ?? this.ctx.conv.sortOrder(o),
    );
    return locateErrors(
      this.sql,
      'ORDER BY',
      orderBy.map((o) => o.expr),
      () => names,
      () => df.orderBy(sorts.map((s) => new Column(s))),
    );
  }

  private planSet(s: SqlSetExpr, ctes: ReadonlyMap<string, DataFrame>): DataFrame {
    if (s.k === 'select') return this.planSelect(s, [], ctes);
    if (s.k === 'paren') return this.planQuery(s.query, ctes);
    const left = this.planSet(s.left, ctes);
    const right = this.planSet(s.right, ctes);
    const fail = (code: ErrorCode, message: string, cause?: unknown) =>
      sqlError(code, this.sql, s.span.offset, Math.max(1, s.span.end - s.span.offset), message.replace(/\.$/, ''), cause);
    try {
      if (s.op === 'union') return s.all ? left.union(right) : left.union(right).distinct();
      // INTERSECT / EXCEPT use the DataFrame set operations when this build has them.
      const method = `${s.op}${s.all ? 'All' : ''}`;
      const fn = (left as unknown as Record<string, unknown>)[method];
      if (typeof fn !== 'function')
        throw fail(
          'UNSUPPORTED',
          `${s.op.toUpperCase()}${s.all ? ' ALL' : ''} needs DataFrame.${method}(), which this build does not have; use UNION or a join`,
        );
      return (fn as (other: DataFrame) => DataFrame).call(left, right);
    } catch (err) {
      if (err instanceof SluiceError && !err.message.includes('(line ')) throw fail(err.code, err.message, err);
      throw err;
    }
  }

  private planSelect(sel: Extract<SqlSetExpr, { k: 'select' }>, orderBy: readonly SqlSortItem[], ctes: ReadonlyMap<string, DataFrame>): DataFrame {
    let df: DataFrame;
    if (sel.from !== null) df = this.planRelation(sel.from, ctes);
    else if (this.catalog === undefined) throw this.ctx.conv.error(sel.span, 'SELECT without FROM needs a session', 'UNSUPPORTED');
    else {
      const star = sel.items.find((i) => i.k === 'star');
      if (star) throw this.ctx.conv.error(star.span, 'SELECT * needs a FROM clause');
      df = new DataFrame(this.catalog.oneRow(), this.executor);
    }
    const conjuncts = sel.where === null ? [] : splitAnd(sel.where);
    const rest: SqlExpr[] = conjuncts.filter((c) => c.k !== 'inQuery');
    if (rest.length > 0) {
      const input = df;
      const where = rest.reduce((a, b): SqlExpr => ({ k: 'binary', op: 'and', left: a, right: b, span: { offset: a.span.offset, end: b.span.end } }));
      df = locateErrors(
        this.sql,
        'WHERE',
        [where],
        () => input.columns,
        () => input.filter(new Column(this.ctx.conv.convert(where))),
      );
    }
    for (const q of conjuncts) if (q.k === 'inQuery') df = this.semiJoin(df, q, ctes);
    return planSelectBlock(this.ctx, sel, df, orderBy);
  }

  /** `x IN (SELECT y ...)` as a left semi join on `x = y` (Spark's rewrite of an uncorrelated IN subquery). */
  private semiJoin(df: DataFrame, e: Extract<SqlExpr, { k: 'inQuery' }>, ctes: ReadonlyMap<string, DataFrame>): DataFrame {
    const sub = this.planQuery(e.query, ctes);
    if (sub.columns.length !== 1)
      throw this.ctx.conv.error(
        e.query.span,
        `The IN subquery must select exactly one column, but it selects ${sub.columns.length} (${sub.columns.join(', ')})`,
      );
    // The subquery's column gets a name of its own, so the condition's columns resolve to the outer query.
    const name = `__in_${this.subqueries++}`;
    const right = sub.select(
      new Column(Object.freeze({ kind: 'alias', child: Object.freeze({ kind: 'col', name: sub.columns[0] as string, qualifier: null }), name })),
    );
    const key = new Column(Object.freeze({ kind: 'col', name, qualifier: null }));
    return locateErrors(
      this.sql,
      'WHERE ... IN (SELECT ...)',
      [e.child],
      () => df.columns,
      () => df.join(right, new Column(this.ctx.conv.convert(e.child)).eq(key), 'semi'),
    );
  }

  private planRelation(r: SqlRelation, ctes: ReadonlyMap<string, DataFrame>): DataFrame {
    switch (r.k) {
      case 'table': {
        const key = r.name.toLowerCase();
        const cte = ctes.get(key);
        const plan = cte === undefined ? this.catalog?.tempView(key) : cte.plan;
        if (plan === undefined) {
          const known = [...ctes.keys(), ...(this.catalog?.tempViewNames() ?? [])];
          throw sqlError(
            'INVALID_ARGUMENT',
            this.sql,
            r.span.offset,
            r.span.end - r.span.offset,
            `Unknown table or view '${r.name}'.${didYouMean(r.name, known)} Register a DataFrame with df.createOrReplaceTempView('${r.name}'), or read a file as parquet.\`path\`${known.length > 0 ? `. Views: ${known.join(', ')}` : ''}`,
          );
        }
        return new DataFrame(plan, this.executor).alias(r.alias ?? r.name);
      }
      case 'file': {
        const df = new DataFrame(this.files.get(fileKey(r)) as LogicalPlan, this.executor);
        return r.alias === null ? df : df.alias(r.alias);
      }
      case 'subquery': {
        const df = this.planQuery(r.query, ctes);
        return r.alias === null ? df : df.alias(r.alias);
      }
      case 'join': {
        const left = this.planRelation(r.left, ctes);
        const right = this.planRelation(r.right, ctes);
        const both = () => [...left.columns, ...right.columns];
        if (r.using !== null) {
          const using = r.using;
          return locateErrors(this.sql, 'JOIN USING', [], both, () => left.join(right, [...using], r.type));
        }
        if (r.on === null) return r.type === 'cross' || r.type === 'inner' ? left.crossJoin(right) : left.join(right, undefined, r.type);
        const on = r.on;
        return locateErrors(this.sql, 'JOIN ON', [on], both, () => left.join(right, new Column(this.ctx.conv.convert(on)), r.type));
      }
    }
  }
}

/**
 * Runs Spark SQL text against the session's temporary views (and files named as
 * `parquet.\`path\``, `csv.\`path\``, `json.\`path\``): parses it, reads the files' schemas,
 * and builds the DataFrame. Nothing runs until an action.
 */
export async function sqlToDataFrame(text: string, executor: QueryExecutor, catalog: SqlCatalog | undefined): Promise<DataFrame> {
  const query = new SqlParser(text).parseStatement();
  const files = new Map<string, LogicalPlan>();
  for (const r of fileRelations(query)) {
    if (files.has(fileKey(r))) continue;
    if (catalog === undefined) throw sqlError('UNSUPPORTED', text, r.span.offset, r.span.end - r.span.offset, 'This session cannot read files from SQL');
    try {
      files.set(fileKey(r), await catalog.readFiles(r.format, r.path));
    } catch (err) {
      if (err instanceof SluiceError) throw sqlError(err.code, text, r.span.offset, r.span.end - r.span.offset, err.message.replace(/\.$/, ''), err);
      throw err;
    }
  }
  return new SqlQueryPlanner(text, executor, catalog, files).planQuery(query, new Map());
}
