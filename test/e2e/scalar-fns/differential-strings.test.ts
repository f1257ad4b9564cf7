import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../../index.js';
import {
  Sluice,
  col,
  concatWs,
  formatString,
  initcap,
  instr,
  lit,
  locate,
  lpad,
  ltrim,
  regexpExtract,
  regexpReplace,
  repeat,
  reverse,
  rlike,
  rpad,
  rtrim,
  split,
  substringIndex,
  translate,
  trim,
} from '../../../index.js';
import { DuckDbClient } from '../../helpers/duckdb-client.js';
import type { FnCase, SeedTable } from '../../helpers/scalar-fn-diff.js';
import { loadDuck, runCase, sluiceTable } from '../../helpers/scalar-fn-diff.js';

/**
 * The string and regexp functions against DuckDB on seeded rows with nulls, empty strings,
 * unicode (accents, CJK, emoji outside the BMP) and negative counts. Where DuckDB's
 * semantics differ from Spark's, or DuckDB has no such function, the case asserts Spark's
 * documented values instead and says why.
 */
const TEXT: readonly (string | null)[] = [
  'Hello World',
  '  padded  text  ',
  '',
  null,
  'ünïcödé straße',
  '日本語テキスト',
  'a,b,,c,',
  'foo123bar456',
  'x-y_z.w',
  '😀 smile 😀',
  'MiXeD cAsE wOrDs',
  'www.apache.org',
];

const seed: SeedTable = {
  ddl: 'id INT, s STRING, t STRING, n INT',
  duckColumns: [
    ['id', 'INTEGER'],
    ['s', 'VARCHAR'],
    ['t', 'VARCHAR'],
    ['n', 'INTEGER'],
  ],
  rows: TEXT.map((s, i) => ({ id: i, s, t: i % 3 === 0 ? null : `t${i}`, n: i % 4 === 1 ? null : i - 5 })),
};

const cases: FnCase[] = [
  { name: 'regexpReplace class', sluice: regexpReplace('s', '[aeiou]', '*'), sql: "regexp_replace(s, '[aeiou]', '*', 'g')" },
  { name: 'regexpReplace groups', sluice: regexpReplace('s', '(\\w+) (\\w+)', '$2 $1'), sql: "regexp_replace(s, '(\\w+) (\\w+)', '\\2 \\1', 'g')" },
  { name: 'regexpReplace digits', sluice: regexpReplace('s', '\\d+', '#'), sql: "regexp_replace(s, '\\d+', '#', 'g')" },
  { name: 'regexpExtract group 1', sluice: regexpExtract('s', '([a-z]+)(\\d+)', 1), sql: "regexp_extract(s, '([a-z]+)(\\d+)', 1)" },
  { name: 'regexpExtract group 0', sluice: regexpExtract('s', '\\d+', 0), sql: "regexp_extract(s, '\\d+', 0)" },
  { name: 'rlike', sluice: rlike('s', '^[A-Za-z]+ [A-Z]'), sql: "regexp_matches(s, '^[A-Za-z]+ [A-Z]')" },
  { name: 'Column.rlike unicode', sluice: col('s').rlike('ß|語'), sql: "regexp_matches(s, 'ß|語')" },
  { name: 'split comma keeps empty parts', sluice: split('s', ','), sql: "string_split_regex(s, ',')" },
  {
    // DuckDB's string_split_regex has no limit; Spark: limit 2 keeps the rest in the last part.
    name: 'split with limit (Spark values)',
    sluice: split('s', ',', 2),
    spark: { 0: ['Hello World'], 2: [''], 3: null, 6: ['a', 'b,,c,'] },
  },
  { name: 'concatWs skips nulls', sluice: concatWs('|', 's', 't', lit(null)), sql: "concat_ws('|', s, t, NULL)" },
  { name: 'lpad', sluice: lpad('s', 12, '*-'), sql: "lpad(s, 12, '*-')" },
  { name: 'rpad', sluice: rpad('s', 5, '.'), sql: "rpad(s, 5, '.')" },
  { name: 'lpad negative length (Spark: empty)', sluice: lpad('s', -1, 'x'), spark: { 0: '', 3: null } },
  { name: 'ltrim', sluice: ltrim('s'), sql: 'ltrim(s)' },
  { name: 'rtrim', sluice: rtrim('s'), sql: 'rtrim(s)' },
  { name: 'trim chars', sluice: trim('s', 'wo.'), sql: "trim(s, 'wo.')" },
  { name: 'ltrim chars', sluice: ltrim('s', 'w.'), sql: "ltrim(s, 'w.')" },
  { name: 'rtrim chars', sluice: rtrim('s', ',c'), sql: "rtrim(s, ',c')" },
  {
    // DuckDB has no initcap; Spark upper-cases letters after a space and lower-cases the rest.
    name: 'initcap (Spark values)',
    sluice: initcap('s'),
    spark: { 0: 'Hello World', 1: '  Padded  Text  ', 2: '', 3: null, 4: 'Ünïcödé Straße', 8: 'X-y_z.w', 10: 'Mixed Case Words' },
  },
  { name: 'translate', sluice: translate('s', 'lo ', 'L0'), sql: "translate(s, 'lo ', 'L0')" },
  {
    name: 'formatString',
    sluice: formatString('%s|%-6s|%05d|%x', 's', 't', 'id', 'id'),
    // Java prints a null %s argument as "null"; DuckDB's printf would give NULL, so it gets the text.
    sql: "printf('%s|%-6s|%05d|%x', coalesce(s, 'null'), coalesce(t, 'null'), id, id)",
  },
  {
    // Java's Formatter prints a null argument as "null" (DuckDB's printf gives NULL).
    name: 'formatString null argument (Spark values)',
    sluice: formatString('[%s] %d', 't', 'n'),
    spark: { 0: '[null] -5', 1: '[t1] null', 2: '[t2] -3' },
  },
  {
    // DuckDB has no substring_index; values from Spark's definition.
    name: 'substringIndex (Spark values)',
    sluice: substringIndex('s', '.', 2),
    spark: { 11: 'www.apache', 0: 'Hello World', 2: '', 3: null },
  },
  {
    name: 'substringIndex from the end, fewer delimiters give the whole string (Spark values)',
    sluice: substringIndex('s', '.', -2),
    spark: { 11: 'apache.org', 8: 'x-y_z.w', 0: 'Hello World' },
  },
  { name: 'instr', sluice: instr('s', 'o'), sql: "instr(s, 'o')" },
  { name: 'instr unicode', sluice: instr('s', 'ß'), sql: "instr(s, 'ß')" },
  {
    name: 'locate from position 6',
    sluice: locate('o', 's', 6),
    sql: "CASE WHEN instr(substr(s, 6), 'o') = 0 THEN 0 ELSE instr(substr(s, 6), 'o') + 5 END",
  },
  { name: 'locate pos 0 (Spark: 0)', sluice: locate('o', 's', 0), spark: { 0: 0, 3: null } },
  { name: 'repeat by column (negative -> empty)', sluice: repeat('s', 2), sql: 'repeat(s, 2)' },
  { name: 'reverse', sluice: reverse('s'), sql: 'reverse(s)' },
  { name: 'reverse of an array', sluice: reverse(split('s', '[, ]')), sql: "list_reverse(string_split_regex(s, '[, ]'))" },
];

describe('string functions: Sluice vs DuckDB (Spark semantics)', () => {
  let sluice: Sluice;
  let duck: DuckDbClient;
  let df: DataFrame;

  beforeAll(async () => {
    duck = await DuckDbClient.open(1);
    await loadDuck(duck, 's', seed);
    sluice = await Sluice.builder().workers(1).getOrCreate();
    df = sluiceTable(sluice, seed);
  });
  afterAll(async () => {
    await sluice?.stop();
    duck?.close();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const [got, want] = await runCase(df, duck, 's', c);
      expect(got).toEqual(want);
    });
  }
});
