import { exprToString } from '../expr/expr-to-string.js';
import type { Expr } from '../expr/expr.js';
import type { LogicalPlan } from './logical-plan.js';
import { planChildren } from './logical-plan.js';

function describe(p: LogicalPlan): string {
  switch (p.kind) {
    case 'fileScan': {
      const cols = p.columns ?? p.dataSchema.fields.map((f) => f.name);
      const pushed = p.pushedFilters.length ? `, PushedFilters: [${p.pushedFilters.map((e) => exprToString(e)).join(', ')}]` : '';
      return `FileScan ${p.format} [${cols.join(',')}] ${p.files.length} file(s)${pushed}`;
    }
    case 'connectorScan':
      return `ConnectorScan ${p.description} [${p.schema.fields.map((f) => f.name).join(', ')}], ${p.splits.length} split(s)`;
    case 'streamingRelation':
      return `StreamingRelation ${p.description} [${p.schema.fields.map((f) => f.name).join(', ')}]`;
    case 'local':
      return `LocalRelation [${p.schema.fields.map((f) => f.name).join(', ')}], ${p.batches.reduce((s, b) => s + b.numRows, 0)} rows`;
    case 'project':
      return `Project [${p.exprs.map((e) => exprToString(e)).join(', ')}]`;
    case 'filter':
      return `Filter ${exprToString(p.condition)}`;
    case 'aggregate':
      return `Aggregate [${p.groupBy.map((e) => exprToString(e)).join(', ')}], [${p.aggregates.map((e) => exprToString(e)).join(', ')}]`;
    case 'join': {
      const keys = p.using
        ? `using [${p.using.join(', ')}]`
        : p.leftKeys.map((l, i) => `${exprToString(l)} = ${exprToString(p.rightKeys[i] as Expr)}`).join(' AND ');
      return `Join ${p.joinType}${keys ? `, ${keys}` : ''}${p.condition ? `, ${exprToString(p.condition)}` : ''}`;
    }
    case 'sort':
      return `Sort [${p.orders.map((e) => exprToString(e)).join(', ')}]`;
    case 'limit':
      return `Limit ${p.n}`;
    case 'deduplicate':
      return `${p.withinWatermark ? 'DeduplicateWithinWatermark' : 'Deduplicate'} [${p.keys.join(', ')}]`;
    case 'eventTimeWatermark':
      return `EventTimeWatermark ${p.eventTime}, ${p.delayMs} ms`;
    case 'union':
      return 'Union';
    case 'subqueryAlias':
      return `SubqueryAlias ${p.alias}`;
    case 'window': {
      const f = p.frame;
      const bound = (v: number | null, unbounded: string): string => (v === null ? unbounded : v === 0 ? 'currentRow' : String(v));
      return `Window [${p.functions.map((e) => exprToString(e)).join(', ')}], partitionBy [${p.partitionBy.map((e) => exprToString(e)).join(', ')}], orderBy [${p.orderBy.map((e) => exprToString(e)).join(', ')}], ${f.type} between ${bound(f.start, 'unboundedPreceding')} and ${bound(f.end, 'unboundedFollowing')}`;
    }
    case 'repartition':
      return p.shuffle
        ? `Repartition${p.keys.length ? 'ByExpression' : ''} [${p.keys.map((e) => exprToString(e)).join(', ')}], ${p.numPartitions ?? 'default'}`
        : `Coalesce ${p.numPartitions}`;
    case 'generate':
      return `Generate ${p.position ? 'pos' : ''}explode${p.outer ? '_outer' : ''}(${exprToString(p.input)}), [${p.outputNames.join(', ')}]`;
    case 'transformWithState':
      return `TransformWithState [${p.keys.join(', ')}], ${p.processor.constructor?.name ?? 'processor'}, ${p.timeMode}, ${p.outputMode}, [${p.schema.fields.map((f) => f.name).join(', ')}]`;
  }
}

/** Renders a logical plan as an indented tree, one node per line (Spark's `explain` style). */
export function explainLogicalPlan(plan: LogicalPlan): string {
  const lines: string[] = [];
  const walk = (p: LogicalPlan, depth: number): void => {
    lines.push(`${depth === 0 ? '' : `${'   '.repeat(depth - 1)}+- `}${describe(p)}`);
    for (const c of planChildren(p)) walk(c, depth + 1);
  };
  walk(plan, 0);
  return lines.join('\n');
}
