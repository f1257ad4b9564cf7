import { sqlError } from './sql-error.js';

/** Token kinds of Spark SQL text. Keywords are identifiers; the parser matches them case-insensitively. */
export type SqlTokenKind = 'ident' | 'quoted' | 'number' | 'string' | 'op' | 'eof';

/**
 * One token. `text` is the token as written, except for `quoted` identifiers (back-quotes
 * removed) and strings (quotes removed, escapes applied). `offset`/`end` delimit it in the SQL.
 */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
  readonly offset: number;
  readonly end: number;
}

const OPERATORS = [
  '<=>',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '||',
  '::',
  '(',
  ')',
  ',',
  '.',
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '<',
  '>',
  ';',
  '[',
  ']',
  '&',
  '|',
  '^',
  '~',
  '!',
];

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', '0': '\0', Z: '\x1a' };

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * Splits SQL text into tokens (Spark's lexical rules): identifiers and keywords, back-quoted
 * identifiers (a doubled back-quote is one), numbers (`1`, `1.5`, `1e3`, suffixes `L`, `D`,
 * `BD`), strings in single or double quotes with backslash escapes, operators, and
 * `--` / `/* *\/` comments. The last token is `eof`. Throws a positioned syntax error on an
 * unterminated string, identifier or comment, or a character that starts no token.
 */
export function tokenize(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw sqlError('INVALID_ARGUMENT', sql, i, 2, 'SQL syntax error: unterminated comment; close it with */');
      i = close + 2;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      while (i < n && (isIdentStart(sql[i] as string) || isDigit(sql[i]))) i++;
      out.push({ kind: 'ident', text: sql.slice(start, i), offset: start, end: i });
      continue;
    }
    if (c === '`') {
      let text = '';
      i++;
      for (;;) {
        if (i >= n) throw sqlError('INVALID_ARGUMENT', sql, start, 1, 'SQL syntax error: unterminated `quoted identifier`; close it with a back-quote');
        if (sql[i] === '`') {
          if (sql[i + 1] === '`') {
            text += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += sql[i];
        i++;
      }
      out.push({ kind: 'quoted', text, offset: start, end: i });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(sql[i + 1]))) {
      while (isDigit(sql[i])) i++;
      if (sql[i] === '.' && !isIdentStart(sql[i + 1] ?? '')) {
        i++;
        while (isDigit(sql[i])) i++;
      }
      if ((sql[i] === 'e' || sql[i] === 'E') && (isDigit(sql[i + 1]) || ((sql[i + 1] === '-' || sql[i + 1] === '+') && isDigit(sql[i + 2])))) {
        i += 2;
        while (isDigit(sql[i])) i++;
      }
      const suffix = /^(BD|L|D|S|Y|F)(?![A-Za-z0-9_])/i.exec(sql.slice(i, i + 3));
      if (suffix) i += (suffix[1] as string).length;
      if (i < n && isIdentStart(sql[i] as string)) {
        // `1abc` is an identifier in Spark only when quoted; treat digits followed by letters as an error.
        while (i < n && (isIdentStart(sql[i] as string) || isDigit(sql[i]))) i++;
        throw sqlError(
          'INVALID_ARGUMENT',
          sql,
          start,
          i - start,
          `SQL syntax error: '${sql.slice(start, i)}' is not a number; quote a name that starts with a digit in back-quotes`,
        );
      }
      out.push({ kind: 'number', text: sql.slice(start, i), offset: start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= n) throw sqlError('INVALID_ARGUMENT', sql, start, 1, `SQL syntax error: unterminated string; close it with ${c}`);
        const d = sql[i] as string;
        if (d === '\\' && i + 1 < n) {
          const e = sql[i + 1] as string;
          text += ESCAPES[e] ?? e;
          i += 2;
          continue;
        }
        if (d === c) {
          if (sql[i + 1] === c) {
            text += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += d;
        i++;
      }
      out.push({ kind: 'string', text, offset: start, end: i });
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (op === undefined) throw sqlError('INVALID_ARGUMENT', sql, i, 1, `SQL syntax error: unexpected character '${c}'`);
    i += op.length;
    out.push({ kind: 'op', text: op, offset: start, end: i });
  }
  out.push({ kind: 'eof', text: '', offset: n, end: n });
  return out;
}
