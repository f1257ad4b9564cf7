import { types } from '../../common/data-type.js';
import type { Field } from '../../common/schema.js';
import { field as schemaField, schemaOf } from '../../common/schema.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import { exprChildren } from '../../dataframe/expr/expr-children.js';
import type { Aggregate } from '../../dataframe/plan/logical-plan.js';
import { compileTypedExpr } from '../eval/compile-expr.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { ProjectExec } from '../physical/project-exec.js';
import { planAggregate } from '../planner/plan-aggregate.js';
import type { SessionWindowSpec } from './session-window-exec.js';
import { SessionWindowExec, sessionWindowSpec } from './session-window-exec.js';

/** Internal name of the per-row session column added below a session-window aggregation. */
export const SESSION_COLUMN = '__sluice_session_window';

/** Where the session_window key of an aggregation is, if it has one. */
export function sessionKeyOf(agg: Aggregate): { readonly index: number; readonly spec: SessionWindowSpec } | undefined {
  for (const [index, e] of agg.groupBy.entries()) {
    const spec = sessionWindowSpec(e);
    if (spec !== undefined) return { index, spec };
  }
  return undefined;
}

/** `agg` grouping by the per-row session column instead of the session_window call. */
export function withSessionColumnKey(agg: Aggregate, index: number): Aggregate {
  const ref: Expr = Object.freeze({ kind: 'col', name: SESSION_COLUMN, qualifier: null });
  return Object.freeze({ ...agg, groupBy: Object.freeze(agg.groupBy.map((e, i) => (i === index ? ref : e))) });
}

/** True when some aggregate output reads a column outside an aggregate call (a grouping key). */
function readsKeysOutsideAggregates(agg: Aggregate): boolean {
  const outside = (e: Expr): boolean => (e.kind === 'agg' ? false : e.kind === 'col' ? true : exprChildren(e).some(outside));
  return agg.aggregates.some(outside);
}

const SESSION_ID = '__sluice_session_id';

/**
 * Plans `groupBy(sessionWindow(t, gap), keys...).agg(...)` in a batch query: the rows are
 * gathered (sessions need every row of a key), each row gets its session and a dense session
 * number by {@link SessionWindowExec}, and a hash aggregation groups by that one int32
 * number (taking the keys and the session bounds with `first`, equal within a session),
 * cheaper than hashing (keys, start, end); a projection restores the output columns.
 */
export function planSessionAggregate(agg: Aggregate, child: PhysicalOperator): PhysicalOperator {
  const key = sessionKeyOf(agg);
  if (key === undefined) return planAggregate(agg, child);
  const others = agg.groupBy.filter((_, i) => i !== key.index);
  const timeType = compileTypedExpr(key.spec.time, child.schema).type;
  if (readsKeysOutsideAggregates(agg)) {
    const sessions = new SessionWindowExec(child, others, key.spec, SESSION_COLUMN, timeType);
    return planAggregate(withSessionColumnKey(agg, key.index), sessions);
  }
  const sessions = new SessionWindowExec(child, others, key.spec, SESSION_COLUMN, timeType, SESSION_ID);
  const ref = (name: string): Expr => Object.freeze({ kind: 'col', name, qualifier: null });
  const alias = (child: Expr, name: string): Expr => Object.freeze({ kind: 'alias', child, name });
  const first = (e: Expr): Expr => Object.freeze({ kind: 'agg', fn: 'first', args: Object.freeze([e]) }) as Expr;
  const field = (e: Expr, name: string): Expr =>
    Object.freeze({ kind: 'call', fn: 'getField', args: Object.freeze([e, Object.freeze({ kind: 'lit', value: name, type: types.utf8 }) as Expr]) }) as Expr;
  const keyNames = agg.groupBy.map((_, i) => agg.schema.fields[i]?.name as string);
  const hidden: Expr[] = [];
  const hiddenFields: Field[] = [];
  agg.groupBy.forEach((g, i) => {
    const f = agg.schema.fields[i] as Field;
    if (i === key.index) {
      const struct = f.type.kind === 'struct' ? f.type : undefined;
      const t = struct?.fields[0]?.type ?? timeType;
      hidden.push(
        alias(first(field(ref(SESSION_COLUMN), 'start')), '__sluice_session_start'),
        alias(first(field(ref(SESSION_COLUMN), 'end')), '__sluice_session_end'),
      );
      hiddenFields.push(schemaField('__sluice_session_start', t, true), schemaField('__sluice_session_end', t, true));
    } else {
      hidden.push(alias(first(g), `__sluice_key_${i}`));
      hiddenFields.push(schemaField(`__sluice_key_${i}`, f.type, true));
    }
  });
  const byId: Aggregate = Object.freeze({
    ...agg,
    groupBy: Object.freeze([ref(SESSION_ID)]),
    aggregates: Object.freeze([...hidden, ...agg.aggregates]),
    schema: schemaOf([schemaField(SESSION_ID, types.int32, false), ...hiddenFields, ...agg.schema.fields.slice(agg.groupBy.length)]),
  });
  const grouped = planAggregate(byId, sessions);
  const outputs: Expr[] = keyNames.map((name, i) =>
    i === key.index
      ? alias(
          Object.freeze({
            kind: 'call',
            fn: 'struct',
            args: Object.freeze([alias(ref('__sluice_session_start'), 'start'), alias(ref('__sluice_session_end'), 'end')]),
          }) as Expr,
          name,
        )
      : alias(ref(`__sluice_key_${i}`), name),
  );
  for (const f of agg.schema.fields.slice(agg.groupBy.length)) outputs.push(ref(f.name));
  return new ProjectExec(grouped, outputs, agg.schema);
}
