import type { DataType } from '../../../common/data-type.js';
import type { Schema } from '../../../common/schema.js';
import { resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import type { Join } from '../../../dataframe/plan/logical-plan.js';

/** A side of a join. */
export type JoinInputSide = 'left' | 'right';

/**
 * How the state of one side of a stream-stream join is bounded, given the query watermark
 * `wm` of the batch (ms): rows whose event time is at or before `wm + offsetMs` can never
 * match a future row of the other side and are evicted (Spark's state watermark).
 *
 * - `key`: a join key carries event time (an event-time column or a window over one joined
 *   by equality); the key's time (a window's `end`) is compared, offset 0 (Spark's
 *   JoinStateKeyWatermarkPredicate).
 * - `value`: the join condition bounds this side's event-time column from below by the
 *   other side's watermarked event time plus a constant; that column is compared with
 *   `wm + offsetMs` (Spark's JoinStateValueWatermarkPredicate).
 */
export type StateEviction =
  | { readonly kind: 'key'; readonly keyIndex: number; readonly offsetMs: 0 }
  | { readonly kind: 'value'; readonly column: number; readonly offsetMs: number };

/** The state bounds of both sides of a stream-stream join, and the columns late rows are judged by. */
export interface StreamJoinBounds {
  readonly left: StateEviction | null;
  readonly right: StateEviction | null;
  /** Per side, the index of the timestamp event-time column whose rows at or before the late-events watermark are dropped, or -1. */
  readonly lateColumn: readonly [number, number];
}

function stripCasts(e: Expr): Expr {
  return e.kind === 'cast' && (e.to.kind === 'timestamp' || e.to.kind === 'struct') ? stripCasts(e.child) : e;
}

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** A time term `coef * column` of a linear form; `us` when the column is microseconds. */
interface TimeTerm {
  readonly side: JoinInputSide;
  readonly column: number;
  readonly negate: boolean;
  readonly us: boolean;
}

interface LinearForm {
  readonly times: TimeTerm[];
  constant: number;
  /** 'ts' when times are raw timestamps (no constants possible), 'ms' when they are unixMillis(...), null when no time term yet. */
  scale: 'ts' | 'ms' | null;
  invalid: boolean;
}

function isTimeType(t: DataType | undefined): boolean {
  return t?.kind === 'timestamp';
}

/**
 * Collects the linear terms of a numeric or timestamp expression: timestamp columns (raw or
 * under `unixMillis`) and numeric literals (milliseconds), under `+`, `-` and negation.
 * Anything else makes the form invalid (no bound is derived from it).
 */
function collect(e: Expr, negate: boolean, combined: Schema, nLeft: number, out: LinearForm): void {
  if (out.invalid) return;
  switch (e.kind) {
    case 'binary':
      if (e.op === '+' || e.op === '-') {
        collect(e.left, negate, combined, nLeft, out);
        collect(e.right, e.op === '-' ? !negate : negate, combined, nLeft, out);
        return;
      }
      break;
    case 'unary':
      if (e.op === 'negate') {
        collect(e.child, !negate, combined, nLeft, out);
        return;
      }
      break;
    case 'cast':
      if (e.to.kind === 'timestamp' || e.to.kind === 'int64' || e.to.kind === 'float64' || e.to.kind === 'int32') {
        // A cast of a raw timestamp column to a number would be seconds: not supported.
        const inner = stripCasts(e.child);
        if (e.to.kind !== 'timestamp' && inner.kind === 'col') break;
        collect(e.child, negate, combined, nLeft, out);
        return;
      }
      break;
    case 'lit': {
      const v = e.value;
      if (typeof v === 'number' || typeof v === 'bigint') {
        if (e.type.kind === 'timestamp' || e.type.kind === 'date') break;
        out.constant += negate ? -Number(v) : Number(v);
        return;
      }
      break;
    }
    case 'col':
    case 'call': {
      const isMillis = e.kind === 'call' && e.fn === 'unixMillis';
      const ref = e.kind === 'col' ? e : isMillis ? stripCasts(e.args[0] as Expr) : null;
      if (ref === null || ref.kind !== 'col') break;
      let idx: number;
      try {
        idx = resolveFieldIndex(combined, ref.name, ref.qualifier);
      } catch {
        break;
      }
      const f = combined.fields[idx];
      if (f === undefined || !isTimeType(f.type)) break;
      const scale = isMillis ? 'ms' : 'ts';
      if (out.scale !== null && out.scale !== scale) break;
      out.scale = scale;
      const us = f.type.kind === 'timestamp' && f.type.unit === 'us';
      out.times.push(idx < nLeft ? { side: 'left', column: idx, negate, us } : { side: 'right', column: idx - nLeft, negate, us });
      return;
    }
    default:
      break;
  }
  out.invalid = true;
}

/**
 * The state offset one conjunct gives for side `s`: for `otherTime + c < sTime` (or `<=`,
 * `>`, `>=`, in any arrangement of the terms) where otherTime is an event-time column of the
 * other side, rows of `s` with time <= wm + c (strict) or wm + c - 1 ms (non-strict) can be
 * evicted (Spark's StreamingJoinHelper.getStateValueWatermark). Null when the conjunct
 * gives no such bound.
 */
function conjunctBound(e: Expr, s: JoinInputSide, otherEventTime: ReadonlySet<number>, combined: Schema, nLeft: number): ValueBound | null {
  if (e.kind !== 'binary') return null;
  let small: Expr;
  let big: Expr;
  let strict: boolean;
  switch (e.op) {
    case '<':
    case '<=':
      small = e.left;
      big = e.right;
      strict = e.op === '<';
      break;
    case '>':
    case '>=':
      small = e.right;
      big = e.left;
      strict = e.op === '>';
      break;
    default:
      return null;
  }
  // small - big < 0
  const form: LinearForm = { times: [], constant: 0, scale: null, invalid: false };
  collect(small, false, combined, nLeft, form);
  collect(big, true, combined, nLeft, form);
  if (form.invalid) return null;
  const mine = form.times.filter((t) => t.side === s);
  const other = form.times.filter((t) => t.side !== s);
  if (mine.length !== 1 || other.length !== 1) return null;
  const m = mine[0] as TimeTerm;
  const o = other[0] as TimeTerm;
  // Need: o + c - m < 0, i.e. m > o + c.
  if (!m.negate || o.negate || !otherEventTime.has(o.column)) return null;
  let offset = form.constant;
  if (!strict) offset -= 1;
  // unixMillis floors microseconds: leave one more millisecond of slack.
  if (form.scale === 'ms' && (m.us || o.us)) offset -= 1;
  return { column: m.column, otherColumn: o.column, offsetMs: offset };
}

/** A value bound of one side: its column, the other side's event-time column it is relative to, and the offset. */
interface ValueBound {
  readonly column: number;
  readonly otherColumn: number;
  readonly offsetMs: number;
}

function eventTimeIndices(schema: Schema, names: ReadonlySet<string>): Set<number> {
  const out = new Set<number>();
  schema.fields.forEach((f, i) => {
    if (names.has(f.name) && isTimeType(f.type)) out.add(i);
  });
  return out;
}

function keyEventTimeOrdinal(join: Join, eventTime: readonly [ReadonlySet<string>, ReadonlySet<string>]): number {
  const isEventTimeKey = (e: Expr, names: ReadonlySet<string>, schema: Schema): boolean => {
    const c = stripCasts(e);
    if (c.kind !== 'col' || !names.has(c.name)) return false;
    const f = schema.fields.find((x) => x.name === c.name);
    if (f === undefined) return false;
    return f.type.kind === 'timestamp' || (f.type.kind === 'struct' && f.type.fields.some((x) => x.name === 'end' && x.type.kind === 'timestamp'));
  };
  const l = join.leftKeys.findIndex((k) => isEventTimeKey(k, eventTime[0], join.left.schema));
  if (l >= 0) return l;
  return join.rightKeys.findIndex((k) => isEventTimeKey(k, eventTime[1], join.right.schema));
}

/**
 * Derives how the state of each side of a stream-stream join is bounded (see
 * {@link StateEviction}) and which column each side's late rows are judged by, from the
 * equi-keys, the extra condition and the event-time columns (`eventTime[0]` of the left
 * input, `[1]` of the right).
 *
 * Accepted time constraints: equality of event-time columns or of windows over them (which
 * become join keys), and range conjuncts comparing the two sides' timestamp columns, either
 * directly (`l.t >= r.t`) or in milliseconds through `unixMillis`, with integer millisecond
 * constants: `unixMillis(l.t) >= unixMillis(r.t) - 600000` (Sluice cannot add an interval to
 * a timestamp yet).
 */
export function streamJoinBounds(join: Join, eventTime: readonly [ReadonlySet<string>, ReadonlySet<string>]): StreamJoinBounds {
  const leftTimes = eventTimeIndices(join.left.schema, eventTime[0]);
  const rightTimes = eventTimeIndices(join.right.schema, eventTime[1]);
  const keyOrdinal = keyEventTimeOrdinal(join, eventTime);
  const combined = schemaOf([...join.left.schema.fields, ...join.right.schema.fields]);
  const nLeft = join.left.schema.fields.length;
  const parts = join.condition === null ? [] : conjuncts(join.condition);
  const valueBound = (s: JoinInputSide): ValueBound | null => {
    const otherTimes = s === 'left' ? rightTimes : leftTimes;
    let best: ValueBound | null = null;
    for (const c of parts) {
      const b = conjunctBound(c, s, otherTimes, combined, nLeft);
      if (b === null) continue;
      if (best === null) best = b;
      else if (b.column === best.column && b.otherColumn === best.otherColumn && b.offsetMs < best.offsetMs) best = b;
    }
    return best;
  };
  const leftValue = valueBound('left');
  const rightValue = valueBound('right');
  const asEviction = (b: ValueBound | null): StateEviction | null => (b === null ? null : { kind: 'value', column: b.column, offsetMs: b.offsetMs });
  const left: StateEviction | null = keyOrdinal >= 0 ? { kind: 'key', keyIndex: keyOrdinal, offsetMs: 0 } : asEviction(leftValue);
  const right: StateEviction | null = keyOrdinal >= 0 ? { kind: 'key', keyIndex: keyOrdinal, offsetMs: 0 } : asEviction(rightValue);
  // Late rows of a side are judged by the column the other side's bound relies on, else by
  // its event-time join key, else by its first timestamp event-time column.
  const lateOf = (s: JoinInputSide, times: ReadonlySet<number>, otherBound: ValueBound | null): number => {
    if (keyOrdinal < 0 && otherBound !== null) return otherBound.otherColumn;
    const keys = s === 'left' ? join.leftKeys : join.rightKeys;
    const schema = s === 'left' ? join.left.schema : join.right.schema;
    if (keyOrdinal >= 0) {
      const k = stripCasts(keys[keyOrdinal] as Expr);
      if (k.kind === 'col') {
        const i = schema.fields.findIndex((f) => f.name === k.name);
        if (times.has(i)) return i;
      }
    }
    const first = [...times][0];
    return first === undefined ? -1 : first;
  };
  return { left, right, lateColumn: [lateOf('left', leftTimes, rightValue), lateOf('right', rightTimes, leftValue)] };
}
