import type { DataType } from '../../common/data-type.js';
import { isNumeric, types, typeName } from '../../common/data-type.js';
import { invalidArgument, SluiceError, typeMismatchError } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { apiCallName } from './api-call-name.js';
import type { CollectionFunctionName } from './collection-function-names.js';
import type { Call } from './expr.js';
import { exprOutputName } from './expr-to-string.js';
import type { FunctionSpec } from './function-catalog.js';
import { castTo, commonType, unify } from './type-coercion.js';

type ListType = Extract<DataType, { kind: 'list' }>;
type MapType = Extract<DataType, { kind: 'map' }>;

function arrayArg(call: Call, a: AnalyzedExpr): ListType {
  if (a.type.kind !== 'list')
    throw typeMismatchError(
      `${apiCallName(call)} needs an array, but ${exprOutputName(a.expr)} is ${typeName(a.type)}. Build one with array(...) or collectList(...).`,
    );
  return a.type;
}

function mapArg(call: Call, a: AnalyzedExpr): MapType {
  if (a.type.kind !== 'map')
    throw typeMismatchError(`${apiCallName(call)} needs a map, but ${exprOutputName(a.expr)} is ${typeName(a.type)}. Build one with createMap(k1, v1, ...).`);
  return a.type;
}

/** Casts `a` to `to` when the types mix (numbers widen, null fits), else throws naming the call. */
function toElement(call: Call, a: AnalyzedExpr, to: DataType, what: string): AnalyzedExpr {
  const t = commonType([a.type, to]);
  if (t === null || (t.kind !== to.kind && a.type.kind !== 'null'))
    throw typeMismatchError(
      `${apiCallName(call)}: ${what} ${exprOutputName(a.expr)} is ${typeName(a.type)}, but the elements are ${typeName(to)}. Cast it first.`,
    );
  return castTo(a, to);
}

/** Orderable element types (for sortArray, arrayMax, arrayMin). */
function orderable(t: DataType): boolean {
  return isNumeric(t) || t.kind === 'utf8' || t.kind === 'boolean' || t.kind === 'date' || t.kind === 'timestamp' || t.kind === 'null';
}

function keyType(call: Call, t: DataType): void {
  if (t.kind === 'list' || t.kind === 'map' || t.kind === 'struct' || t.kind === 'null')
    throw typeMismatchError(`${apiCallName(call)}: map keys must be of an atomic type (number, string, date, timestamp, boolean), not ${typeName(t)}.`);
}

const int32 = (a: AnalyzedExpr, call: Call): AnalyzedExpr => {
  if (a.type.kind !== 'int32' && a.type.kind !== 'int64' && a.type.kind !== 'null')
    throw typeMismatchError(`${apiCallName(call)} needs an integer index, but ${exprOutputName(a.expr)} is ${typeName(a.type)}.`);
  return castTo(a, types.int32);
};

/** Element access: 1-based (elementAt, negative from the end) or 0-based (getItem) array index, or a map key. */
function elementAccess(oneBased: boolean): FunctionSpec {
  return {
    doc: oneBased
      ? 'element_at(array, i): the 1-based i-th element (negative i counts from the end), null out of range; element_at(map, key): the value of key or null.'
      : 'getItem: the 0-based i-th element of an array (null out of range), or the value of a map key (null when absent).',
    arity: [2, 2],
    resolve: (args, call) => {
      const c = args[0] as AnalyzedExpr;
      const k = args[1] as AnalyzedExpr;
      if (c.type.kind === 'map') {
        const key = toElement(call, k, c.type.key, 'the key');
        return { args: [c, key], type: c.type.value, nullable: true };
      }
      if (c.type.kind !== 'list')
        throw typeMismatchError(`${apiCallName(call)} needs an array or a map, but ${exprOutputName(c.expr)} is ${typeName(c.type)}.`);
      const i = int32(k, call);
      if (oneBased && i.expr.kind === 'lit' && i.expr.value === 0)
        throw invalidArgument(`${apiCallName(call)}: array indices start at 1 (negative indices count from the end); 0 is not an index.`);
      return { args: [c, i], type: c.type.element, nullable: true };
    },
  };
}

function arrayToElement(doc: string): FunctionSpec {
  return {
    doc,
    arity: [1, 1],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      const t = arrayArg(call, a);
      if (!orderable(t.element)) throw typeMismatchError(`${apiCallName(call)} cannot order elements of type ${typeName(t.element)}.`);
      return { args, type: t.element, nullable: true };
    },
  };
}

/** A generator reached the analyzer outside a projection: explain where it may appear. */
function generator(doc: string): FunctionSpec {
  return {
    doc,
    // Extra arguments are the output names of a multi-name alias (generator-output-names.ts).
    arity: [1, 4],
    resolve: (_args, call) => {
      throw new SluiceError(
        'INVALID_PLAN',
        `${apiCallName(call)} is a generator: it is only allowed as a whole expression of select() or withColumn(), e.g. df.select(col('id'), ${call.fn}(col('xs')).alias('x')). Explode first, then filter or compute on the new column.`,
      );
    },
  };
}

/** The array and map functions, Spark's semantics (non-ANSI: out-of-range access gives null). */
export const COLLECTION_CATALOG: Readonly<Record<CollectionFunctionName, FunctionSpec>> = {
  array: {
    doc: 'array(a, b, ...): an array of the arguments (numbers widen to one type); never null itself.',
    arity: [1, Number.POSITIVE_INFINITY],
    resolve: (args, call) => {
      const u = unify(args, apiCallName(call));
      return { args: u.items, type: types.list(u.type), nullable: false };
    },
  },
  arrayContains: {
    doc: 'array_contains(array, value): true when an element equals value; null when the array or value is null, or when no element matches and the array holds a null.',
    arity: [2, 2],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      const t = arrayArg(call, a);
      return { args: [a, toElement(call, args[1] as AnalyzedExpr, t.element, 'the value')], type: types.boolean, nullable: true };
    },
  },
  size: {
    doc: 'size(array | map): the number of elements or entries; -1 for null (Spark with spark.sql.legacy.sizeOfNull, its non-ANSI default).',
    arity: [1, 1],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      if (a.type.kind !== 'list' && a.type.kind !== 'map')
        throw typeMismatchError(`${apiCallName(call)} needs an array or a map, but ${exprOutputName(a.expr)} is ${typeName(a.type)}.`);
      return { args, type: types.int32, nullable: false };
    },
  },
  elementAt: elementAccess(true),
  getItem: elementAccess(false),
  arrayJoin: {
    doc: 'array_join(array<string>, delimiter [, nullReplacement]): the elements joined by delimiter; null elements are skipped unless nullReplacement is given.',
    arity: [2, 3],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      const t = arrayArg(call, a);
      if (t.element.kind !== 'utf8' && t.element.kind !== 'null')
        throw typeMismatchError(`${apiCallName(call)} needs an array of strings, but ${exprOutputName(a.expr)} is ${typeName(a.type)}.`);
      for (const x of args.slice(1))
        if (x.expr.kind !== 'lit' || typeof x.expr.value !== 'string')
          throw invalidArgument(`${apiCallName(call)}: the delimiter and null replacement must be literal strings.`);
      return { args, type: types.utf8, nullable: a.nullable };
    },
  },
  sortArray: {
    doc: 'sort_array(array [, asc = true]): the elements sorted; nulls first ascending, last descending.',
    arity: [1, 2],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      const t = arrayArg(call, a);
      if (!orderable(t.element)) throw typeMismatchError(`${apiCallName(call)} cannot order elements of type ${typeName(t.element)}.`);
      const asc = args[1];
      if (asc !== undefined && (asc.expr.kind !== 'lit' || typeof asc.expr.value !== 'boolean'))
        throw invalidArgument(`${apiCallName(call)}: the sort direction must be a literal boolean.`);
      const dir: AnalyzedExpr = asc ?? { expr: Object.freeze({ kind: 'lit', value: true, type: types.boolean }), type: types.boolean, nullable: false };
      return { args: [a, dir], type: a.type, nullable: a.nullable };
    },
  },
  arrayDistinct: {
    doc: 'array_distinct(array): the elements without duplicates, first occurrences in order (one null kept).',
    arity: [1, 1],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      const t = arrayArg(call, a);
      if (!orderable(t.element)) throw typeMismatchError(`${apiCallName(call)} cannot compare elements of type ${typeName(t.element)}.`);
      return { args, type: a.type, nullable: a.nullable };
    },
  },
  arrayMax: arrayToElement('array_max(array): the largest non-null element (NaN is largest), null for an empty or all-null array.'),
  arrayMin: arrayToElement('array_min(array): the smallest non-null element, null for an empty or all-null array.'),
  map: {
    doc: 'map(k1, v1, k2, v2, ...): a map of the key/value pairs (keys and values each widen to one type); a later duplicate key wins; a null key is an error.',
    arity: [2, Number.POSITIVE_INFINITY],
    resolve: (args, call) => {
      if (args.length % 2 !== 0) throw invalidArgument(`${apiCallName(call)} takes key/value pairs: an even number of arguments, got ${args.length}.`);
      const keys = unify(
        args.filter((_, i) => i % 2 === 0),
        `${apiCallName(call)} keys`,
      );
      const vals = unify(
        args.filter((_, i) => i % 2 === 1),
        `${apiCallName(call)} values`,
      );
      keyType(call, keys.type);
      for (const k of keys.items) if (k.expr.kind === 'lit' && k.expr.value === null) throw invalidArgument(`${apiCallName(call)}: a map key cannot be null.`);
      const out = keys.items.flatMap((k, i) => [k, vals.items[i] as AnalyzedExpr]);
      return { args: out, type: types.map(keys.type, vals.type), nullable: false };
    },
  },
  mapKeys: {
    doc: 'map_keys(map): the keys as an array, in entry order.',
    arity: [1, 1],
    resolve: (args, call) => ({ args, type: types.list(mapArg(call, args[0] as AnalyzedExpr).key), nullable: (args[0] as AnalyzedExpr).nullable }),
  },
  mapValues: {
    doc: 'map_values(map): the values as an array, in entry order.',
    arity: [1, 1],
    resolve: (args, call) => ({ args, type: types.list(mapArg(call, args[0] as AnalyzedExpr).value), nullable: (args[0] as AnalyzedExpr).nullable }),
  },
  explode: generator('explode(array | map): one row per element (column `col`) or map entry (columns `key`, `value`); null and empty input give no row.'),
  explodeOuter: generator('explode_outer(array | map): like explode, but a null or empty input gives one row of nulls.'),
  posexplode: generator('posexplode(array | map): like explode, with the 0-based position first (column `pos`).'),
  posexplodeOuter: generator('posexplode_outer(array | map): like posexplode, but a null or empty input gives one row of nulls.'),
};
