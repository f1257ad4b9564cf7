import { types } from '../../common/data-type.js';
import type { SqlBinaryOp, SqlExpr, SqlQuery, SqlWindowSpec } from './sql-ast.js';
import { SqlClauseParser, lit, numberLiteral } from './sql-parse-clauses.js';

const COMPARISONS: Record<string, SqlBinaryOp> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '<=>': '<=>' };

/**
 * Recursive-descent parser of Spark SQL expressions, lowest precedence first: OR, AND, NOT,
 * predicates (comparisons, IS [NOT] NULL, [NOT] IN / BETWEEN / LIKE / RLIKE), `+ - ||`,
 * `* / % DIV`, unary `- +`, postfix `::type`, primaries (literals, columns, calls with
 * OVER, CASE, CAST, INTERVAL, parentheses).
 */
export abstract class SqlExprParser extends SqlClauseParser {
  /** A query inside parentheses (for `x IN (SELECT ...)`). */
  protected abstract parseSubquery(): SqlQuery;

  /** A whole expression. */
  parseExpr(): SqlExpr {
    return this.parseOr();
  }

  /** `expr [[AS] alias]`, as in a select list or selectExpr(). */
  parseNamedExpr(): SqlExpr {
    const start = this.peek().offset;
    if (this.acceptOp('*')) return { k: 'star', qualifier: null, span: this.spanFrom(start) };
    const e = this.parseExpr();
    if (this.acceptKw('as') || this.atAliasName()) {
      if (this.isOp('(')) throw this.errorAt(this.peek(), 'SQL syntax error: multi-name aliases AS (a, b) are not supported; give one name');
      const name = this.expectName('an alias name').text;
      return { k: 'alias', child: e, name, span: this.spanFrom(start) };
    }
    return e;
  }

  private parseOr(): SqlExpr {
    const start = this.peek().offset;
    let left = this.parseAnd();
    while (this.acceptKw('or')) left = { k: 'binary', op: 'or', left, right: this.parseAnd(), span: this.spanFrom(start) };
    return left;
  }

  private parseAnd(): SqlExpr {
    const start = this.peek().offset;
    let left = this.parseNot();
    while (this.acceptKw('and')) left = { k: 'binary', op: 'and', left, right: this.parseNot(), span: this.spanFrom(start) };
    return left;
  }

  private parseNot(): SqlExpr {
    const start = this.peek().offset;
    if (this.acceptKw('not') || this.acceptOp('!')) return { k: 'unary', op: 'not', child: this.parseNot(), span: this.spanFrom(start) };
    return this.parsePredicate();
  }

  private parsePredicate(): SqlExpr {
    const start = this.peek().offset;
    let left = this.parseAdditive();
    for (;;) {
      const t = this.peek();
      const cmp = t.kind === 'op' ? COMPARISONS[t.text] : undefined;
      if (cmp !== undefined) {
        this.next();
        left = { k: 'binary', op: cmp, left, right: this.parseAdditive(), span: this.spanFrom(start) };
        continue;
      }
      if (this.acceptKw('is')) {
        const not = this.acceptKw('not');
        this.expectKw('null', ' (IS [NOT] NULL)');
        left = { k: 'isNull', child: left, not, span: this.spanFrom(start) };
        continue;
      }
      const not =
        this.isKw('not') &&
        (this.isKw('in', 1) || this.isKw('between', 1) || this.isKw('like', 1) || this.isKw('ilike', 1) || this.isKw('rlike', 1) || this.isKw('regexp', 1));
      if (not) this.next();
      if (this.acceptKw('in')) {
        this.expectOp('(', ' after IN');
        if (this.isKw('select') || this.isKw('with')) {
          if (not)
            throw this.errorAt(
              this.peek(),
              'SQL syntax error: NOT IN (SELECT ...) is not supported; use a LEFT ANTI JOIN (which keeps rows whose key is null)',
            );
          const query = this.parseSubquery();
          this.expectOp(')', ' to close the IN subquery');
          left = { k: 'inQuery', child: left, query, span: this.spanFrom(start) };
          continue;
        }
        const list = [this.parseExpr()];
        while (this.acceptOp(',')) list.push(this.parseExpr());
        this.expectOp(')', ' to close the IN list');
        left = { k: 'in', child: left, list, not, span: this.spanFrom(start) };
      } else if (this.acceptKw('between')) {
        const low = this.parseAdditive();
        this.expectKw('and', ' in BETWEEN low AND high');
        left = { k: 'between', child: left, low, high: this.parseAdditive(), not, span: this.spanFrom(start) };
      } else if (this.isKw('like') || this.isKw('ilike') || this.isKw('rlike') || this.isKw('regexp')) {
        const word = this.next().text.toLowerCase();
        const op = word === 'like' || word === 'ilike' ? word : 'rlike';
        left = { k: 'like', op, child: left, pattern: this.parseAdditive(), not, span: this.spanFrom(start) };
      } else if (not) {
        throw this.unexpected('IN, BETWEEN, LIKE or RLIKE after NOT');
      } else {
        return left;
      }
    }
  }

  protected parseAdditive(): SqlExpr {
    const start = this.peek().offset;
    let left = this.parseMultiplicative();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.text !== '+' && t.text !== '-' && t.text !== '||')) return left;
      this.next();
      left = { k: 'binary', op: t.text as SqlBinaryOp, left, right: this.parseMultiplicative(), span: this.spanFrom(start) };
    }
  }

  private parseMultiplicative(): SqlExpr {
    const start = this.peek().offset;
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      let op: SqlBinaryOp | null = null;
      if (t.kind === 'op' && (t.text === '*' || t.text === '/' || t.text === '%')) op = t.text;
      else if (this.isKw('div')) op = 'div';
      if (op === null) return left;
      this.next();
      left = { k: 'binary', op, left, right: this.parseUnary(), span: this.spanFrom(start) };
    }
  }

  private parseUnary(): SqlExpr {
    const start = this.peek().offset;
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next().text as '-' | '+';
      const child = this.parseUnary();
      if (op === '-' && child.k === 'lit' && (typeof child.value.value === 'number' || typeof child.value.value === 'bigint')) {
        const v = child.value.value;
        const neg = typeof v === 'bigint' ? (v === 2147483648n ? lit(-2147483648, types.int32) : lit(-v, types.int64)) : lit(-v, child.value.type);
        return { k: 'lit', value: neg, span: this.spanFrom(start) };
      }
      return { k: 'unary', op, child, span: this.spanFrom(start) };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): SqlExpr {
    const start = this.peek().offset;
    let e = this.parsePrimary();
    while (this.isOp('::')) {
      this.next();
      const typeStart = this.peek().offset;
      const typeText = this.parseTypeText();
      e = { k: 'cast', child: e, typeText, typeSpan: this.spanFrom(typeStart), span: this.spanFrom(start) };
    }
    return e;
  }

  private parsePrimary(): SqlExpr {
    const t = this.peek();
    const start = t.offset;
    if (t.kind === 'number') {
      this.next();
      return { k: 'lit', value: numberLiteral(t.text), span: this.spanFrom(start) };
    }
    if (t.kind === 'string') {
      let text = this.next().text;
      while (this.peek().kind === 'string') text += this.next().text;
      return { k: 'lit', value: lit(text, types.utf8), span: this.spanFrom(start) };
    }
    if (this.acceptOp('(')) {
      if (this.isKw('select') || this.isKw('with'))
        throw this.errorAt(this.peek(), 'SQL syntax error: subqueries in expressions are not supported; join with the subquery in FROM instead');
      const e = this.parseExpr();
      this.expectOp(')', ' to close the parenthesis');
      return e;
    }
    if (t.kind === 'quoted') return this.parseNameOrCall();
    if (t.kind !== 'ident') throw this.unexpected('an expression');
    const word = t.text.toLowerCase();
    if (word === 'true' || word === 'false') {
      this.next();
      return { k: 'lit', value: lit(word === 'true', types.boolean), span: this.spanFrom(start) };
    }
    if (word === 'null') {
      this.next();
      return { k: 'lit', value: lit(null, types.null), span: this.spanFrom(start) };
    }
    if ((word === 'date' || word === 'timestamp' || word === 'timestamp_ltz') && this.peek(1).kind === 'string') {
      this.next();
      const text = this.next().text;
      return { k: 'typed', type: word === 'date' ? 'date' : 'timestamp', text, span: this.spanFrom(start) };
    }
    if (word === 'interval') return this.parseInterval();
    if (word === 'case') return this.parseCase();
    if ((word === 'cast' || word === 'try_cast') && this.isOp('(', 1)) {
      this.next();
      this.next();
      const child = this.parseExpr();
      this.expectKw('as', ' in CAST(x AS type)');
      const typeStart = this.peek().offset;
      const typeText = this.parseTypeText();
      const typeSpan = this.spanFrom(typeStart);
      this.expectOp(')', ' to close CAST(');
      return { k: 'cast', child, typeText, typeSpan, span: this.spanFrom(start) };
    }
    if (t.kind === 'ident' && this.isOp('(', 1)) {
      this.next();
      return this.parseCall(t.text, start);
    }
    if (word === 'exists') throw this.errorAt(t, 'SQL syntax error: EXISTS subqueries are not supported; use a LEFT SEMI JOIN');
    return this.parseNameOrCall();
  }

  private parseNameOrCall(): SqlExpr {
    const start = this.peek().offset;
    const first = this.expectName('an expression');
    if (this.isOp('(') && first.kind === 'ident') return this.parseCall(first.text, start);
    const parts = [first.text];
    while (this.isOp('.')) {
      this.next();
      if (this.acceptOp('*')) return { k: 'star', qualifier: parts.join('.'), span: this.spanFrom(start) };
      const t = this.next();
      if (t.kind !== 'ident' && t.kind !== 'quoted') throw this.errorAt(t, "SQL syntax error: expected a name after '.'");
      parts.push(t.text);
    }
    return { k: 'col', parts, span: this.spanFrom(start) };
  }

  private parseCall(name: string, start: number): SqlExpr {
    this.expectOp('(');
    let distinct = false;
    let star = false;
    const args: SqlExpr[] = [];
    if (this.isOp('*') && this.isOp(')', 1)) {
      this.next();
      star = true;
    } else if (!this.isOp(')')) {
      distinct = this.acceptKw('distinct');
      if (!distinct) this.acceptKw('all');
      args.push(this.parseExpr());
      while (this.acceptOp(',')) args.push(this.parseExpr());
    }
    this.expectOp(')', ` to close ${name}(`);
    if (this.isKw('filter') && this.isOp('(', 1))
      throw this.errorAt(
        this.peek(),
        `SQL syntax error: ${name}(...) FILTER (WHERE ...) is not supported; aggregate a CASE instead, e.g. ${name}(CASE WHEN cond THEN x END)`,
      );
    if ((this.isKw('ignore') || this.isKw('respect')) && this.isKw('nulls', 1))
      throw this.errorAt(this.peek(), `SQL syntax error: IGNORE/RESPECT NULLS is not supported; pass the flag as an argument, e.g. first(x, true)`);
    let over: SqlWindowSpec | null = null;
    if (this.acceptKw('over')) {
      if (!this.isOp('('))
        throw this.errorAt(
          this.peek(),
          'SQL syntax error: named windows (OVER w) are not supported; write the window inline: OVER (PARTITION BY ... ORDER BY ...)',
        );
      over = this.parseWindowSpec();
    }
    return { k: 'call', name, args, distinct, star, over, span: this.spanFrom(start) };
  }

  private parseCase(): SqlExpr {
    const start = this.next().offset;
    const operand = this.isKw('when') ? null : this.parseExpr();
    const branches: { when: SqlExpr; then: SqlExpr }[] = [];
    while (this.acceptKw('when')) {
      const when = this.parseExpr();
      this.expectKw('then', ' after CASE ... WHEN condition');
      branches.push({ when, then: this.parseExpr() });
    }
    if (branches.length === 0) throw this.unexpected('WHEN in CASE');
    const otherwise = this.acceptKw('else') ? this.parseExpr() : null;
    this.expectKw('end', ' to close CASE');
    return { k: 'case', operand, branches, otherwise, span: this.spanFrom(start) };
  }
}
