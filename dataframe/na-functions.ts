import type { DataType } from '../common/data-type.js';
import { isNumeric, typeName } from '../common/data-type.js';
import { describeValue } from '../common/describe-value.js';
import { invalidArgument } from '../common/errors.js';
import type { Field } from '../common/schema.js';
import type { Column } from './expr/column.js';
import { coalesce, col, lit, when } from './expr/functions.js';
import type { LiteralInput } from './expr/literal-of.js';
import type { DataFrame } from './data-frame.js';

/** A fill or replacement value: number, string or boolean (Spark's supported kinds). */
export type NaValue = number | string | boolean;

/** Options of {@link DataFrameNaFunctions.drop}. */
export interface NaDropOptions {
  /** 'any' (default): drop a row with any null or NaN among `subset`; 'all': only when all are. */
  readonly how?: 'any' | 'all';
  /** Keep a row only when it has at least this many non-null, non-NaN values among `subset` (overrides `how`). */
  readonly thresh?: number;
  /** The columns to look at (default all). */
  readonly subset?: readonly string[];
}

function kindOf(t: DataType): 'number' | 'string' | 'boolean' | null {
  if (isNumeric(t)) return 'number';
  if (t.kind === 'utf8') return 'string';
  if (t.kind === 'boolean') return 'boolean';
  return null;
}

function valueKind(v: unknown, what: string): 'number' | 'string' | 'boolean' {
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  throw invalidArgument(`${what}: values must be numbers, strings or booleans, got ${describeValue(v)}.`);
}

/** NaN test in Spark's ordering, where NaN sorts above +Infinity. */
function isNaNValue(c: Column): Column {
  return c.gt(lit(Number.POSITIVE_INFINITY));
}

/** True when the field's value is neither null nor NaN. */
function present(f: Field): Column {
  const c = col(f.name);
  return f.type.kind === 'float64' ? c.isNotNull().and(coalesce(isNaNValue(c), lit(false)).not()) : c.isNotNull();
}

/**
 * Spark's `DataFrameNaFunctions` (`df.na`): replacing and dropping nulls (and NaN in double
 * columns, as Spark treats them alike here). Columns are matched by name; a value applies
 * only to columns of its kind (numbers to numeric columns, cast to the column's type;
 * strings to string columns; booleans to boolean columns), others are left unchanged.
 */
export class DataFrameNaFunctions {
  constructor(private readonly df: DataFrame) {}

  private fields(subset: readonly string[] | undefined, what: string): Field[] {
    const all = this.df.schema.fields;
    if (subset === undefined) return [...all];
    return subset.map((n) => {
      const f = all.find((x) => x.name === n);
      if (f === undefined) throw invalidArgument(`${what}: unknown column '${n}'. Columns are: ${all.map((x) => x.name).join(', ')}.`);
      return f;
    });
  }

  private mapColumns(change: (f: Field) => Column | null): DataFrame {
    const exprs = this.df.schema.fields.map((f) => {
      const c = change(f);
      return c === null ? col(f.name) : c.cast(f.type).alias(f.name);
    });
    return this.df.select(exprs);
  }

  /**
   * Replaces null (and NaN in double columns) with `value` in the columns of its kind among
   * `subset` (default all), or with per-column values given as `{ column: value }`.
   */
  fill(value: NaValue | Readonly<Record<string, NaValue>>, subset?: readonly string[]): DataFrame {
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      const byName = new Map(entries);
      const fields = this.fields(
        entries.map(([n]) => n),
        'na.fill()',
      );
      for (const f of fields) {
        const v = byName.get(f.name);
        if (kindOf(f.type) !== valueKind(v, 'na.fill()'))
          throw invalidArgument(`na.fill(): column '${f.name}' is ${typeName(f.type)} and cannot be filled with ${describeValue(v)}.`);
      }
      return this.mapColumns((f) => (byName.has(f.name) ? filled(f, byName.get(f.name) as NaValue) : null));
    }
    const kind = valueKind(value, 'na.fill()');
    const targets = new Set(this.fields(subset, 'na.fill()').map((f) => f.name));
    return this.mapColumns((f) => (targets.has(f.name) && kindOf(f.type) === kind ? filled(f, value) : null));
  }

  /**
   * Drops rows with null or NaN values among `subset` (default all columns): `how` 'any'
   * (default) or 'all', or `thresh` (keep rows with at least that many present values).
   */
  drop(how: 'any' | 'all' | NaDropOptions = 'any', subset?: readonly string[]): DataFrame {
    const o: NaDropOptions = typeof how === 'string' ? { how, subset } : how;
    if (o.how !== undefined && o.how !== 'any' && o.how !== 'all') throw invalidArgument(`na.drop(): how must be 'any' or 'all', got '${String(o.how)}'.`);
    const fields = this.fields(o.subset ?? subset, 'na.drop()');
    if (fields.length === 0) return this.df;
    const thresh = o.thresh ?? ((o.how ?? 'any') === 'any' ? fields.length : 1);
    if (!Number.isInteger(thresh)) throw invalidArgument(`na.drop(): thresh must be an integer, got ${thresh}.`);
    const counted = fields.map((f) => when(present(f), lit(1)).otherwise(lit(0)));
    const n = counted.reduce((a, b) => a.plus(b));
    return this.df.filter(n.geq(lit(thresh)));
  }

  /**
   * Replaces values (Spark's `na.replace`): in `cols` (a name, a list, or '*' for all), each
   * value equal to a key of `replacement` becomes the mapped value (null allowed). A map's
   * keys and values are of one kind; it applies to the columns of that kind.
   */
  replace(cols: string | readonly string[], replacement: ReadonlyMap<LiteralInput, LiteralInput> | Readonly<Record<string, LiteralInput>>): DataFrame {
    const pairs: [LiteralInput, LiteralInput][] = replacement instanceof Map ? [...replacement.entries()] : Object.entries(replacement);
    if (pairs.length === 0) return this.df;
    const kinds = new Set([
      ...pairs.map(([k]) => valueKind(k, 'na.replace()')),
      ...pairs.filter(([, v]) => v !== null).map(([, v]) => valueKind(v, 'na.replace()')),
    ]);
    if (kinds.size > 1)
      throw invalidArgument(`na.replace(): keys and values must all be numbers, all strings or all booleans, got ${[...kinds].join(' and ')}.`);
    const kind = [...kinds][0];
    const names = cols === '*' ? undefined : typeof cols === 'string' ? [cols] : cols;
    const targets = new Set(this.fields(names, 'na.replace()').map((f) => f.name));
    return this.mapColumns((f) => {
      if (!targets.has(f.name) || kindOf(f.type) !== kind) return null;
      const c = col(f.name);
      let out: Column | null = null;
      for (const [k, v] of pairs) {
        const value = v === null ? lit(null).cast(f.type) : lit(v);
        out = out === null ? when(c.eq(lit(k)), value) : out.when(c.eq(lit(k)), value);
      }
      return (out as Column).otherwise(c);
    });
  }
}

function filled(f: Field, value: NaValue): Column {
  const c = col(f.name);
  const v = lit(value).cast(f.type);
  if (f.type.kind === 'float64') return when(c.isNull().or(coalesce(isNaNValue(c), lit(false))), v).otherwise(c);
  return coalesce(c, v);
}
