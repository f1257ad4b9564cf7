import type { SluiceError } from '../../common/errors.js';
import type { Span } from './sql-ast.js';
import { sqlError } from './sql-error.js';
import type { SqlToken } from './sql-lexer.js';
import { tokenize } from './sql-lexer.js';

/**
 * Words that end an expression or relation, so they are never taken as an implicit alias
 * (`SELECT a b` names a `b`, but `SELECT a FROM t` does not name it `FROM`).
 */
const RESERVED = new Set(
  (
    'all and anti as asc between by case cross desc distinct else end except from full group having ilike in inner intersect is join ' +
    'lateral left like limit minus natural not null nulls on or order outer over right rlike regexp semi select then union using when where with'
  ).split(' '),
);

/** A position in the token list of one SQL text, with the matching and error helpers of the parsers. */
export class SqlTokenCursor {
  /** The SQL text being parsed. */
  readonly sql: string;
  protected readonly tokens: SqlToken[];
  protected at = 0;

  constructor(sql: string) {
    this.sql = sql;
    this.tokens = tokenize(sql);
  }

  /** The token `ahead` tokens from the current one (eof past the end). */
  peek(ahead = 0): SqlToken {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)] as SqlToken;
  }

  /** Consumes and returns the current token. */
  next(): SqlToken {
    const t = this.peek();
    if (this.at < this.tokens.length - 1) this.at++;
    return t;
  }

  /** True when the token at `ahead` is the (unquoted) keyword `word`, in any case. */
  isKw(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  /** True when the token at `ahead` is the operator `op`. */
  isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'op' && t.text === op;
  }

  /** Consumes keyword `word` when present. */
  acceptKw(word: string): boolean {
    if (!this.isKw(word)) return false;
    this.next();
    return true;
  }

  /** Consumes operator `op` when present. */
  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.next();
    return true;
  }

  /** Consumes keyword `word` or fails naming it. */
  expectKw(word: string, hint = ''): SqlToken {
    if (!this.isKw(word)) throw this.unexpected(`${word.toUpperCase()}${hint}`);
    return this.next();
  }

  /** Consumes operator `op` or fails naming it. */
  expectOp(op: string, hint = ''): SqlToken {
    if (!this.isOp(op)) throw this.unexpected(`'${op}'${hint}`);
    return this.next();
  }

  /** A name: an identifier that is not reserved, or a back-quoted one. */
  expectName(what: string): SqlToken {
    const t = this.peek();
    if (t.kind === 'quoted' || (t.kind === 'ident' && !RESERVED.has(t.text.toLowerCase()))) return this.next();
    throw this.unexpected(what);
  }

  /** True when the current token can be an implicit alias (a non-reserved identifier or a quoted one). */
  atAliasName(): boolean {
    const t = this.peek();
    return t.kind === 'quoted' || (t.kind === 'ident' && !RESERVED.has(t.text.toLowerCase()));
  }

  /** Span from token offset `start` to the end of the last consumed token. */
  spanFrom(start: number): Span {
    const last = this.tokens[Math.max(0, this.at - 1)] as SqlToken;
    return { offset: start, end: Math.max(start, last.end) };
  }

  /** A syntax error at the current token: "expected X, found Y". */
  unexpected(expected: string): SluiceError {
    const t = this.peek();
    const found = t.kind === 'eof' ? 'the end of the text' : `'${this.sql.slice(t.offset, t.end)}'`;
    return this.errorAt(t, `SQL syntax error: expected ${expected}, found ${found}`);
  }

  /** A syntax error under token `t`. */
  errorAt(t: SqlToken | Span, message: string): SluiceError {
    return sqlError('INVALID_ARGUMENT', this.sql, t.offset, Math.max(1, t.end - t.offset), message);
  }
}
