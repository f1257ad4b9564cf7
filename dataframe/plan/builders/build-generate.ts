import type { DataType } from '../../../common/data-type.js';
import { types, typeName } from '../../../common/data-type.js';
import { SluiceError, typeMismatchError } from '../../../common/errors.js';
import type { Field } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { analyzeExpr, containsAggregate, exprOutputName } from '../../expr/analyze-expr.js';
import { GENERATOR_FUNCTIONS } from '../../expr/collection-function-names.js';
import type { Expr } from '../../expr/expr.js';
import { exprChildren } from '../../expr/expr-children.js';
import type { Generate } from '../generate-node.js';
import type { LogicalPlan } from '../logical-plan.js';
import { expandStar } from './expand-star.js';

/** Prefix of the internal columns a generate node adds below the projection that names them. */
export const GENERATE_COLUMN_PREFIX = '__sluice_g';

type GeneratorCall = Extract<Expr, { kind: 'call' }>;

function isGenerator(e: Expr): e is GeneratorCall {
  return e.kind === 'call' && GENERATOR_FUNCTIONS.has(e.fn);
}

function containsGenerator(e: Expr): boolean {
  return isGenerator(e) || exprChildren(e).some(containsGenerator);
}

/**
 * Builds a `generate` node: analyzes `input` (an array or map over the child's columns) and
 * appends `outputNames` columns: the position (int, when `position`), then the element, or
 * the key and value of a map entry. Throws TYPE_MISMATCH for other input types.
 */
export function buildGenerate(child: LogicalPlan, input: Expr, outer: boolean, position: boolean, outputNames: readonly string[]): Generate {
  if (containsAggregate(input) || containsGenerator(input))
    throw new SluiceError('INVALID_PLAN', `The argument of a generator cannot contain an aggregate or another generator: ${exprOutputName(input)}.`);
  const a = analyzeExpr(input, child.schema);
  const t = a.type;
  if (t.kind !== 'list' && t.kind !== 'map')
    throw typeMismatchError(
      `explode needs an array or a map, but ${exprOutputName(input)} is ${typeName(t)}. Build an array with array(...) or split a string first.`,
    );
  const fields: Field[] = [...child.schema.fields];
  const added: { type: DataType; nullable: boolean }[] = [];
  if (position) added.push({ type: types.int32, nullable: outer });
  if (t.kind === 'list') added.push({ type: t.element, nullable: true });
  else added.push({ type: t.key, nullable: outer }, { type: t.value, nullable: true });
  if (added.length !== outputNames.length) throw new SluiceError('INTERNAL', `buildGenerate: ${added.length} output columns but ${outputNames.length} names.`);
  added.forEach((x, i) => {
    fields.push(field(outputNames[i] as string, x.type, x.nullable));
  });
  return Object.freeze({
    kind: 'generate',
    child,
    input: a.expr,
    outer,
    position,
    outputNames: Object.freeze([...outputNames]),
    schema: schemaOf(fields),
  });
}

/** Result of {@link extractGenerator}. */
export interface ExtractedGenerator {
  readonly child: LogicalPlan;
  readonly exprs: readonly Expr[];
}

/**
 * Spark's ExtractGenerator for projections: a select()/withColumn() expression that is an
 * explode-family call (optionally aliased) becomes a `generate` node under the projection,
 * and the expression is replaced by references to the node's new columns, named as Spark
 * names them (`col`; `key`, `value` for maps; `pos` first for posexplode) or by the alias
 * (an array explode only: one output column). At most one generator per projection, and
 * never nested inside another expression (both as in Spark).
 */
export function extractGenerator(input: LogicalPlan, exprs: readonly Expr[]): ExtractedGenerator {
  if (!exprs.some(containsGenerator)) return { child: input, exprs };
  const expanded = expandStar(exprs, input.schema);
  const at = expanded.findIndex(containsGenerator);
  if (expanded.slice(at + 1).some(containsGenerator))
    throw new SluiceError(
      'INVALID_PLAN',
      'Only one generator (explode, posexplode, ...) is allowed per select(). Explode in two steps: select(...) then select(...) again.',
    );
  const item = expanded[at] as Expr;
  const call = item.kind === 'alias' ? item.child : item;
  if (!isGenerator(call))
    throw new SluiceError(
      'INVALID_PLAN',
      `A generator cannot be nested inside another expression: ${exprOutputName(item)}. Explode in its own select() first, then compute on the new column.`,
    );
  const outer = call.fn === 'explodeOuter' || call.fn === 'posexplodeOuter';
  const position = call.fn === 'posexplode' || call.fn === 'posexplodeOuter';
  const arg = call.args[0] as Expr;
  const argType = analyzeExpr(arg, input.schema).type;
  const userNames = argType.kind === 'map' ? ['key', 'value'] : ['col'];
  if (position) userNames.unshift('pos');
  const named = call.args.slice(1).map((a) => (a.kind === 'lit' ? String(a.value) : ''));
  if (named.length > 0) {
    if (named.length !== userNames.length)
      throw new SluiceError(
        'INVALID_PLAN',
        `${exprOutputName(call.args[0] as Expr)} explodes into ${userNames.length} column(s) (${userNames.join(', ')}), but alias() gave ${named.length} name(s): ${named.join(', ')}.`,
      );
    userNames.splice(0, userNames.length, ...named);
  }
  if (item.kind === 'alias') {
    if (userNames.length !== 1)
      throw new SluiceError(
        'INVALID_PLAN',
        `${exprOutputName(call)} makes ${userNames.length} columns (${userNames.join(', ')}), so one alias cannot name them. Give one name per column: .alias(${userNames.map((n) => `'${n}'`).join(', ')}).`,
      );
    userNames[0] = item.name;
  }
  const taken = new Set(input.schema.fields.map((f) => f.name));
  let next = 0;
  const internal = userNames.map(() => {
    let name: string;
    do name = `${GENERATE_COLUMN_PREFIX}${next++}`;
    while (taken.has(name));
    return name;
  });
  const child = buildGenerate(input, arg, outer, position, internal);
  const refs = internal.map(
    (n, i) => Object.freeze({ kind: 'alias', child: Object.freeze({ kind: 'col', name: n, qualifier: null }), name: userNames[i] as string }) as Expr,
  );
  return { child, exprs: [...expanded.slice(0, at), ...refs, ...expanded.slice(at + 1)] };
}
