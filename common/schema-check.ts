import type { DataType } from './data-type.js';
import { MAX_DECIMAL_PRECISION } from './data-type.js';
import { describeValue } from './describe-value.js';
import { invalidArgument } from './errors.js';
import type { Schema } from './schema.js';

const SIMPLE_KINDS = new Set(['null', 'boolean', 'int32', 'int64', 'float64', 'utf8', 'binary', 'date']);

/** Why `t` is not a {@link DataType}, or null when it is one. */
export function dataTypeProblem(t: unknown): string | null {
  if (typeof t !== 'object' || t === null) return `${describeValue(t)} is not a type`;
  const kind = (t as { kind?: unknown }).kind;
  if (typeof kind === 'string' && SIMPLE_KINDS.has(kind)) return null;
  if (kind === 'timestamp') {
    const { unit, timezone } = t as { unit?: unknown; timezone?: unknown };
    if (unit !== 'ms' && unit !== 'us') return `timestamp unit ${describeValue(unit)} is not 'ms' or 'us'`;
    if (timezone !== null && timezone !== undefined && typeof timezone !== 'string') return `timestamp zone ${describeValue(timezone)} is not a string or null`;
    return null;
  }
  if (kind === 'decimal') {
    const { precision: p, scale: s } = t as { precision?: unknown; scale?: unknown };
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > MAX_DECIMAL_PRECISION)
      return `decimal precision ${describeValue(p)} is not an integer from 1 to ${MAX_DECIMAL_PRECISION} (Sluice stores decimals of up to 18 digits; use double for wider values)`;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > p)
      return `decimal scale ${describeValue(s)} is not an integer from 0 to the precision ${p}`;
    return null;
  }
  if (kind === 'list') return dataTypeProblem((t as { element?: unknown }).element);
  if (kind === 'map') return dataTypeProblem((t as { key?: unknown }).key) ?? dataTypeProblem((t as { value?: unknown }).value);
  if (kind === 'struct') {
    const fields = (t as { fields?: unknown }).fields;
    if (!Array.isArray(fields)) return 'a struct type needs a fields array';
    for (const f of fields) {
      const p = typeof f?.name === 'string' ? dataTypeProblem(f.type) : `struct field ${describeValue(f)} has no name`;
      if (p !== null) return p;
    }
    return null;
  }
  return `${describeValue(t)} is not a type`;
}

/**
 * Checks that a value passed as a schema is a {@link Schema} (`schemaOf([field('id',
 * types.int64), ...])`): an object with a `fields` array of `{ name, type }` whose types are
 * `types.*` values. INVALID_ARGUMENT naming `what`, the field and the problem otherwise,
 * instead of a TypeError deep inside the engine.
 */
export function checkSchemaValue(value: unknown, what: string): Schema {
  const fields = (value as { fields?: unknown } | null)?.fields;
  const usage = `Pass a DDL string such as 'id BIGINT, name STRING' or schemaOf([field('id', types.int64), ...]).`;
  if (typeof value !== 'object' || value === null || !Array.isArray(fields))
    throw invalidArgument(`${what}: the schema must be a Schema or a DDL string, got ${describeValue(value)}. ${usage}`);
  for (const [i, f] of (fields as unknown[]).entries()) {
    const name = (f as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') throw invalidArgument(`${what}: schema field ${i} has no name (got ${describeValue(f)}). ${usage}`);
    const problem = dataTypeProblem((f as { type?: unknown }).type);
    if (problem !== null)
      throw invalidArgument(`${what}: schema field '${name}' has no valid type: ${problem}. Use types.int64, types.utf8, types.timestamp('ms')... ${usage}`);
  }
  return value as Schema;
}

/** True when `t` is a valid {@link DataType}. */
export function isDataType(t: unknown): t is DataType {
  return dataTypeProblem(t) === null;
}
