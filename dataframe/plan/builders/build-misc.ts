import type { ColumnarBatch } from '../../../common/column-vector.js';
import { valueText } from '../../../common/describe-value.js';
import { isNumeric, typeEquals, typeName, types, widerNumeric } from '../../../common/data-type.js';
import type { Field, Schema } from '../../../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { invalidArgument, typeMismatchError } from '../../../common/errors.js';
import type { Expr } from '../../expr/expr.js';
import type { ConnectorSplit } from '../../../common/connector-split.js';
import type {
  ConnectorScan,
  Deduplicate,
  EventTimeWatermark,
  FileEntry,
  FileFormat,
  FileScan,
  Limit,
  LocalRelation,
  LogicalPlan,
  ScanOptions,
  SubqueryAlias,
  Union,
} from '../logical-plan.js';
import { buildProject } from './build-project.js';

/** Builds a limit; `n` must be a non-negative integer. */
export function buildLimit(child: LogicalPlan, n: number): Limit {
  if (!Number.isInteger(n) || n < 0) throw invalidArgument(`limit() needs a non-negative integer, got ${valueText(n)}.`);
  return Object.freeze({ kind: 'limit', child, n, schema: child.schema });
}

/** Builds a deduplication on `keys` (all columns when empty). */
export function buildDeduplicate(child: LogicalPlan, keys: readonly string[], withinWatermark = false): Deduplicate {
  const names = keys.length === 0 ? child.schema.fields.map((f) => f.name) : [...keys];
  for (const k of names) resolveFieldIndex(child.schema, k, null);
  return Object.freeze({ kind: 'deduplicate', child, keys: Object.freeze(names), withinWatermark, schema: child.schema });
}

/**
 * Builds a watermark node: `eventTime` must name a timestamp column of `child` and
 * `delayMs` be a non-negative whole number of milliseconds.
 */
export function buildEventTimeWatermark(child: LogicalPlan, eventTime: string, delayMs: number): EventTimeWatermark {
  const i = resolveFieldIndex(child.schema, eventTime, null);
  const f = child.schema.fields[i] as Field;
  if (f.type.kind !== 'timestamp') {
    throw invalidArgument(
      `withWatermark() needs a timestamp column, but '${eventTime}' is ${typeName(f.type)}. Convert it first, e.g. withColumn('${eventTime}', col('${eventTime}').cast('timestamp')).`,
    );
  }
  if (!Number.isInteger(delayMs) || delayMs < 0) {
    throw invalidArgument(`withWatermark() needs a non-negative delay of whole milliseconds, got ${delayMs} ms. Use e.g. '10 seconds' or '5 minutes'.`);
  }
  return Object.freeze({ kind: 'eventTimeWatermark', child, eventTime: f.name, delayMs, schema: child.schema });
}

/** Renames the qualifier of every output column. */
export function buildSubqueryAlias(child: LogicalPlan, alias: string): SubqueryAlias {
  if (!alias || alias.includes('.')) throw invalidArgument(`alias() needs a name without dots, got '${alias}'.`);
  const schema = schemaOf(child.schema.fields.map((f) => field(f.name, f.type, f.nullable, alias)));
  return Object.freeze({ kind: 'subqueryAlias', child, alias, schema });
}

/** In-memory rows. */
export function buildLocalRelation(schema: Schema, batches: readonly ColumnarBatch[]): LocalRelation {
  return Object.freeze({ kind: 'local', batches: Object.freeze([...batches]), schema });
}

/** A scan of connector splits (see {@link ConnectorScan}); splits must be plain JSON data. */
export function buildConnectorScan(connector: string, splits: readonly ConnectorSplit[], schema: Schema, description: string): ConnectorScan {
  return Object.freeze({ kind: 'connectorScan', connector, splits: Object.freeze([...splits]), description, schema });
}

/** A scan of files of one format with a known data schema. */
export function buildFileScan(format: FileFormat, files: readonly FileEntry[], dataSchema: Schema, options: ScanOptions): FileScan {
  return Object.freeze({
    kind: 'fileScan',
    format,
    files: Object.freeze([...files]),
    dataSchema,
    options: Object.freeze({ ...options }),
    columns: null,
    pushedFilters: Object.freeze([]),
    schema: dataSchema,
  });
}

function coerceTo(child: LogicalPlan, target: readonly Field[]): LogicalPlan {
  const needs = child.schema.fields.some((f, i) => !typeEquals(f.type, (target[i] as Field).type) || f.name !== (target[i] as Field).name);
  if (!needs) return child;
  const exprs = child.schema.fields.map((f, i): Expr => {
    const t = target[i] as Field;
    const ref: Expr = Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null });
    const cast: Expr = typeEquals(f.type, t.type) ? ref : Object.freeze({ kind: 'cast', child: ref, to: t.type });
    return Object.freeze({ kind: 'alias', child: cast, name: t.name });
  });
  return buildProject(child, exprs);
}

/** UNION ALL by position: same number of columns; numeric types widen; names from the first input. */
export function buildUnion(children: readonly LogicalPlan[]): Union {
  const first = children[0];
  if (!first) throw invalidArgument('union() needs at least one input.');
  const n = first.schema.fields.length;
  const target: Field[] = first.schema.fields.map((f, i) => {
    let t = f.type;
    let nullable = f.nullable;
    for (const c of children) {
      const g = c.schema.fields[i];
      if (c.schema.fields.length !== n)
        throw invalidArgument(
          `union() inputs must have the same number of columns: ${n} vs ${c.schema.fields.length}. Use unionByName(other, true) to fill missing columns with nulls.`,
        );
      if (!g) continue;
      nullable ||= g.nullable;
      if (typeEquals(t, g.type) || g.type.kind === 'null') continue;
      if (t.kind === 'null') t = g.type;
      else if (isNumeric(t) && isNumeric(g.type)) t = widerNumeric(t, g.type);
      else
        throw typeMismatchError(`union() column ${i + 1} ('${f.name}') is ${typeName(t)} in one input and ${typeName(g.type)} in another. Cast one of them.`);
    }
    return field(f.name, t, nullable);
  });
  const coerced = children.map((c) => coerceTo(c, target));
  return Object.freeze({ kind: 'union', children: Object.freeze(coerced), schema: schemaOf(target) });
}

/** UNION ALL by column name; with `allowMissingColumns`, a column missing on one side is null there. */
export function buildUnionByName(left: LogicalPlan, right: LogicalPlan, allowMissingColumns: boolean): Union {
  const leftNames = left.schema.fields.map((f) => f.name);
  const rightNames = right.schema.fields.map((f) => f.name);
  const all = [...leftNames, ...rightNames.filter((n) => !leftNames.includes(n))];
  const pick = (plan: LogicalPlan, names: readonly string[]): LogicalPlan => {
    const exprs = all.map((name): Expr => {
      if (names.includes(name)) return Object.freeze({ kind: 'col', name, qualifier: null });
      if (!allowMissingColumns)
        throw invalidArgument(
          `unionByName(): column '${name}' is missing on one side. Columns are [${leftNames.join(', ')}] and [${rightNames.join(', ')}]; pass allowMissingColumns = true to fill it with nulls.`,
        );
      const other = [...left.schema.fields, ...right.schema.fields].find((f) => f.name === name) as Field;
      return Object.freeze({
        kind: 'alias',
        name,
        child: Object.freeze({ kind: 'cast', to: other.type, child: Object.freeze({ kind: 'lit', value: null, type: types.null }) }),
      });
    });
    return buildProject(plan, exprs);
  };
  return buildUnion([pick(left, leftNames), pick(right, rightNames)]);
}
