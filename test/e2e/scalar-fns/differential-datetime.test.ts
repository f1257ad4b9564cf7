import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../../index.js';
import {
  Sluice,
  addMonths,
  col,
  dateAdd,
  dateFormat,
  datediff,
  dateSub,
  dayofweek,
  dayofyear,
  interval,
  lastDay,
  monthsBetween,
  nextDay,
  quarter,
  trunc,
  weekofyear,
} from '../../../index.js';
import { DuckDbClient } from '../../helpers/duckdb-client.js';
import type { FnCase, SeedTable } from '../../helpers/scalar-fn-diff.js';
import { loadDuck, runCase, sluiceTable } from '../../helpers/scalar-fn-diff.js';

/**
 * The date/time functions and interval arithmetic against DuckDB on seeded rows with
 * nulls, leap days, month ends, year ends around ISO week 53, dates before 1970 and
 * negative day offsets. DuckDB has no months_between: its test asserts the values of
 * Spark's documentation and definition instead.
 */
const DATES: readonly (string | null)[] = [
  '2024-02-29',
  '2023-02-28',
  '2024-01-31',
  '2023-12-31',
  '2000-02-29',
  '1900-03-01',
  '1969-12-31',
  '1970-01-01',
  '2021-01-03',
  '2020-12-31',
  null,
  '2024-03-31',
];
const TIMES = ['00:00:00', '23:59:59', '12:30:15.250', '06:00:00'];

const seed: SeedTable = {
  ddl: 'id INT, d DATE, d2 DATE, ts TIMESTAMP, n INT',
  duckColumns: [
    ['id', 'INTEGER'],
    ['d', 'DATE'],
    ['d2', 'DATE'],
    ['ts', 'TIMESTAMP'],
    ['n', 'INTEGER'],
  ],
  rows: DATES.map((d, i) => ({
    id: i,
    d,
    d2: DATES[(i + 5) % DATES.length] ?? null,
    ts: d === null || i === 4 ? null : `${d} ${TIMES[i % TIMES.length]}`,
    n: i === 7 ? null : ((i * 37) % 50) - 25,
  })),
};

const cases: FnCase[] = [
  { name: 'dateAdd literal', sluice: dateAdd('d', 30), sql: 'd + 30' },
  { name: 'dateAdd column (negative too)', sluice: dateAdd('d', col('n')), sql: 'd + n' },
  { name: 'dateSub', sluice: dateSub('d', 366), sql: 'd - 366' },
  { name: 'dateAdd of a timestamp takes its date', sluice: dateAdd('ts', 1), sql: 'ts::DATE + 1' },
  { name: 'datediff (end - start)', sluice: datediff('d', 'd2'), sql: "datediff('day', d2, d)" },
  { name: 'addMonths clamps to month end', sluice: addMonths('d', 1), sql: '(d + to_months(1))::DATE' },
  { name: 'addMonths by column', sluice: addMonths('d', col('n')), sql: '(d + to_months(n))::DATE' },
  { name: 'dayofweek (1 = Sunday)', sluice: dayofweek('d'), sql: 'dayofweek(d) + 1' },
  { name: 'dayofyear', sluice: dayofyear('d'), sql: 'dayofyear(d)' },
  { name: 'weekofyear (ISO)', sluice: weekofyear('d'), sql: 'weekofyear(d)' },
  { name: 'quarter', sluice: quarter('ts'), sql: 'quarter(ts)' },
  { name: 'lastDay', sluice: lastDay('d'), sql: 'last_day(d)' },
  { name: 'nextDay Monday', sluice: nextDay('d', 'Mon'), sql: 'd + CASE WHEN (8 - isodow(d)) % 7 = 0 THEN 7 ELSE ((8 - isodow(d)) % 7)::INTEGER END' },
  {
    name: 'nextDay Sunday (full name)',
    sluice: nextDay('d', 'sunday'),
    sql: 'd + CASE WHEN (7 - isodow(d)) % 7 = 0 THEN 7 ELSE ((7 - isodow(d)) % 7)::INTEGER END',
  },
  { name: 'trunc month', sluice: trunc('d', 'month'), sql: "date_trunc('month', d)" },
  { name: 'trunc quarter', sluice: trunc('d', 'quarter'), sql: "date_trunc('quarter', d)" },
  { name: 'trunc week (Monday)', sluice: trunc('d', 'week'), sql: "date_trunc('week', d)" },
  { name: 'trunc year', sluice: trunc('d', 'yyyy'), sql: "date_trunc('year', d)" },
  { name: 'dateFormat numeric', sluice: dateFormat('ts', 'yyyy-MM-dd HH:mm:ss'), sql: "strftime(ts, '%Y-%m-%d %H:%M:%S')" },
  { name: 'dateFormat names', sluice: dateFormat('ts', 'EEE, dd MMM yyyy hh:mm a'), sql: "strftime(ts, '%a, %d %b %Y %I:%M %p')" },
  { name: 'dateFormat long names and day of year', sluice: dateFormat('d', 'EEEE MMMM DDD'), sql: "strftime(d, '%A %B %j')" },
  { name: 'dateFormat fraction', sluice: dateFormat('ts', 'HH:mm:ss.SSS'), sql: "strftime(ts, '%H:%M:%S.%g')" },
  { name: 'timestamp + interval minutes', sluice: col('ts').plus(interval('10 minutes')), sql: 'ts + INTERVAL 10 MINUTE' },
  { name: 'timestamp - interval month and days', sluice: col('ts').minus(interval('1 month 2 days')), sql: 'ts - INTERVAL 1 MONTH - INTERVAL 2 DAY' },
  { name: 'interval + timestamp', sluice: interval('1 year 36 hours').plus(col('ts')), sql: 'ts + INTERVAL 1 YEAR + INTERVAL 36 HOUR' },
  { name: 'date + interval month stays a date', sluice: col('d').plus(interval('1 month')), sql: '(d + INTERVAL 1 MONTH)::DATE' },
  { name: 'date + interval with time becomes a timestamp', sluice: col('d').plus(interval('90 minutes')), sql: 'd + INTERVAL 90 MINUTE' },
  { name: 'date + n days', sluice: col('d').plus(col('n')), sql: 'd + n' },
  { name: 'date - n days', sluice: col('d').minus(7), sql: 'd - 7' },
];

describe('date/time functions: Sluice vs DuckDB (Spark semantics)', () => {
  let sluice: Sluice;
  let duck: DuckDbClient;
  let df: DataFrame;

  beforeAll(async () => {
    duck = await DuckDbClient.open(1);
    await loadDuck(duck, 'd', seed);
    sluice = await Sluice.builder().workers(1).getOrCreate();
    df = sluiceTable(sluice, seed);
  });
  afterAll(async () => {
    await sluice?.stop();
    duck?.close();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const [got, want] = await runCase(df, duck, 'd', c);
      expect(got).toEqual(want);
    });
  }

  it('monthsBetween (Spark values; DuckDB has no months_between)', async () => {
    const pairs = sluice.createDataFrame(
      [
        { id: 0, a: '1997-02-28 10:30:00', b: '1996-10-30 00:00:00' }, // Spark docs: 3.94959677
        { id: 1, a: '1996-10-30 00:00:00', b: '1997-02-28 10:30:00' }, // negative: -3.94959677
        { id: 2, a: '2024-02-29 08:00:00', b: '2024-01-31 23:00:00' }, // both month ends: 1
        { id: 3, a: '2024-03-15 01:00:00', b: '2023-12-15 23:00:00' }, // same day of month: 3, time ignored
        { id: 4, a: '2024-03-01 00:00:00', b: '2024-02-29 00:00:00' }, // 1 - 28/31 = 0.09677419
        { id: 5, a: null, b: '2024-02-29 00:00:00' },
      ],
      'id INT, a TIMESTAMP, b TIMESTAMP',
    );
    const rows = await pairs
      .select(col('id'), monthsBetween('a', 'b').alias('m'), monthsBetween('a', 'b', false).alias('raw'))
      .orderBy('id')
      .toArray();
    expect(rows.map((r) => r.m)).toEqual([3.94959677, -3.94959677, 1, 3, 0.09677419, null]);
    expect(rows[0]?.raw).toBeCloseTo(3.9495967741935485, 15);
  });
});
