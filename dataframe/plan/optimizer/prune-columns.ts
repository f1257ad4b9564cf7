import type { Schema } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { referencedColumns } from '../../expr/analyze-expr.js';
import type { Expr } from '../../expr/expr.js';
import { buildProject } from '../builders/build-project.js';
import { buildWindow } from '../builders/build-window.js';
import type { FileScan, LogicalPlan } from '../logical-plan.js';
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
  switch (plan.kind) {
    case 'fileScan':
      return pruneScan(plan, required);
    case 'local':
    case 'connectorScan':
    case 'streamingRelation':
      return plan;
    case 'project': {
      const used = required === null ? plan.exprs : plan.exprs.filter((_, i) => required.has((plan.schema.fields[i] as { name: string }).name));
      const keep = used.length === 0 ? plan.exprs.slice(0, 1) : used;
      const child = pruneColumns(plan.child, refs(keep));
      if (keep.length === plan.exprs.length) return child === plan.child ? plan : withNewChildren(plan, [child]);
      return buildProject(child, keep);
    }
    case 'filter':
      return rebuild(plan, [pruneColumns(plan.child, union(required, refs([plan.condition])))]);
    case 'aggregate':
      return rebuild(plan, [pruneColumns(plan.child, refs([...plan.groupBy, ...plan.aggregates]))]);
    case 'sort':
      return rebuild(plan, [pruneColumns(plan.child, union(required, refs(plan.orders)))]);
    case 'limit':
      return rebuild(plan, [pruneColumns(plan.child, required)]);
    case 'deduplicate':
      return rebuild(plan, [pruneColumns(plan.child, null)]);
    case 'eventTimeWatermark':
      return rebuild(plan, [pruneColumns(plan.child, union(required, new Set([plan.eventTime])))]);
    case 'subqueryAlias':
      return rebuild(plan, [pruneColumns(plan.child, required)]);
    case 'transformWithState':
      return rebuild(plan, [pruneColumns(plan.child, null)]);
    case 'window': {
      // Window functions nobody above reads are dropped; the child keeps what the rest reads.
      const used = required === null ? plan.functions : plan.functions.filter((e) => e.kind === 'alias' && required.has(e.name));
      const own = new Set(plan.functions.map((e) => (e.kind === 'alias' ? e.name : '')));
      const passThrough = required === null ? null : new Set([...required].filter((n) => !own.has(n)));
      const need = union(passThrough, refs([...plan.partitionBy, ...plan.orderBy, ...used]));
      const child = pruneColumns(plan.child, need);
      if (used.length === plan.functions.length) return child === plan.child ? plan : withNewChildren(plan, [child]);
      if (used.length === 0) return child;
      return buildWindow(child, plan.partitionBy, plan.orderBy, plan.frame, used);
    }
    case 'union':
      return rebuild(
        plan,
        plan.children.map((c) => pruneColumns(c, null)),
      );
    case 'join': {
      const keyRefs = refs([...plan.leftKeys, ...plan.rightKeys, ...(plan.condition ? [plan.condition] : [])]);
      const need = required === null ? null : union(required, keyRefs);
      const leftNeed = need === null ? null : new Set([...need].filter((n) => plan.left.schema.fields.some((f) => f.name === n)));
      const rightNeed = need === null ? null : new Set([...need].filter((n) => plan.right.schema.fields.some((f) => f.name === n)));
      return rebuild(plan, [pruneColumns(plan.left, leftNeed), pruneColumns(plan.right, rightNeed)]);
    }
  }
}

function rebuild(plan: LogicalPlan, children: LogicalPlan[]): LogicalPlan {
  const old = plan.kind === 'join' ? [plan.left, plan.right] : plan.kind === 'union' ? plan.children : 'child' in plan ? [plan.child] : [];
  if (children.every((c, i) => c === old[i])) return plan;
  return withNewChildren(plan, children);
}
