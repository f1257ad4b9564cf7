import { describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import { displayNames, field, fieldNames, resolveFieldIndex, schemaOf, schemaTreeString } from '../../../common/schema.js';

function errorOf(fn: () => unknown): SluiceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SluiceError) return e;
    throw e;
  }
  throw new Error('expected a SluiceError');
}

const joined = schemaOf([
  field('id', types.int64, false, 'a'),
  field('name', types.utf8, true, 'a'),
  field('id', types.int64, true, 'b'),
  field('score', types.float64),
]);

describe('field and schemaOf', () => {
  it('builds frozen plain data, omitting a null qualifier', () => {
    const f = field('x', types.int32);
    expect(f).toEqual({ name: 'x', type: types.int32, nullable: true });
    expect('qualifier' in f).toBe(false);
    expect(field('x', types.int32, false, 't')).toEqual({ name: 'x', type: types.int32, nullable: false, qualifier: 't' });
    expect(Object.isFrozen(f)).toBe(true);
    expect(Object.isFrozen(joined.fields)).toBe(true);
  });

  it('lists names and display names', () => {
    expect(fieldNames(joined)).toEqual(['id', 'name', 'id', 'score']);
    expect(displayNames(joined)).toEqual(['a.id', 'a.name', 'b.id', 'score']);
  });
});

describe('resolveFieldIndex', () => {
  it('finds unique names with or without qualifier', () => {
    expect(resolveFieldIndex(joined, 'name', null)).toBe(1);
    expect(resolveFieldIndex(joined, 'name', 'a')).toBe(1);
    expect(resolveFieldIndex(joined, 'score', null)).toBe(3);
    expect(resolveFieldIndex(joined, 'id', 'a')).toBe(0);
    expect(resolveFieldIndex(joined, 'id', 'b')).toBe(2);
  });

  it('is case-sensitive and throws UNKNOWN_COLUMN listing the columns', () => {
    const e = errorOf(() => resolveFieldIndex(joined, 'ID', null));
    expect(e.code).toBe('UNKNOWN_COLUMN');
    expect(e.domain).toBe('user');
    expect(e.message).toContain("'ID'");
    expect(e.message).toContain('a.id, a.name, b.id, score');
  });

  it('throws UNKNOWN_COLUMN for a wrong qualifier, naming the qualified column', () => {
    const e = errorOf(() => resolveFieldIndex(joined, 'name', 'b'));
    expect(e.code).toBe('UNKNOWN_COLUMN');
    expect(e.message).toContain("'b.name'");
    expect(errorOf(() => resolveFieldIndex(joined, 'score', 'a')).code).toBe('UNKNOWN_COLUMN');
  });

  it('throws AMBIGUOUS_COLUMN naming the candidates and the fix', () => {
    const e = errorOf(() => resolveFieldIndex(joined, 'id', null));
    expect(e.code).toBe('AMBIGUOUS_COLUMN');
    expect(e.message).toContain('a.id, b.id');
    expect(e.message).toContain('alias');
    const s = schemaOf([field('k', types.int32), field('k', types.utf8)]);
    const e2 = errorOf(() => resolveFieldIndex(s, 'k', null));
    expect(e2.code).toBe('AMBIGUOUS_COLUMN');
    expect(e2.message).toContain('k (unqualified)');
  });

  it('throws UNKNOWN_COLUMN on an empty schema', () => {
    expect(errorOf(() => resolveFieldIndex(schemaOf([]), 'x', null)).code).toBe('UNKNOWN_COLUMN');
  });
});

describe('schemaTreeString', () => {
  it('renders like printSchema', () => {
    const s = schemaOf([field('id', types.int64, false), field('tags', types.list(types.utf8))]);
    expect(schemaTreeString(s)).toBe('root\n |-- id: bigint (nullable = false)\n |-- tags: array<string> (nullable = true)');
  });
});
