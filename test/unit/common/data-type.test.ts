import { describe, expect, it } from 'vitest';
import { isIntegral, isNumeric, parseTypeName, typeEquals, typeName, types, widerNumeric } from '../../../common/data-type.js';

describe('parseTypeName', () => {
  it('parses every alias, case- and space-insensitively', () => {
    expect(parseTypeName('boolean')).toEqual(types.boolean);
    expect(parseTypeName('bool')).toEqual(types.boolean);
    for (const n of ['int', 'int32', 'integer', ' INT ']) expect(parseTypeName(n)).toEqual(types.int32);
    for (const n of ['bigint', 'long', 'int64', 'BIGINT']) expect(parseTypeName(n)).toEqual(types.int64);
    for (const n of ['double', 'float64', 'float']) expect(parseTypeName(n)).toEqual(types.float64);
    expect(parseTypeName('string')).toEqual(types.utf8);
    expect(parseTypeName('utf8')).toEqual(types.utf8);
    expect(parseTypeName('date')).toEqual(types.date);
  });

  it('parses timestamp units and the UTC zone', () => {
    expect(parseTypeName('timestamp')).toEqual({ kind: 'timestamp', unit: 'ms', timezone: null });
    expect(parseTypeName('timestamp[ms]')).toEqual({ kind: 'timestamp', unit: 'ms', timezone: null });
    expect(parseTypeName('timestamp[us]')).toEqual({ kind: 'timestamp', unit: 'us', timezone: null });
    expect(parseTypeName('timestamp[ms, UTC]')).toEqual({ kind: 'timestamp', unit: 'ms', timezone: 'UTC' });
    expect(parseTypeName('timestamp[us, utc]')).toEqual({ kind: 'timestamp', unit: 'us', timezone: 'UTC' });
  });

  it('parses decimal(p,s) as Spark does, refusing precisions beyond 18', () => {
    expect(parseTypeName('decimal')).toEqual(types.decimal(10, 0));
    expect(parseTypeName('DECIMAL(10, 2)')).toEqual(types.decimal(10, 2));
    expect(parseTypeName('decimal(7)')).toEqual(types.decimal(7, 0));
    expect(typeName(types.decimal(10, 2))).toBe('decimal(10,2)');
    expect(parseTypeName('struct<a:decimal(5,1),b:int>')).toEqual(
      types.struct([
        { name: 'a', type: types.decimal(5, 1), nullable: true },
        { name: 'b', type: types.int32, nullable: true },
      ]),
    );
    expect(parseTypeName('decimal(19,2)')).toBeUndefined();
    expect(parseTypeName('decimal(5,6)')).toBeUndefined();
  });

  it('returns undefined for unknown names', () => {
    expect(parseTypeName('decimal(x)')).toBeUndefined();
    expect(parseTypeName('')).toBeUndefined();
    expect(parseTypeName('timestamp[ns]')).toBeUndefined();
  });

  it('round-trips with typeName for the named types', () => {
    for (const t of [types.boolean, types.int32, types.int64, types.float64, types.utf8, types.date, types.timestamp('us', 'UTC')]) {
      expect(parseTypeName(typeName(t))).toEqual(t);
    }
  });
});

describe('typeName', () => {
  it('gives Spark-like names', () => {
    expect(typeName(types.null)).toBe('void');
    expect(typeName(types.boolean)).toBe('boolean');
    expect(typeName(types.int32)).toBe('int');
    expect(typeName(types.int64)).toBe('bigint');
    expect(typeName(types.float64)).toBe('double');
    expect(typeName(types.utf8)).toBe('string');
    expect(typeName(types.date)).toBe('date');
    expect(typeName(types.timestamp())).toBe('timestamp[ms]');
    expect(typeName(types.timestamp('us', 'UTC'))).toBe('timestamp[us, UTC]');
    expect(typeName(types.list(types.list(types.int64)))).toBe('array<array<bigint>>');
  });
});

describe('widerNumeric', () => {
  it('widens int32 < int64 < float64', () => {
    expect(widerNumeric(types.int32, types.int32)).toEqual(types.int32);
    expect(widerNumeric(types.int32, types.int64)).toEqual(types.int64);
    expect(widerNumeric(types.int64, types.int32)).toEqual(types.int64);
    expect(widerNumeric(types.int64, types.float64)).toEqual(types.float64);
    expect(widerNumeric(types.float64, types.int32)).toEqual(types.float64);
  });
});

describe('typeEquals and predicates', () => {
  it('compares structurally', () => {
    expect(typeEquals(types.int64, { kind: 'int64' })).toBe(true);
    expect(typeEquals(types.int64, types.int32)).toBe(false);
    expect(typeEquals(types.timestamp('ms'), types.timestamp('ms'))).toBe(true);
    expect(typeEquals(types.timestamp('ms'), types.timestamp('us'))).toBe(false);
    expect(typeEquals(types.timestamp('ms', 'UTC'), types.timestamp('ms'))).toBe(false);
    expect(typeEquals(types.list(types.utf8), types.list(types.utf8))).toBe(true);
    expect(typeEquals(types.list(types.utf8), types.list(types.int64))).toBe(false);
  });

  it('classifies numeric and integral types', () => {
    expect([types.int32, types.int64, types.float64].every(isNumeric)).toBe(true);
    expect(isNumeric(types.utf8) || isNumeric(types.date) || isNumeric(types.boolean)).toBe(false);
    expect(isIntegral(types.int32) && isIntegral(types.int64)).toBe(true);
    expect(isIntegral(types.float64)).toBe(false);
  });

  it('returns frozen types', () => {
    expect(Object.isFrozen(types.int64)).toBe(true);
    expect(Object.isFrozen(types.timestamp('us'))).toBe(true);
    expect(Object.isFrozen(types.list(types.int32))).toBe(true);
  });
});
