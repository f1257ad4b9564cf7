import type { DataType } from './data-type.js';
import { typeName } from './data-type.js';
import { SluiceError, unknownColumnError } from './errors.js';

/**
 * One named, typed column of a {@link Schema}. Plain frozen data. `qualifier` is the
 * DataFrame alias the column can be addressed by (`t.id`), or null.
 */
export interface Field {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly qualifier?: string | null;
}

/** An ordered list of fields. Plain frozen data. */
export interface Schema {
  readonly fields: readonly Field[];
}

/** Creates a frozen field. */
export function field(name: string, type: DataType, nullable = true, qualifier: string | null = null): Field {
  return Object.freeze(qualifier === null ? { name, type, nullable } : { name, type, nullable, qualifier });
}

/** Creates a frozen schema from fields. */
export function schemaOf(fields: readonly Field[]): Schema {
  return Object.freeze({ fields: Object.freeze([...fields]) });
}

/** Names of a schema's fields, in order. */
export function fieldNames(schema: Schema): string[] {
  return schema.fields.map((f) => f.name);
}

/** Display names (`t.id` where qualified) for error messages. */
export function displayNames(schema: Schema): string[] {
  return schema.fields.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : f.name));
}

/**
 * Index of the field named `name` (qualified by `qualifier` when not null). Throws
 * UNKNOWN_COLUMN listing the columns, or AMBIGUOUS_COLUMN when several fields match.
 * Names are case-sensitive.
 */
export function resolveFieldIndex(schema: Schema, name: string, qualifier: string | null): number {
  let found = -1;
  let count = 0;
  schema.fields.forEach((f, i) => {
    if (f.name === name && (qualifier === null || f.qualifier === qualifier)) {
      if (found < 0) found = i;
      count++;
    }
  });
  if (count === 1) return found;
  const shown = qualifier ? `${qualifier}.${name}` : name;
  if (count === 0) throw unknownColumnError(shown, displayNames(schema));
  const quals = schema.fields.filter((f) => f.name === name).map((f) => (f.qualifier ? `${f.qualifier}.${name}` : `${name} (unqualified)`));
  throw new SluiceError(
    'AMBIGUOUS_COLUMN',
    `Column '${shown}' is ambiguous: it matches ${quals.join(', ')}. Give each DataFrame an alias with df.alias('a') and refer to 'a.${name}', or rename one side with withColumnRenamed.`,
  );
}

/** Spark-style tree rendering used by `printSchema()`. */
export function schemaTreeString(schema: Schema): string {
  const lines = ['root'];
  for (const f of schema.fields) lines.push(` |-- ${f.name}: ${typeName(f.type)} (nullable = ${f.nullable})`);
  return lines.join('\n');
}
