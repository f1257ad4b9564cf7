import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import type { Field } from '../../common/schema.js';
import { collectAggCalls } from '../../dataframe/expr/analyze-expr.js';
import type { AggCall, Expr } from '../../dataframe/expr/expr.js';
import type { Aggregate } from '../../dataframe/plan/logical-plan.js';
import { rewriteExpr } from '../../dataframe/plan/optimizer/expr-rewrite.js';

/**
 * How an aggregate grouped by a `window()` call is computed with panes: rows are first
 * partially aggregated by (other keys, pane), where panes are tumbling windows of length
 * gcd(duration, slide) aligned like the windows; each pane's partial row is then expanded
 * to the windows containing the pane (PaneExpandExec) and the partial states are merged by
 * (keys, window). A row is in a window exactly when its pane is, so this equals the naive
 * per-row expansion while touching each input row once. Tumbling windows use the same path
 * with pane = window (the expansion is then one to one).
 */
export interface PanePlan {
  /** Group expressions of the pane-level partial aggregate: the window replaced by its pane start. */
  readonly paneGroupBy: readonly Expr[];
  /** Names of the pane-level group columns: the window's two columns replaced by {@link PANE_COLUMN}. */
  readonly paneGroupNames: readonly string[];
  /** Index of the pane column among the pane-level group columns (= index of `window.start` among the final ones). */
  readonly position: number;
  /** Window duration, slide and start offset, and the pane length, in microseconds. */
  readonly durationUs: bigint;
  readonly slideUs: bigint;
  readonly startUs: bigint;
  readonly paneUs: bigint;
  /** Type of the time column (and of the window's start and end). */
  readonly timeType: DataType;
}

/** An Aggregate node taken apart for physical planning. */
export interface AggregateParts {
  /**
   * Grouping expressions over the aggregate's input, one per (flattened) group column. For a
   * window aggregate (`panes` set) the window's entries are the window's start and end fields,
   * which only exist after pane expansion: plan with `panes` instead.
   */
  readonly groupBy: readonly Expr[];
  /** Output names of the (flattened) grouping columns: a struct key `w` gives `w.start`, `w.end`... */
  readonly groupNames: readonly string[];
  /** The distinct aggregate calls, computed by the hash aggregate. */
  readonly aggCalls: readonly AggCall[];
  /** Internal column names of the aggregate call results (`_agg0`, `_agg1`, ...). */
  readonly aggNames: readonly string[];
  /** The final projection over [group columns, aggregate results] giving the Aggregate's output (struct keys rebuilt). */
  readonly resultExprs: readonly Expr[];
  /** Pane plan when the aggregate groups by a `window()` call, else null. */
  readonly panes: PanePlan | null;
  /** Index among the flattened group columns of the window's end (`window.end`) when grouping by a window, else null. */
  readonly windowEndKey: number | null;
}

/** Name of the pane-start group column of the pane-level partial aggregate. */
export const PANE_COLUMN = '__pane';

function key(e: Expr): string {
  return JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

function colRef(name: string): Expr {
  return Object.freeze({ kind: 'col', name, qualifier: null });
}

function getField(e: Expr, name: string): Expr {
  return Object.freeze({ kind: 'call', fn: 'getField', args: Object.freeze([e, Object.freeze({ kind: 'lit', value: name, type: types.utf8 }) as Expr]) });
}

function alias(e: Expr, name: string): Expr {
  return Object.freeze({ kind: 'alias', child: e, name });
}

function stripAlias(e: Expr): Expr {
  return e.kind === 'alias' ? stripAlias(e.child) : e;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/**
 * Splits an Aggregate into a hash aggregation of distinct aggregate calls plus a projection
 * that combines them (`sum(a) / count(b)` computes sum and count once, then divides).
 * Struct group keys are flattened into one group column per field, named `<key>.<field>`
 * (the hash tables group scalar columns only), and rebuilt in the final projection. A
 * `window()` group key gets a {@link PanePlan}.
 */
export function aggregateParts(agg: Aggregate): AggregateParts {
  const outerNames = agg.schema.fields.slice(0, agg.groupBy.length).map((f) => f.name);
  const groupBy: Expr[] = [];
  const groupNames: string[] = [];
  const rebuilt: Expr[] = [];
  let panes: PanePlan | null = null;
  let windowEndKey: number | null = null;
  const paneGroupBy: Expr[] = [];
  const paneGroupNames: string[] = [];
  agg.groupBy.forEach((g, i) => {
    const name = outerNames[i] as string;
    const type = (agg.schema.fields[i] as Field).type;
    if (type.kind !== 'struct') {
      groupBy.push(g);
      groupNames.push(name);
      paneGroupBy.push(g);
      paneGroupNames.push(name);
      rebuilt.push(colRef(name));
      return;
    }
    const inner = stripAlias(g);
    const fieldNames = type.fields.map((f) => `${name}.${f.name}`);
    if (inner.kind === 'call' && inner.fn === 'window' && inner.args.length === 4) {
      if (panes !== null)
        throw new SluiceError(
          'INVALID_PLAN',
          'groupBy() can hold only one window() expression (as in Spark). Group by one window, then window the result again.',
        );
      const [time, d, s, st] = inner.args as [Expr, Expr, Expr, Expr];
      const durationUs = (d as { value: bigint }).value;
      const slideUs = (s as { value: bigint }).value;
      const startUs = (st as { value: bigint }).value;
      const paneUs = gcd(durationUs, slideUs);
      const paneStart = ((startUs % paneUs) + paneUs) % paneUs;
      const lit = (v: bigint): Expr => Object.freeze({ kind: 'lit', value: v, type: types.int64 });
      const paneWindow: Expr = Object.freeze({ kind: 'call', fn: 'window', args: Object.freeze([time, lit(paneUs), lit(paneUs), lit(paneStart)]) });
      panes = {
        paneGroupBy: [],
        paneGroupNames: [],
        position: groupNames.length,
        durationUs,
        slideUs,
        startUs,
        paneUs,
        timeType: (type.fields[0] as { type: DataType }).type,
      };
      windowEndKey = groupNames.length + 1;
      paneGroupBy.push(alias(getField(paneWindow, 'start'), PANE_COLUMN));
      paneGroupNames.push(PANE_COLUMN);
    } else {
      type.fields.forEach((f, k) => {
        paneGroupBy.push(alias(getField(inner, f.name), fieldNames[k] as string));
        paneGroupNames.push(fieldNames[k] as string);
      });
    }
    type.fields.forEach((f, k) => {
      groupBy.push(alias(getField(inner, f.name), fieldNames[k] as string));
      groupNames.push(fieldNames[k] as string);
    });
    rebuilt.push(
      alias(
        Object.freeze({ kind: 'call', fn: 'struct', args: Object.freeze(type.fields.map((f, k) => alias(colRef(fieldNames[k] as string), f.name))) }),
        name,
      ),
    );
  });
  const calls: AggCall[] = [];
  const index = new Map<string, number>();
  for (const e of agg.aggregates) {
    for (const c of collectAggCalls(e)) {
      const k = key(c);
      if (!index.has(k)) {
        index.set(k, calls.length);
        calls.push(c);
      }
    }
  }
  const aggNames = calls.map((_, i) => `_agg${i}`);
  const resultExprs: Expr[] = [
    ...rebuilt,
    ...agg.aggregates.map((e) =>
      rewriteExpr(e, (x) => {
        if (x.kind !== 'agg') return x;
        const i = index.get(key(x));
        return i === undefined ? x : colRef(aggNames[i] as string);
      }),
    ),
  ];
  const pp = panes as PanePlan | null;
  return {
    groupBy,
    groupNames,
    aggCalls: calls,
    aggNames,
    resultExprs,
    panes: pp === null ? null : { ...pp, paneGroupBy, paneGroupNames },
    windowEndKey,
  };
}
