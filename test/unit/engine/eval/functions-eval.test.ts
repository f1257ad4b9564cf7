import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import * as F from '../../../../dataframe/expr/functions.js';
import { batchOf, dictVector, evalValues } from './eval-helpers.js';

const { col, lit } = F;

// 2024-02-29 13:45:30.123456 UTC (a Thursday), and 1969-12-31 23:59:59.5
const T1 = 1709214330123456n;
const T0 = -500000n;
const times = batchOf([
  ['ts', types.timestamp('us'), [T1, T0, null]],
  ['ms', types.timestamp('ms'), [T1 / 1000n, -500n, null]],
  ['dt', types.date, [19782, -1, null]],
  ['sec', types.int64, [1709214330n, 0n, null]],
  ['txt', types.utf8, ['2024-02-29T13:45:30Z', 'nope', null]],
]);

describe('casts', () => {
  const b = batchOf([
    ['s', types.utf8, [' 42 ', '1.9', 'x', null, '-2147483649']],
    ['d', types.float64, [1.9, -1.9, Number.NaN, null, 1e20]],
    ['t', types.utf8, ['true', 'NO', 'maybe', null, '1']],
  ]);
  it('parses strings and nulls what does not parse', () => {
    expect(evalValues(col('s').cast('int'), b)).toEqual([42, 1, null, null, null]);
    expect(evalValues(col('s').cast('bigint'), b)).toEqual([42n, 1n, null, null, -2147483649n]);
    expect(evalValues(col('s').cast('double'), b)).toEqual([42, 1.9, null, null, -2147483649]);
    expect(evalValues(col('t').cast('boolean'), b)).toEqual([true, false, null, null, true]);
    const dict = batchOf([['s', dictVector(['7', 'x'], [0, 1, null, 0])]]);
    expect(evalValues(col('s').cast('int'), dict)).toEqual([7, null, null, 7]);
  });
  it('truncates doubles to integers, nulling NaN and out-of-range values', () => {
    expect(evalValues(col('d').cast('int'), b)).toEqual([1, -1, null, null, null]);
    expect(evalValues(col('d').cast('bigint'), b)).toEqual([1n, -1n, null, null, null]);
  });
  it('formats values as Spark does', () => {
    expect(evalValues(col('d').cast('string'), b)).toEqual(['1.9', '-1.9', 'NaN', null, '1.0E20']);
    expect(evalValues(lit(true).cast('string'), b)[0]).toBe('true');
    expect(evalValues(col('s').cast('int').cast('string'), b)).toEqual(['42', '1', null, null, null]);
    expect(evalValues(col('ts').cast('string'), times)).toEqual(['2024-02-29 13:45:30.123456', '1969-12-31 23:59:59.5', null]);
    expect(evalValues(col('dt').cast('string'), times)).toEqual(['2024-02-29', '1969-12-31', null]);
  });
  it('converts timestamps to seconds and back, and between units and dates', () => {
    expect(evalValues(col('ts').cast('bigint'), times)).toEqual([1709214330n, -1n, null]);
    expect(evalValues(col('ts').cast('double'), times)).toEqual([1709214330.123456, -0.5, null]);
    expect(evalValues(col('sec').cast('timestamp'), times)).toEqual([1709214330000n, 0n, null]);
    expect(evalValues(col('ms').cast('timestamp[us]'), times)).toEqual([1709214330123000n, -500000n, null]);
    expect(evalValues(col('ts').cast('date'), times)).toEqual([19782, -1, null]);
    expect(evalValues(col('dt').cast('timestamp'), times)).toEqual([19782n * 86400000n, -86400000n, null]);
    expect(evalValues(col('txt').cast('timestamp[us]'), times)).toEqual([1709214330000000n, null, null]);
    expect(evalValues(col('ts').cast('int').cast('string').cast('int'), times)).toEqual([1709214330, -1, null]);
  });
});

describe('string functions', () => {
  const plain = batchOf([['s', types.utf8, ['  Hello ', 'wörld😀', null, '']]]);
  const dict = batchOf([['s', dictVector(['  Hello ', 'wörld😀', ''], [0, 1, null, 2])]]);
  for (const [name, b] of [
    ['plain', plain],
    ['dictionary', dict],
  ] as const) {
    it(`computes on ${name} utf8`, () => {
      expect(evalValues(F.upper('s'), b)).toEqual(['  HELLO ', 'WÖRLD😀', null, '']);
      expect(evalValues(F.lower('s'), b)).toEqual(['  hello ', 'wörld😀', null, '']);
      expect(evalValues(F.trim('s'), b)).toEqual(['Hello', 'wörld😀', null, '']);
      expect(evalValues(F.length('s'), b)).toEqual([8, 6, null, 0]);
      expect(evalValues(F.substring('s', 3, 2), b)).toEqual(['He', 'rl', null, '']);
      expect(evalValues(F.substring('s', -2, 5), b)).toEqual(['o ', 'd😀', null, '']);
      expect(evalValues(F.substring('s', 0, 2), b)).toEqual(['  ', 'wö', null, '']);
      expect(evalValues(F.concat(col('s'), lit('!'), lit(1)), b)).toEqual(['  Hello !1', 'wörld😀!1', null, '!1']);
      expect(evalValues(F.like('s', '%ll%'), b)).toEqual([true, false, null, false]);
      expect(evalValues(F.like('s', 'w_rld_'), b)).toEqual([false, true, null, false]);
      expect(evalValues(F.like('s', ''), b)).toEqual([false, false, null, true]);
      expect(evalValues(F.startsWith('s', 'wö'), b)).toEqual([false, true, null, false]);
      expect(evalValues(F.endsWith('s', '😀'), b)).toEqual([false, true, null, false]);
      expect(evalValues(F.contains('s', 'llo'), b)).toEqual([true, false, null, false]);
      expect(evalValues(F.contains('s', col('s')), b)).toEqual([true, true, null, true]);
    });
  }
  it('treats LIKE escapes literally', () => {
    const b = batchOf([['s', types.utf8, ['50%', '50x', 'a_b', 'axb']]]);
    expect(evalValues(F.like('s', '50\\%'), b)).toEqual([true, false, false, false]);
    expect(evalValues(F.like('s', 'a\\_b'), b)).toEqual([false, false, true, false]);
  });
});

describe('time functions (UTC)', () => {
  it('extracts fields from timestamps and dates', () => {
    expect(evalValues(F.year('ts'), times)).toEqual([2024, 1969, null]);
    expect(evalValues(F.month('ms'), times)).toEqual([2, 12, null]);
    expect(evalValues(F.dayofmonth('dt'), times)).toEqual([29, 31, null]);
    expect(evalValues(F.hour('ts'), times)).toEqual([13, 23, null]);
    expect(evalValues(F.minute('ts'), times)).toEqual([45, 59, null]);
    expect(evalValues(F.second('ms'), times)).toEqual([30, 59, null]);
    expect(evalValues(F.hour('dt'), times)).toEqual([0, 0, null]);
  });
  it('truncates, converts to epoch numbers and formats', () => {
    const day = 1709164800000000n;
    expect(evalValues(F.dateTrunc('day', 'ts'), times)).toEqual([day, -86400000000n, null]);
    expect(evalValues(F.dateTrunc('week', 'ts'), times)).toEqual([day - 3n * 86400000000n, -86400000000n * 3n, null]);
    expect(evalValues(F.dateTrunc('quarter', 'ts'), times)).toEqual([1704067200000000n, -7948800000000n, null]);
    expect(evalValues(F.dateTrunc('hour', 'ms'), times)).toEqual([1709211600000n, -3600000n, null]);
    expect(evalValues(F.unixMillis('ts'), times)).toEqual([1709214330123n, -500n, null]);
    expect(evalValues(F.unixSeconds('ms'), times)).toEqual([1709214330n, -1n, null]);
    expect(evalValues(F.fromUnixTime('sec'), times)).toEqual(['2024-02-29 13:45:30', '1970-01-01 00:00:00', null]);
    expect(evalValues(F.fromUnixTime('sec', 'dd/MM/yy HH'), times)).toEqual(['29/02/24 13', '01/01/70 00', null]);
    expect(evalValues(F.toTimestamp('txt'), times)).toEqual([1709214330000000n, null, null]);
    expect(evalValues(F.toTimestamp(lit('29/02/2024 13:45'), 'dd/MM/yyyy HH:mm'), times)[0]).toBe(1709214300000000n);
    expect(evalValues(F.toTimestamp('sec'), times)).toEqual([1709214330000000n, 0n, null]);
    expect(evalValues(F.toDate('txt'), times)).toEqual([19782, null, null]);
    expect(evalValues(F.toDate('ts'), times)).toEqual([19782, -1, null]);
  });
});

describe('math functions', () => {
  const b = batchOf([
    ['d', types.float64, [2.5, -2.5, 1.005, null, Number.NaN, -0.4]],
    ['i', types.int32, [-2147483648, 5, -1250, null, 0, 7]],
    ['l', types.int64, [-(2n ** 60n), 5n, -1250n, null, 0n, 7n]],
  ]);
  it('rounds HALF_UP, floors and ceils to bigint, takes abs and sqrt', () => {
    expect(evalValues(F.round('d'), b)).toEqual([3, -3, 1, null, Number.NaN, 0]);
    expect(evalValues(F.round('d', 2), b)).toEqual([2.5, -2.5, 1.01, null, Number.NaN, -0.4]);
    expect(evalValues(F.round('i', -2), b)).toEqual([-2147483600, 0, -1300, null, 0, 0]);
    expect(evalValues(F.round('l', -1), b)).toEqual([-(2n ** 60n) - 4n, 10n, -1250n, null, 0n, 10n]);
    expect(evalValues(F.floor('d'), b)).toEqual([2n, -3n, 1n, null, null, -1n]);
    expect(evalValues(F.ceil('d'), b)).toEqual([3n, -2n, 2n, null, null, 0n]);
    expect(evalValues(F.ceil('i'), b)).toEqual([-2147483648n, 5n, -1250n, null, 0n, 7n]);
    expect(evalValues(F.abs('i'), b)).toEqual([-2147483648, 5, 1250, null, 0, 7]);
    expect(evalValues(F.abs('l'), b)).toEqual([2n ** 60n, 5n, 1250n, null, 0n, 7n]);
    expect(evalValues(F.sqrt('i'), b)).toEqual([Number.NaN, Math.sqrt(5), Number.NaN, null, 0, Math.sqrt(7)]);
  });
});
