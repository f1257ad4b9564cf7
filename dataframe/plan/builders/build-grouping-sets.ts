import { types } from '../../../common/data-type.js';
import { invalidArgument } from '../../../common/errors.js';
import { analyzeExpr, exprOutputName } from '../../expr/analyze-expr.js';
import type { AggCall, Expr } from '../../expr/expr.js';
import { groupingOutsideGroupingSets } from '../../expr/grouping-functions.js';
import type { LogicalPlan } from '../logical-plan.js';
import { buildAggregate } from './build-aggregate.js';
import { buildUnion } from './build-misc.js';
import { buildProject } from './build-project.js';

/** Which grouping keys (indices into the keys) each grouping set groups by. */
export type GroupingSetIndices = readonly (readonly number[])[];

/** Spark's ROLLUP sets of n keys: (k1..kn), (k1..kn-1), ..., (). */
export function rollupSets(n: number): number[][] {
  return Array.from({ length: n + 1 }, (_, i) => Array.from({ length: n - i }, (_, j) => j));
}

/** Spark's CUBE sets of n keys: every subset, from all keys down to none. */
export function cubeSets(n: number): number[][] {
  const out: number[][] = [];
  for (let mask = (1 << n) - 1; mask >= 0; mask--) out.push(Array.from({ length: n }, (_, j) => j).filter((j) => (mask & (1 << (n - 1 - j))) !== 0));
  return out;
}

const keyName = (k: Expr): string => (k.kind === 'alias' ? k.name : exprOutputName(k));
const strip = (e: Expr): Expr => (e.kind === 'alias' ? e.child : e);
const same = (a: Expr, b: Expr): boolean =>
  JSON.stringify(a, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) === JSON.stringify(b, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));

function keyIndex(keys: readonly Expr[], e: Expr, what: string): number {
  const i = keys.findIndex((k) => same(strip(k), strip(e)) || (strip(e).kind === 'col' && keyName(k) === keyName(e)));
  if (i < 0) throw invalidArgument(`${what}: ${exprOutputName(e)} is not one of the grouping columns (${keys.map(keyName).join(', ')}).`);
  return i;
}

type Output = { kind: 'agg'; name: string } | { kind: 'grouping'; name: string; bits: number[]; asInt: boolean };

function classify(keys: readonly Expr[], e: Expr): Output {
  const c = strip(e);
  const name = keyName(e);
  if (c.kind !== 'agg' || (c.fn !== 'grouping' && c.fn !== 'groupingId')) {
    if (JSON.stringify(c).includes('"fn":"grouping')) throw groupingOutsideGroupingSets({ kind: 'agg', fn: 'grouping', args: [] });
    return { kind: 'agg', name };
  }
  const call = c as AggCall;
  if (call.fn === 'grouping') {
    if (call.args.length !== 1) throw invalidArgument('grouping() takes one column.');
    return {
      kind: 'grouping',
      name: e.kind === 'alias' ? name : `grouping(${exprOutputName(call.args[0] as Expr)})`,
      bits: [keyIndex(keys, call.args[0] as Expr, 'grouping()')],
      asInt: true,
    };
  }
  const bits = call.args.length === 0 ? keys.map((_, i) => i) : call.args.map((a) => keyIndex(keys, a, 'groupingId()'));
  return { kind: 'grouping', name: e.kind === 'alias' ? name : 'grouping_id()', bits, asInt: false };
}

const SET = '__grouping_set';
const keyColumn = (i: number): string => `__grouping_key_${i}`;
const ref = (name: string): Expr => Object.freeze({ kind: 'col', name, qualifier: null });
const alias = (name: string, child: Expr): Expr => Object.freeze({ kind: 'alias', name, child });

/**
 * Aggregation by grouping sets (Spark's GROUPING SETS, and CUBE and ROLLUP through
 * {@link cubeSets} / {@link rollupSets}), planned as Spark's Expand: every input row is
 * repeated once per set (a union of projections of the input) carrying the set's number,
 * the grouping key values (null for keys outside the set) and the set's `grouping()` /
 * `groupingId()` values; one aggregation groups by the keys and the set number, so a stream
 * runs it as a single stateful aggregation. Aggregates see the original column values.
 * Output: every key, then the aggregates and grouping columns, in the order given.
 */
export function buildGroupingSets(child: LogicalPlan, keys: readonly Expr[], sets: GroupingSetIndices, aggregates: readonly Expr[]): LogicalPlan {
  if (sets.length === 0) throw invalidArgument('groupingSets() needs at least one grouping set.');
  const named = keys.map((k) => (k.kind === 'alias' || k.kind === 'col' ? k : (Object.freeze({ kind: 'alias', child: k, name: keyName(k) }) as Expr)));
  const keyTypes = named.map((k) => analyzeExpr(k, child.schema).type);
  const outputs = aggregates.map((a) => classify(named, a));
  const groupingCols = outputs.flatMap((o, i) => (o.kind === 'grouping' ? [{ o, column: `__grouping_fn_${i}` }] : []));
  const inputCols = child.schema.fields.map((f) => Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null }) as Expr);
  const branches = sets.map((set, s) => {
    const exprs: Expr[] = [...inputCols];
    named.forEach((k, i) => {
      const value = set.includes(i)
        ? strip(k)
        : (Object.freeze({ kind: 'cast', to: keyTypes[i], child: Object.freeze({ kind: 'lit', value: null, type: types.null }) }) as Expr);
      exprs.push(alias(keyColumn(i), value));
    });
    exprs.push(alias(SET, Object.freeze({ kind: 'lit', value: s, type: types.int32 })));
    for (const { o, column } of groupingCols) {
      if (o.kind !== 'grouping') continue;
      let id = 0;
      for (const b of o.bits) id = id * 2 + (set.includes(b) ? 0 : 1);
      exprs.push(alias(column, Object.freeze(o.asInt ? { kind: 'lit', value: id, type: types.int32 } : { kind: 'lit', value: BigInt(id), type: types.int64 })));
    }
    return buildProject(child, exprs);
  });
  const expanded = branches.length === 1 ? (branches[0] as LogicalPlan) : buildUnion(branches);
  const realAggs = aggregates.filter((_, i) => outputs[i]?.kind === 'agg');
  const groupBy = [...named.map((_, i) => ref(keyColumn(i))), ref(SET), ...groupingCols.map((g) => ref(g.column))];
  const agg = buildAggregate(expanded, groupBy, realAggs);
  const aggNames = agg.schema.fields.slice(groupBy.length).map((f) => f.name);
  let next = 0;
  const out: Expr[] = named.map((k, i) => alias(keyName(k), ref(keyColumn(i))));
  outputs.forEach((o, i) => {
    out.push(alias(o.name, ref(o.kind === 'agg' ? (aggNames[next++] as string) : `__grouping_fn_${i}`)));
  });
  return buildProject(agg, out);
}
