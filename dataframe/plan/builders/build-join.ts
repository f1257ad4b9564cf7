import type { DataType } from '../../../common/data-type.js';
import { isNumeric, typeEquals, typeName, widerNumeric } from '../../../common/data-type.js';
import type { Field, Schema } from '../../../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { SluiceError, invalidArgument, typeMismatchError } from '../../../common/errors.js';
import { analyzeExpr, referencedColumns } from '../../expr/analyze-expr.js';
import type { Expr } from '../../expr/expr.js';
import type { Join, JoinType, LogicalPlan } from '../logical-plan.js';

const JOIN_TYPES: Record<string, JoinType> = {
  inner: 'inner',
  left: 'left',
  leftouter: 'left',
  left_outer: 'left',
  right: 'right',
  rightouter: 'right',
  right_outer: 'right',
  full: 'full',
  outer: 'full',
  fullouter: 'full',
  full_outer: 'full',
  semi: 'semi',
  leftsemi: 'semi',
  left_semi: 'semi',
  anti: 'anti',
  leftanti: 'anti',
  left_anti: 'anti',
  cross: 'cross',
};

/** Parses Spark's join type names ('inner', 'left_outer', 'leftsemi', 'full', ...). */
export function parseJoinType(name: string): JoinType {
  const t = JOIN_TYPES[name.toLowerCase()];
  if (!t) throw invalidArgument(`Unknown join type '${name}'. Use one of: inner, left, right, full, semi, anti, cross.`);
  return t;
}

function nullableIf(fields: readonly Field[], nullable: boolean): Field[] {
  return fields.map((f) => (nullable && !f.nullable ? field(f.name, f.type, true, f.qualifier ?? null) : f));
}

function castTo(e: Expr, from: DataType, to: DataType): Expr {
  return typeEquals(from, to) ? e : Object.freeze({ kind: 'cast', child: e, to });
}

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function side(e: Expr, combined: Schema, nLeft: number): 'left' | 'right' | 'both' | 'none' {
  let l = false;
  let r = false;
  for (const c of referencedColumns(e)) {
    if (resolveFieldIndex(combined, c.name, c.qualifier) < nLeft) l = true;
    else r = true;
  }
  return l && r ? 'both' : l ? 'left' : r ? 'right' : 'none';
}

function outputFields(left: Schema, right: Schema, joinType: JoinType): Field[] {
  if (joinType === 'semi' || joinType === 'anti') return [...left.fields];
  return [...nullableIf(left.fields, joinType === 'right' || joinType === 'full'), ...nullableIf(right.fields, joinType === 'left' || joinType === 'full')];
}

/** Builds a join on column names present on both sides (`using`): keys appear once in the output. */
export function buildUsingJoin(left: LogicalPlan, right: LogicalPlan, names: readonly string[], joinType: JoinType): Join {
  if (names.length === 0) throw invalidArgument('join() needs at least one column name to join on.');
  const leftKeys: Expr[] = [];
  const rightKeys: Expr[] = [];
  const keyFields: Field[] = [];
  for (const name of names) {
    const lf = left.schema.fields[resolveFieldIndex(left.schema, name, null)] as Field;
    const rf = right.schema.fields[resolveFieldIndex(right.schema, name, null)] as Field;
    let t = lf.type;
    if (!typeEquals(lf.type, rf.type)) {
      if (!(isNumeric(lf.type) && isNumeric(rf.type)))
        throw typeMismatchError(
          `Cannot join on '${name}': it is ${typeName(lf.type)} on the left and ${typeName(rf.type)} on the right. Cast one side with withColumn('${name}', col('${name}').cast(...)).`,
        );
      t = widerNumeric(lf.type, rf.type);
    }
    leftKeys.push(castTo(Object.freeze({ kind: 'col', name, qualifier: lf.qualifier ?? null }), lf.type, t));
    rightKeys.push(castTo(Object.freeze({ kind: 'col', name, qualifier: rf.qualifier ?? null }), rf.type, t));
    const nullable = joinType === 'full' ? lf.nullable && rf.nullable : joinType === 'right' ? rf.nullable : lf.nullable;
    keyFields.push(field(name, t, nullable, joinType === 'right' ? (rf.qualifier ?? null) : (lf.qualifier ?? null)));
  }
  const rest = (s: Schema) => s.fields.filter((f) => !names.includes(f.name));
  let fields: Field[];
  if (joinType === 'semi' || joinType === 'anti') fields = [...left.schema.fields];
  else
    fields = [
      ...keyFields,
      ...nullableIf(rest(left.schema), joinType === 'right' || joinType === 'full'),
      ...nullableIf(rest(right.schema), joinType === 'left' || joinType === 'full'),
    ];
  return Object.freeze({
    kind: 'join',
    left,
    right,
    joinType,
    leftKeys: Object.freeze(leftKeys),
    rightKeys: Object.freeze(rightKeys),
    condition: null,
    using: Object.freeze([...names]),
    schema: schemaOf(fields),
  });
}

/**
 * Builds a join on a boolean expression over both sides. Conjuncts of the form
 * `leftExpr = rightExpr` become hash keys; the rest stays as an extra condition.
 */
export function buildConditionJoin(left: LogicalPlan, right: LogicalPlan, condition: Expr | null, joinType: JoinType): Join {
  const combined = schemaOf([...left.schema.fields, ...right.schema.fields]);
  const nLeft = left.schema.fields.length;
  const leftKeys: Expr[] = [];
  const rightKeys: Expr[] = [];
  const rest: Expr[] = [];
  if (condition !== null) {
    const a = analyzeExpr(condition, combined);
    if (a.type.kind !== 'boolean') throw typeMismatchError(`join condition must be boolean, but it is ${typeName(a.type)}.`);
    for (const c of conjuncts(a.expr)) {
      if (c.kind === 'binary' && c.op === '=') {
        const ls = side(c.left, combined, nLeft);
        const rs = side(c.right, combined, nLeft);
        if (ls === 'left' && rs === 'right') {
          leftKeys.push(c.left);
          rightKeys.push(c.right);
          continue;
        }
        if (ls === 'right' && rs === 'left') {
          leftKeys.push(c.right);
          rightKeys.push(c.left);
          continue;
        }
      }
      rest.push(c);
    }
  } else if (joinType !== 'cross') {
    throw new SluiceError('INVALID_PLAN', `A ${joinType} join needs a join condition or column names. Use crossJoin() for a Cartesian product.`);
  }
  const extra = rest.length === 0 ? null : rest.reduce((acc, c) => Object.freeze({ kind: 'binary', op: 'and', left: acc, right: c }) as Expr);
  return Object.freeze({
    kind: 'join',
    left,
    right,
    joinType,
    leftKeys: Object.freeze(leftKeys),
    rightKeys: Object.freeze(rightKeys),
    condition: extra,
    using: null,
    schema: schemaOf(outputFields(left.schema, right.schema, joinType)),
  });
}
