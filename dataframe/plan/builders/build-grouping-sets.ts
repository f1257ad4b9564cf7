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

/**
 * Aggregation by grouping sets (Spark's GROUPING SETS, and CUBE and ROLLUP through
 * {@link cubeSets} / {@link rollupSets}): for each set, the aggregation grouped by the set's
 * keys, with the other keys null; the results concatenated (UNION ALL). Output: every key,
 * then the aggregates, in order. `grouping(k)` and `groupingId(...)` columns are literals per
 * set. The input is read once per grouping set.
 */
export function buildGroupingSets(child: LogicalPlan, keys: readonly Expr[], sets: GroupingSetIndices, aggregates: readonly Expr[]): LogicalPlan {
  if (sets.length === 0) throw invalidArgument('groupingSets() needs at least one grouping set.');
  const named = keys.map((k) => (k.kind === 'alias' || k.kind === 'col' ? k : (Object.freeze({ kind: 'alias', child: k, name: keyName(k) }) as Expr)));
  const keyTypes = named.map((k) => analyzeExpr(k, child.schema).type);
  const outputs = aggregates.map((a) => classify(named, a));
  const realAggs = aggregates.filter((_, i) => outputs[i]?.kind === 'agg');
  const branches = sets.map((set) => {
    const agg = buildAggregate(
      child,
      set.map((i) => named[i] as Expr),
      realAggs,
    );
    const aggNames = agg.schema.fields.slice(set.length).map((f) => f.name);
    let next = 0;
    const exprs: Expr[] = named.map((k, i) => {
      const name = keyName(k);
      if (set.includes(i)) return Object.freeze({ kind: 'col', name, qualifier: null });
      return Object.freeze({
        kind: 'alias',
        name,
        child: Object.freeze({ kind: 'cast', to: keyTypes[i], child: Object.freeze({ kind: 'lit', value: null, type: types.null }) }),
      }) as Expr;
    });
    for (const o of outputs) {
      if (o.kind === 'agg') {
        exprs.push(Object.freeze({ kind: 'alias', name: o.name, child: Object.freeze({ kind: 'col', name: aggNames[next++] as string, qualifier: null }) }));
        continue;
      }
      let id = 0;
      for (const b of o.bits) id = id * 2 + (set.includes(b) ? 0 : 1);
      const value = o.asInt ? id : BigInt(id);
      const lit: Expr = Object.freeze({ kind: 'lit', value, type: typeof value === 'bigint' ? types.int64 : types.int32 });
      exprs.push(Object.freeze({ kind: 'alias', name: o.name, child: lit }));
    }
    return buildProject(agg, exprs);
  });
  return branches.length === 1 ? (branches[0] as LogicalPlan) : buildUnion(branches);
}
