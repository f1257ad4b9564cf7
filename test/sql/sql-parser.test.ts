import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../common/errors.js';
import { expr } from '../../dataframe/sql/sql-expr.js';
import { tokenize } from '../../dataframe/sql/sql-lexer.js';
import { SqlParser } from '../../dataframe/sql/sql-parser.js';
import type { SqlQuery, SqlSelect } from '../../dataframe/sql/sql-ast.js';

const parse = (sql: string): SqlQuery => new SqlParser(sql).parseStatement();
const select = (sql: string): SqlSelect => parse(sql).body as SqlSelect;

function errorOf(f: () => unknown): SluiceError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('expected an error');
}

describe('SQL lexer', () => {
  it('keeps offsets and unquotes identifiers and strings', () => {
    const t = tokenize("SELECT `a``b`, 'it''s\\n' -- c\n /* x */ 1.5e3 L");
    expect(t.map((x) => [x.kind, x.text, x.offset])).toEqual([
      ['ident', 'SELECT', 0],
      ['quoted', 'a`b', 7],
      ['op', ',', 13],
      ['string', "it's\n", 15],
      ['number', '1.5e3', 39],
      ['ident', 'L', 45],
      ['eof', '', 46],
    ]);
  });

  it('reads operators longest first', () => {
    expect(tokenize('a<=>b<>c::int||d').map((x) => x.text)).toEqual(['a', '<=>', 'b', '<>', 'c', '::', 'int', '||', 'd', '']);
  });

  it('reports an unterminated string with line, column and caret', () => {
    const e = errorOf(() => tokenize("SELECT a\nFROM t WHERE s = 'abc"));
    expect(e.message).toContain('unterminated string');
    expect(e.message).toContain('(line 2, column 18)');
    expect(e.message).toContain("  FROM t WHERE s = 'abc\n                   ^");
  });
});

describe('SQL parser', () => {
  it('parses a full select block', () => {
    const s = select('SELECT DISTINCT a AS x, b y, count(*) FROM t WHERE a > 1 GROUP BY a, b HAVING count(*) > 2');
    expect(s.distinct).toBe(true);
    expect(s.items.map((i) => (i.k === 'alias' ? i.name : i.k))).toEqual(['x', 'y', 'call']);
    expect(s.from).toMatchObject({ k: 'table', name: 't', alias: null });
    expect(s.where).toMatchObject({ k: 'binary', op: '>' });
    expect(s.groupBy).toHaveLength(2);
    expect(s.having).toMatchObject({ k: 'binary', op: '>', left: { k: 'call', name: 'count', star: true } });
  });

  it('gives arithmetic precedence over comparison, AND over OR, and folds negative literals', () => {
    const s = select('SELECT 1 FROM t WHERE a + 2 * b > -3 OR c AND NOT d');
    expect(s.where).toMatchObject({
      k: 'binary',
      op: 'or',
      left: { k: 'binary', op: '>', left: { op: '+', right: { op: '*' } }, right: { k: 'lit', value: { value: -3 } } },
      right: { k: 'binary', op: 'and', right: { k: 'unary', op: 'not' } },
    });
  });

  it('parses predicates: IN, BETWEEN, LIKE, RLIKE, IS NULL and their NOT forms', () => {
    const w = select("SELECT 1 FROM t WHERE a NOT IN (1, 2) AND b BETWEEN 1 AND 5 AND c NOT LIKE 'x%' AND d RLIKE '^a' AND e IS NOT NULL").where;
    expect(JSON.stringify(w)).toMatch(/"k":"in".*"not":true/);
    expect(JSON.stringify(w)).toContain('"k":"between"');
    expect(JSON.stringify(w)).toMatch(/"k":"like","op":"like".*"not":true/);
    expect(JSON.stringify(w)).toContain('"op":"rlike"');
    expect(JSON.stringify(w)).toMatch(/"k":"isNull".*"not":true/);
  });

  it('parses joins of every type, USING, subqueries, files and CTEs', () => {
    const q = parse(
      'WITH c AS (SELECT * FROM t) SELECT * FROM c JOIN d ON c.id = d.id LEFT OUTER JOIN e USING (id) RIGHT JOIN f ON true FULL JOIN g ON true ' +
        'LEFT SEMI JOIN h ON true LEFT ANTI JOIN i ON true CROSS JOIN j, (SELECT 1 AS one FROM t) AS sub, parquet.`/data/x` p',
    );
    expect(q.ctes.map((c) => c.name)).toEqual(['c']);
    const types: string[] = [];
    let r = (q.body as SqlSelect).from;
    while (r?.k === 'join') {
      types.unshift(r.type);
      if (r.right.k === 'file') expect(r.right).toMatchObject({ format: 'parquet', path: '/data/x', alias: 'p' });
      if (r.right.k === 'subquery') expect(r.right.alias).toBe('sub');
      r = r.left;
    }
    expect(types).toEqual(['inner', 'left', 'right', 'full', 'semi', 'anti', 'cross', 'cross', 'cross']);
  });

  it('parses ROLLUP, CUBE and GROUPING SETS', () => {
    expect(select('SELECT a, b FROM t GROUP BY ROLLUP(a, b)')).toMatchObject({ grouping: 'rollup', groupBy: [{ k: 'col' }, { k: 'col' }] });
    expect(select('SELECT a, b FROM t GROUP BY a, b WITH CUBE')).toMatchObject({ grouping: 'cube', groupBy: [{ k: 'col' }, { k: 'col' }] });
    const s = select('SELECT a, b FROM t GROUP BY GROUPING SETS ((a, b), (a), b, ())');
    expect(s.grouping).toBe('sets');
    expect(s.groupingSets?.map((x) => x.length)).toEqual([2, 1, 1, 0]);
    expect(select('SELECT a FROM t GROUP BY a').grouping).toBe('plain');
  });

  it('parses UNION chains, ORDER BY with null order, and LIMIT', () => {
    const q = parse('SELECT a FROM t UNION ALL SELECT a FROM u UNION SELECT a FROM v ORDER BY a DESC NULLS FIRST, 2 LIMIT 10');
    expect(q.body).toMatchObject({ k: 'setop', op: 'union', all: false, left: { k: 'setop', op: 'union', all: true } });
    // INTERSECT binds tighter than UNION and EXCEPT.
    expect(parse('SELECT a FROM t EXCEPT SELECT a FROM u INTERSECT ALL SELECT a FROM v MINUS SELECT a FROM w').body).toMatchObject({
      op: 'except',
      left: { op: 'except', right: { op: 'intersect', all: true } },
    });
    expect(q.orderBy.map((o) => [o.ascending, o.nullsFirst])).toEqual([
      [false, true],
      [true, null],
    ]);
    expect(q.limit).toBe(10);
  });

  it('parses CASE, CAST, ::, typed literals, INTERVAL and window specifications', () => {
    const s = select(
      "SELECT CASE x WHEN 1 THEN 'a' ELSE 'b' END, CAST(y AS decimal(10, 2)), z::bigint, DATE '2024-01-02', INTERVAL 1 HOUR 30 MINUTES, " +
        "INTERVAL '10 seconds', sum(v) OVER (PARTITION BY k ORDER BY t RANGE BETWEEN INTERVAL 2 MINUTES PRECEDING AND CURRENT ROW) FROM t",
    );
    expect(s.items[0]).toMatchObject({ k: 'case', operand: { k: 'col' } });
    expect(s.items[1]).toMatchObject({ k: 'cast', typeText: 'decimal(10,2)' });
    expect(s.items[2]).toMatchObject({ k: 'cast', typeText: 'bigint' });
    expect(s.items[3]).toMatchObject({ k: 'typed', type: 'date', text: '2024-01-02' });
    expect(s.items[4]).toMatchObject({ k: 'interval', months: 0, days: 0, micros: 5_400_000_000n });
    expect(s.items[5]).toMatchObject({ k: 'interval', months: 0, days: 0, micros: 10_000_000n });
    expect(select("SELECT INTERVAL 1 YEAR 2 MONTHS, INTERVAL '-1 day 2 hours', INTERVAL '1.5' SECOND FROM t").items).toMatchObject([
      { k: 'interval', months: 14, days: 0, micros: 0n },
      { k: 'interval', months: 0, days: -1, micros: 7_200_000_000n },
      { k: 'interval', months: 0, days: 0, micros: 1_500_000n },
    ]);
    expect(s.items[6]).toMatchObject({
      k: 'call',
      over: { partitionBy: [{ k: 'col' }], orderBy: [{ ascending: true }], frame: { type: 'range', start: { preceding: true }, end: { offset: null } } },
    });
  });

  it('accepts reserved words as function names and keyword case freely', () => {
    const s = select("select Window(ts, '1 minute'), LEFT(s, 2) from T");
    expect(s.items.map((i) => (i.k === 'call' ? i.name : i.k))).toEqual(['Window', 'LEFT']);
  });
});

describe('SQL syntax errors', () => {
  it('points at the token with line, column and a caret, naming what was expected', () => {
    const e = errorOf(() => parse('SELECT a,\n       b\nFROM t\nWHERE a = = 1'));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain("SQL syntax error: expected an expression, found '='");
    expect(e.message).toContain('(line 4, column 11)');
    expect(e.message.split('\n').slice(-2)).toEqual(['  WHERE a = = 1', '            ^']);
  });

  it('says what closes an open construct', () => {
    expect(errorOf(() => parse('SELECT count(a FROM t')).message).toContain("expected ')' to close count(");
    expect(errorOf(() => parse('SELECT CASE WHEN a THEN 1 FROM t')).message).toContain('expected END to close CASE');
    expect(errorOf(() => parse('SELECT a FROM t LEFT JOIN u')).message).toContain('expected ON condition or USING (columns) for the LEFT JOIN');
    expect(errorOf(() => parse('SELECT a FROM t GROUP a')).message).toContain('expected BY after GROUP');
  });

  it('rejects trailing text and unsupported forms with the fix', () => {
    expect(errorOf(() => parse('SELECT a FROM t t2 t3')).message).toContain("expected the end of the query (or UNION, ORDER BY, LIMIT), found 't3'");
    expect(errorOf(() => parse('SELECT a FROM t WHERE a NOT IN (SELECT b FROM u)')).message).toContain('use a LEFT ANTI JOIN');
    expect(select('SELECT a FROM t WHERE a IN (SELECT b FROM u) AND c').where).toMatchObject({ k: 'binary', left: { k: 'inQuery', query: { k: 'query' } } });
    expect(errorOf(() => expr('window(ts, INTERVAL 1 MONTH)')).message).toContain('An INTERVAL with months or years has no fixed length');
    expect(errorOf(() => parse('SELECT INTERVAL 1 FORTNIGHT FROM t')).message).toContain('expected an interval unit');
    expect(errorOf(() => parse("SELECT INTERVAL '1.5 days' FROM t")).message).toContain("'1.5 days' must be a whole number");
    expect(errorOf(() => parse('SELECT sum(x) FILTER (WHERE x > 1) FROM t')).message).toContain('sum(CASE WHEN cond THEN x END)');
  });

  it('positions errors of expression strings too', () => {
    const e = errorOf(() => expr('a +* b'));
    expect(e.message).toContain("expected an expression, found '*' (line 1, column 4)");
    expect(errorOf(() => expr('a b c')).message).toContain("expected the end of the expression, found 'c'");
  });

  it('suggests the closest function name for an unknown function', () => {
    const e = errorOf(() => expr('uper(name)'));
    expect(e.message).toContain("Unknown function uper. Did you mean 'upper'?");
    expect(e.message).toContain('  uper(name)\n  ^^^^^^^^^^');
  });

  it('rejects an unknown CAST type at the type', () => {
    const e = errorOf(() => expr('CAST(a AS integr)'));
    expect(e.message).toContain("Unknown type 'integr'");
    expect(e.message).toContain('(line 1, column 11)');
  });
});

describe('expr()', () => {
  it('builds the same expression nodes as the Column API', async () => {
    const { col, lit, sum, count, countDistinct, when } = await import('../../index.js');
    expect(expr('a + 1 > b AS c').expr).toEqual(col('a').plus(1).gt(col('b')).alias('c').expr);
    expect(expr('sum(x)').expr).toEqual(sum('x').expr);
    expect(expr('count(*)').expr).toEqual(count().expr);
    expect(expr('COUNT(DISTINCT u)').expr).toEqual(countDistinct('u').expr);
    expect(expr("CASE WHEN a > 1 THEN 'x' END").expr).toEqual(when(col('a').gt(1), 'x').expr);
    expect(expr('t.a IS NOT NULL').expr).toEqual(col('t.a').isNotNull().expr);
    expect(expr("s LIKE 'a%'").expr).toEqual(col('s').like('a%').expr);
    expect(expr('a IN (1, 2)').expr).toEqual(col('a').isin(1, 2).expr);
    expect(expr('NULL').expr).toEqual(lit(null).expr);
    expect(expr('substr(s, 1, 2)').expr).toEqual(expr('substring(s, 1, 2)').expr);
    expect(expr('nvl(a, b)').expr).toEqual(expr('coalesce(a, b)').expr);
  });
});
