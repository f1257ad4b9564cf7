import { SluiceError } from '../../common/errors.js';
import { types } from '../../common/data-type.js';
import type { Literal } from '../expr/expr.js';
import type { SqlExpr, SqlFrameBound, SqlSortItem, SqlWindowSpec } from './sql-ast.js';
import { SqlTokenCursor } from './sql-token-cursor.js';
import type { IntervalParts } from '../expr/interval.js';
import { parseInterval } from '../expr/interval.js';

const INTERVAL_UNITS = /^(year|month|week|day|hour|minute|second|millisecond|microsecond)s?$/i;

/** A literal node. */
export function lit(value: Literal['value'], type: Literal['type']): Literal {
  return Object.freeze({ kind: 'lit', value, type });
}

/** Number literal typing (Spark's, except that decimals are doubles: Sluice has no decimal literal). */
export function numberLiteral(text: string): Literal {
  const suffix = /(BD|L|D|S|Y|F)$/i.exec(text)?.[1]?.toUpperCase();
  const body = suffix === undefined ? text : text.slice(0, -suffix.length);
  if (suffix === 'L') {
    if (/[.eE]/.test(body) || BigInt(body) > 9223372036854775807n)
      throw new SluiceError('INVALID_ARGUMENT', `${text} is not a bigint literal (a whole number up to 9223372036854775807).`);
    return lit(BigInt(body), types.int64);
  }
  if (suffix === 'S' || suffix === 'Y') return lit(Number(body), types.int32);
  if (suffix !== undefined || /[.eE]/.test(body)) return lit(Number(body), types.float64);
  const v = BigInt(body);
  if (v <= 2147483647n) return lit(Number(v), types.int32);
  // Spark makes a decimal of a larger integer; Sluice has no decimal literal, so it is a double.
  if (v > 9223372036854775807n) return lit(Number(body), types.float64);
  return lit(v, types.int64);
}

/**
 * The parts of the expression grammar below the operators: type names, window
 * specifications and frames, ORDER BY lists and INTERVAL literals. The expression parser
 * extends it and supplies the expressions inside.
 */
export abstract class SqlClauseParser extends SqlTokenCursor {
  /** A whole expression. */
  abstract parseExpr(): SqlExpr;
  /** An expression without comparisons or boolean operators (a frame offset, a BETWEEN bound). */
  protected abstract parseAdditive(): SqlExpr;

  /** A type name as text: `int`, `decimal(10, 2)`, `array<string>`, `struct<a: int>`. */
  protected parseTypeText(): string {
    const first = this.expectName('a type name such as int, bigint, double, string, date or timestamp');
    let text = first.text;
    if (this.isOp('(') || this.isOp('<')) {
      const open = this.next().text;
      const close = open === '(' ? ')' : '>';
      let depth = 1;
      text += open;
      while (depth > 0) {
        const t = this.next();
        if (t.kind === 'eof') throw this.errorAt(t, `SQL syntax error: expected '${close}' to close the type ${first.text}`);
        if (t.text === open) depth++;
        if (t.text === close) depth--;
        text += t.kind === 'ident' ? ` ${t.text}` : t.text;
      }
    }
    return text;
  }

  protected parseWindowSpec(): SqlWindowSpec {
    this.expectOp('(');
    const partitionBy: SqlExpr[] = [];
    let orderBy: SqlSortItem[] = [];
    if (this.acceptKw('partition') || this.acceptKw('distribute')) {
      this.expectKw('by');
      partitionBy.push(this.parseExpr());
      while (this.acceptOp(',')) partitionBy.push(this.parseExpr());
    }
    if (this.acceptKw('order') || this.acceptKw('sort')) {
      this.expectKw('by');
      orderBy = this.parseSortList();
    }
    let frame: SqlWindowSpec['frame'] = null;
    if (this.isKw('rows') || this.isKw('range')) {
      const type = this.next().text.toLowerCase() as 'rows' | 'range';
      if (this.acceptKw('between')) {
        const s = this.parseFrameBound();
        this.expectKw('and', ' in BETWEEN start AND end');
        frame = { type, start: s, end: this.parseFrameBound() };
      } else {
        frame = { type, start: this.parseFrameBound(), end: { unbounded: false, offset: null, preceding: false } };
      }
    }
    this.expectOp(')', ' to close the window specification (PARTITION BY ..., ORDER BY ..., ROWS/RANGE ...)');
    return { partitionBy, orderBy, frame };
  }

  private parseFrameBound(): SqlFrameBound {
    if (this.acceptKw('unbounded')) {
      if (this.acceptKw('preceding')) return { unbounded: true, offset: null, preceding: true };
      this.expectKw('following', ' or PRECEDING after UNBOUNDED');
      return { unbounded: true, offset: null, preceding: false };
    }
    if (this.acceptKw('current')) {
      this.expectKw('row', ' after CURRENT');
      return { unbounded: false, offset: null, preceding: false };
    }
    const offset = this.parseAdditive();
    if (this.acceptKw('preceding')) return { unbounded: false, offset, preceding: true };
    this.expectKw('following', ' or PRECEDING after a frame offset');
    return { unbounded: false, offset, preceding: false };
  }

  /** `expr [ASC|DESC] [NULLS FIRST|LAST], ...`. */
  protected parseSortList(): SqlSortItem[] {
    const items: SqlSortItem[] = [];
    do {
      const expr = this.parseExpr();
      let ascending = true;
      if (this.acceptKw('desc')) ascending = false;
      else this.acceptKw('asc');
      let nullsFirst: boolean | null = null;
      if (this.acceptKw('nulls')) {
        if (this.acceptKw('first')) nullsFirst = true;
        else {
          this.expectKw('last', ' or FIRST after NULLS');
          nullsFirst = false;
        }
      }
      items.push({ expr, ascending, nullsFirst });
    } while (this.acceptOp(','));
    return items;
  }

  protected parseInterval(): SqlExpr {
    const start = this.next().offset;
    const pieces: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'string') {
        this.next();
        const unit = this.peek();
        if (unit.kind === 'ident' && INTERVAL_UNITS.test(unit.text)) pieces.push(`${t.text} ${this.next().text}`);
        else pieces.push(t.text);
      } else if (t.kind === 'number' || (this.isOp('-') && this.peek(1).kind === 'number')) {
        const sign = this.acceptOp('-') ? '-' : '';
        const num = this.next().text;
        const unit = this.peek();
        if (unit.kind !== 'ident' || !INTERVAL_UNITS.test(unit.text)) throw this.unexpected('an interval unit (DAY, HOUR, MINUTE, SECOND...)');
        pieces.push(`${sign}${num} ${this.next().text}`);
      } else break;
    }
    const span = this.spanFrom(start);
    if (pieces.length === 0) throw this.unexpected("an interval such as INTERVAL 10 MINUTES or INTERVAL '1 hour'");
    const text = pieces.join(' ');
    let parts: IntervalParts;
    try {
      parts = parseInterval(text);
    } catch (e) {
      throw this.errorAt(span, `SQL syntax error: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { k: 'interval', months: parts.months, days: parts.days, micros: parts.microseconds, text, span };
  }
}
