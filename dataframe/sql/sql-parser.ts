import type { SqlExpr, SqlQuery, SqlRelation, SqlSelect, SqlSetExpr } from './sql-ast.js';
import { SqlExprParser } from './sql-parse-expr.js';

type JoinType = Extract<SqlRelation, { k: 'join' }>['type'];

/**
 * Parser of Spark SQL queries: `[WITH name AS (query), ...] select [UNION | INTERSECT |
 * EXCEPT [ALL|DISTINCT] select ...] [ORDER BY ...] [LIMIT n]`, where a select is `SELECT [DISTINCT] items [FROM
 * relations] [WHERE e] [GROUP BY e, ...] [HAVING e]` or a parenthesized query, and a
 * relation is a view name, a subquery, `parquet.\`path\`` (csv, json) or a join of those.
 */
export class SqlParser extends SqlExprParser {
  /** The whole text as one query (a trailing `;` is allowed). */
  parseStatement(): SqlQuery {
    const q = this.parseQuery();
    this.acceptOp(';');
    if (this.peek().kind !== 'eof') throw this.unexpected('the end of the query (or UNION, ORDER BY, LIMIT)');
    return q;
  }

  /** The whole text as one expression with an optional alias (selectExpr / expr). */
  parseStandaloneExpr(named: boolean): SqlExpr {
    const e = named ? this.parseNamedExpr() : this.parseExpr();
    if (this.peek().kind !== 'eof') throw this.unexpected('the end of the expression');
    return e;
  }

  protected parseSubquery(): SqlQuery {
    return this.parseQuery();
  }

  private parseQuery(): SqlQuery {
    const start = this.peek().offset;
    const ctes: SqlQuery['ctes'][number][] = [];
    if (this.acceptKw('with')) {
      do {
        const nameStart = this.peek().offset;
        const name = this.expectName('a name for the WITH query').text;
        this.acceptKw('as');
        this.expectOp('(', ' before the WITH query');
        const query = this.parseQuery();
        this.expectOp(')', ' to close the WITH query');
        ctes.push({ name, query, span: this.spanFrom(nameStart) });
      } while (this.acceptOp(','));
    }
    // INTERSECT binds tighter than UNION and EXCEPT, which apply left to right (SQL's rule, as Spark).
    let body = this.parseIntersection();
    for (;;) {
      const opStart = this.peek().offset;
      const op = this.acceptKw('union') ? 'union' : this.acceptKw('except') || this.acceptKw('minus') ? 'except' : null;
      if (op === null) break;
      const all = this.setQuantifier();
      const right = this.parseIntersection();
      body = { k: 'setop', op, all, left: body, right, span: this.spanFrom(opStart) };
    }
    let orderBy: SqlQuery['orderBy'] = [];
    if (this.acceptKw('order') || this.acceptKw('sort')) {
      this.expectKw('by', ' after ORDER');
      orderBy = this.parseSortList();
    }
    let limit: number | null = null;
    if (this.acceptKw('limit')) {
      const t = this.next();
      if (t.kind === 'ident' && t.text.toLowerCase() === 'all') limit = null;
      else if (t.kind !== 'number' || !/^[0-9]+$/.test(t.text)) throw this.errorAt(t, 'SQL syntax error: LIMIT needs a non-negative integer');
      else limit = Number(t.text);
    }
    return { k: 'query', ctes, body, orderBy, limit, span: this.spanFrom(start) };
  }

  private setQuantifier(): boolean {
    const all = this.acceptKw('all');
    if (!all) this.acceptKw('distinct');
    return all;
  }

  private parseIntersection(): SqlSetExpr {
    let body = this.parseSetTerm();
    for (;;) {
      const opStart = this.peek().offset;
      if (!this.acceptKw('intersect')) return body;
      const all = this.setQuantifier();
      body = { k: 'setop', op: 'intersect', all, left: body, right: this.parseSetTerm(), span: this.spanFrom(opStart) };
    }
  }

  private parseSetTerm(): SqlSetExpr {
    const start = this.peek().offset;
    if (this.acceptOp('(')) {
      const query = this.parseQuery();
      this.expectOp(')', ' to close the parenthesized query');
      return { k: 'paren', query, span: this.spanFrom(start) };
    }
    return this.parseSelect();
  }

  private parseSelect(): SqlSelect {
    const start = this.expectKw('select').offset;
    const distinct = this.acceptKw('distinct');
    if (!distinct) this.acceptKw('all');
    const items: SqlExpr[] = [this.parseNamedExpr()];
    while (this.acceptOp(',')) items.push(this.parseNamedExpr());
    let from: SqlRelation | null = null;
    if (this.acceptKw('from')) {
      from = this.parseJoinedRelation();
      while (this.acceptOp(',')) {
        const right = this.parseJoinedRelation();
        from = { k: 'join', left: from, right, type: 'cross', on: null, using: null, span: right.span };
      }
    }
    const where = this.acceptKw('where') ? this.parseExpr() : null;
    let groupBy: SqlExpr[] = [];
    let grouping: SqlSelect['grouping'] = 'plain';
    let groupingSets: SqlExpr[][] | null = null;
    if (this.acceptKw('group')) {
      this.expectKw('by', ' after GROUP');
      if (this.isKw('grouping') && this.isKw('sets', 1)) {
        this.next();
        this.next();
        groupingSets = this.parseGroupingSets();
        grouping = 'sets';
        groupBy = groupingSets.flat();
      } else {
        groupBy.push(this.parseExpr());
        while (this.acceptOp(',')) groupBy.push(this.parseExpr());
        const only = groupBy[0];
        if (groupBy.length === 1 && only?.k === 'call' && only.over === null && (only.name.toLowerCase() === 'rollup' || only.name.toLowerCase() === 'cube')) {
          grouping = only.name.toLowerCase() as 'rollup' | 'cube';
          groupBy = [...only.args];
        } else if (this.isKw('with') && (this.isKw('rollup', 1) || this.isKw('cube', 1))) {
          this.next();
          grouping = this.next().text.toLowerCase() as 'rollup' | 'cube';
        }
      }
    }
    const having = this.acceptKw('having') ? this.parseExpr() : null;
    if (this.isKw('window')) throw this.errorAt(this.peek(), 'SQL syntax error: the WINDOW clause is not supported; write each window inline in OVER (...)');
    return { k: 'select', distinct, items, from, where, groupBy, grouping, groupingSets, having, span: this.spanFrom(start) };
  }

  /** `((a, b), (a), (), c)`: each set parenthesized (or a single expression). */
  private parseGroupingSets(): SqlExpr[][] {
    this.expectOp('(', ' after GROUPING SETS');
    const sets: SqlExpr[][] = [];
    do {
      if (this.acceptOp('(')) {
        const set: SqlExpr[] = [];
        if (!this.isOp(')')) {
          set.push(this.parseExpr());
          while (this.acceptOp(',')) set.push(this.parseExpr());
        }
        this.expectOp(')', ' to close the grouping set');
        sets.push(set);
      } else sets.push([this.parseExpr()]);
    } while (this.acceptOp(','));
    this.expectOp(')', ' to close GROUPING SETS (');
    return sets;
  }

  private parseJoinedRelation(): SqlRelation {
    let left = this.parsePrimaryRelation();
    for (;;) {
      const start = this.peek().offset;
      const natural = this.acceptKw('natural');
      const type = this.parseJoinType();
      if (type === null) {
        if (natural) throw this.unexpected('JOIN after NATURAL');
        return left;
      }
      if (natural) throw this.errorAt(this.spanFrom(start), 'SQL syntax error: NATURAL JOIN is not supported; name the columns with JOIN ... USING (a, b)');
      const right = this.parsePrimaryRelation();
      let on: SqlExpr | null = null;
      let using: string[] | null = null;
      if (this.acceptKw('on')) on = this.parseExpr();
      else if (this.acceptKw('using')) {
        this.expectOp('(', ' after USING');
        using = [this.expectName('a column name').text];
        while (this.acceptOp(',')) using.push(this.expectName('a column name').text);
        this.expectOp(')', ' to close USING (');
      } else if (type !== 'cross' && type !== 'inner') {
        throw this.unexpected(`ON condition or USING (columns) for the ${type.toUpperCase()} JOIN`);
      }
      left = { k: 'join', left, right, type, on, using, span: this.spanFrom(start) };
    }
  }

  private parseJoinType(): JoinType | null {
    if (this.acceptKw('join')) return 'inner';
    let type: JoinType | null = null;
    if (this.acceptKw('inner')) type = 'inner';
    else if (this.acceptKw('cross')) type = 'cross';
    else if (this.acceptKw('semi')) type = 'semi';
    else if (this.acceptKw('anti')) type = 'anti';
    else if (this.isKw('left') || this.isKw('right') || this.isKw('full')) {
      const side = this.next().text.toLowerCase() as 'left' | 'right' | 'full';
      if (side === 'left' && this.acceptKw('semi')) type = 'semi';
      else if (side === 'left' && this.acceptKw('anti')) type = 'anti';
      else {
        this.acceptKw('outer');
        type = side;
      }
    } else return null;
    this.expectKw('join', ` after ${type.toUpperCase()}`);
    return type;
  }

  private parseAlias(): string | null {
    if (this.acceptKw('as')) return this.expectName('an alias name').text;
    return this.atAliasName() ? this.next().text : null;
  }

  private parsePrimaryRelation(): SqlRelation {
    const start = this.peek().offset;
    if (this.acceptOp('(')) {
      if (!this.isKw('select') && !this.isKw('with') && !this.isOp('(')) {
        const inner = this.parseJoinedRelation();
        this.expectOp(')', ' to close the parenthesized relation');
        return inner;
      }
      const query = this.parseQuery();
      this.expectOp(')', ' to close the subquery');
      return { k: 'subquery', query, alias: this.parseAlias(), span: this.spanFrom(start) };
    }
    const first = this.expectName('a view name, a subquery in parentheses, or a file such as parquet.`path`');
    const format = first.text.toLowerCase();
    if ((format === 'parquet' || format === 'csv' || format === 'json') && this.isOp('.') && this.peek(1).kind === 'quoted') {
      this.next();
      const path = this.next().text;
      const span = this.spanFrom(start);
      return { k: 'file', format, path, alias: this.parseAlias(), span };
    }
    let name = first.text;
    while (this.acceptOp('.')) name += `.${this.expectName('a name after .').text}`;
    const span = this.spanFrom(start);
    return { k: 'table', name, alias: this.parseAlias(), span };
  }
}
