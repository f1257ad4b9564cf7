import type { Schema } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { referencedColumns } from '../../expr/analyze-expr.js';
import type { Expr } from '../../expr/expr.js';
import { buildProject } from '../builders/build-project.js';
import { buildWindow } from '../builders/build-window.js';
import type { FileScan, LogicalPlan, StreamingRelation } from '../logical-plan.js';
import { withNewChildren } from './with-new-children.js';

/** Names of the columns an expression list reads. */
function refs(exprs: readonly Expr[]): Set<string> {
  const s = new Set<string>();
  for (const e of exprs) for (const r of referencedColumns(e)) s.add(r.name);
  return s;
}

function union(a: ReadonlySet<string> | null, b: Iterable<string>): Set<string> | null {
  if (a === null) return null;
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}

function pruneScan(scan: FileScan, required: ReadonlySet<string> | null): FileScan {
  if (required === null) return scan;
  const needed = new Set(required);
  for (const f of scan.pushedFilters) for (const r of referencedColumns(f)) needed.add(r.name);
  let keep = scan.dataSchema.fields.filter((f) => needed.has(f.name));
  if (keep.length === 0 && scan.format !== 'parquet') {
    // A CSV/JSON row count still needs one column to read: take the cheapest-looking one.
    // Parquet needs none: row counts come from the footers, so no column is decoded.
    const cheap = scan.dataSchema.fields.find((f) => f.type.kind !== 'utf8' && f.type.kind !== 'list') ?? scan.dataSchema.fields[0];
    keep = cheap ? [cheap] : [];
  }
  if (keep.length === scan.dataSchema.fields.length) return scan;
  const schema: Schema = schemaOf(keep.map((f) => field(f.name, f.type, f.nullable, f.qualifier ?? null)));
  return Object.freeze({ ...scan, columns: Object.freeze(keep.map((f) => f.name)), schema });
}

/**
 * Reads only the columns a plan needs: walks top-down with the set of required column
 * names (null = all) and prunes file scans to those columns, and projections to the
 * expressions that are used. Only the root's schema is guaranteed unchanged: below a
 * projection or aggregation, nodes may lose columns nobody above reads.
 */
export function pruneColumns(plan: LogicalPlan, required: ReadonlySet<string> | null = null): LogicalPlan {
  return prune(plan, required, undefined);
}

/** Called with each streaming relation and the columns read from it (null = all). */
type SeenRelation = (rel: StreamingRelation, required: ReadonlySet<string> | null) => void;

/**
 * The columns a plan reads from each of its streaming relations, by source id (null = all),
 * by the same rules as {@link pruneColumns}; a source read in several places gets the union.
 * This is what a source learns through `Source.pruneColumns`.
 */
export function requiredStreamingColumns(plan: LogicalPlan): Map<string, ReadonlySet<string> | null> {
  const out = new Map<string, Set<string> | null>();
  prune(plan, null, (rel, required) => {
    const had = out.get(rel.sourceId);
    if (had === undefined) out.set(rel.sourceId, required === null ? null : new Set(required));
    else if (had !== null) out.set(rel.sourceId, union(had, required ?? rel.schema.fields.map((f) => f.name)));
  });
  return out;
}

function prune(plan: LogicalPlan, required: ReadonlySet<string> | null, seen: SeenRelation | undefined): LogicalPlan {
  switch (plan.kind) {
    case 'fileScan':
      return pruneScan(plan, required);
    case 'streamingRelation':
      seen?.(plan, required);
      return plan;
    case 'local':
    case 'connectorScan':
      return plan;
    case 'project': {
      const used = required === null ? plan.exprs : plan.exprs.filter((_, i) => required.has((plan.schema.fields[i] as { name: string }).name));
      const keep = used.length === 0 ? plan.exprs.slice(0, 1) : used;
      const child = prune(plan.child, refs(keep), seen);
      if (keep.length === plan.exprs.length) return child === plan.child ? plan : withNewChildren(plan, [child]);
      return buildProject(child, keep);
    }
    case 'filter':
      return rebuild(plan, [prune(plan.child, union(required, refs([plan.condition])), seen)]);
    case 'aggregate':
      return rebuild(plan, [prune(plan.child, refs([...plan.groupBy, ...plan.aggregates]), seen)]);
    case 'sort':
      return rebuild(plan, [prune(plan.child, union(required, refs(plan.orders)), seen)]);
    case 'limit':
      return rebuild(plan, [prune(plan.child, required, seen)]);
    case 'deduplicate':
      return rebuild(plan, [prune(plan.child, null, seen)]);
    case 'eventTimeWatermark':
      return rebuild(plan, [prune(plan.child, union(required, new Set([plan.eventTime])), seen)]);
    case 'subqueryAlias':
      return rebuild(plan, [prune(plan.child, required, seen)]);
    case 'repartition':
      return rebuild(plan, [prune(plan.child, union(required, refs(plan.keys)), seen)]);
    case 'transformWithState':
      return rebuild(plan, [prune(plan.child, null, seen)]);
    case 'window': {
      // Window functions nobody above reads are dropped; the child keeps what the rest reads.
      const used = required === null ? plan.functions : plan.functions.filter((e) => e.kind === 'alias' && required.has(e.name));
      const own = new Set(plan.functions.map((e) => (e.kind === 'alias' ? e.name : '')));
      const passThrough = required === null ? null : new Set([...required].filter((n) => !own.has(n)));
      const need = union(passThrough, refs([...plan.partitionBy, ...plan.orderBy, ...used]));
      const child = prune(plan.child, need, seen);
      if (used.length === plan.functions.length) return child === plan.child ? plan : withNewChildren(plan, [child]);
      if (used.length === 0) return child;
      return buildWindow(child, plan.partitionBy, plan.orderBy, plan.frame, used);
    }
    case 'generate': {
      // The generator's own columns are always produced; the child keeps what the rest reads.
      const own = new Set(plan.outputNames);
      const passThrough = required === null ? null : new Set([...required].filter((n) => !own.has(n)));
      return rebuild(plan, [prune(plan.child, union(passThrough, refs([plan.input])), seen)]);
    }
    case 'union':
      return rebuild(
        plan,
        plan.children.map((c) => prune(c, null, seen)),
      );
    case 'join': {
      const keyRefs = refs([...plan.leftKeys, ...plan.rightKeys, ...(plan.condition ? [plan.condition] : [])]);
      const need = required === null ? null : union(required, keyRefs);
      const leftNeed = need === null ? null : new Set([...need].filter((n) => plan.left.schema.fields.some((f) => f.name === n)));
      const rightNeed = need === null ? null : new Set([...need].filter((n) => plan.right.schema.fields.some((f) => f.name === n)));
      return rebuild(plan, [prune(plan.left, leftNeed, seen), prune(plan.right, rightNeed, seen)]);
    }
  }
}

function rebuild(plan: LogicalPlan, children: LogicalPlan[]): LogicalPlan {
  const old = plan.kind === 'join' ? [plan.left, plan.right] : plan.kind === 'union' ? plan.children : 'child' in plan ? [plan.child] : [];
  if (children.every((c, i) => c === old[i])) return plan;
  return withNewChildren(plan, children);
}
