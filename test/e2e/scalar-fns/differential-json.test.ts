import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../../index.js';
import { Sluice, col, createMap, getJsonObject, lit, struct, toJson } from '../../../index.js';
import { DuckDbClient } from '../../helpers/duckdb-client.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import type { FnCase, SeedTable } from '../../helpers/scalar-fn-diff.js';
import { loadDuck, runCase, sluiceTable } from '../../helpers/scalar-fn-diff.js';

/**
 * JSON functions and nested read.json against DuckDB on seeded rows with nulls, invalid
 * JSON, empty strings, unicode and nested arrays. to_json differs from DuckDB's (Spark
 * leaves null fields out; DuckDB writes them), so its cases assert Spark's values.
 */
const DOCS: readonly (string | null)[] = [
  '{"a":{"b":[1,2,{"c":"x"}]},"s":"str","n":1.5,"arr":[10,20,30]}',
  '{"a":null,"s":null}',
  'not json',
  '',
  null,
  '{"s":"ünïcödé 😀","arr":[]}',
  '{"a":{"b":"deep"},"n":-7}',
  '{"s":"has \\"quotes\\" and \\\\ backslash"}',
];

const seed: SeedTable = {
  ddl: 'id INT, j STRING, k STRING, x DOUBLE',
  duckColumns: [
    ['id', 'INTEGER'],
    ['j', 'VARCHAR'],
    ['k', 'VARCHAR'],
    ['x', 'DOUBLE'],
  ],
  rows: DOCS.map((j, i) => ({ id: i, j, k: i % 3 === 0 ? null : `k${i}`, x: i === 2 ? null : i * 1.5 - 3 })),
};

const valid = (path: string): string => `CASE WHEN json_valid(j) AND j <> '' THEN json_extract_string(j, '${path}') END`;

const cases: FnCase[] = [
  { name: 'getJsonObject string', sluice: getJsonObject('j', '$.s'), sql: valid('$.s') },
  { name: 'getJsonObject number', sluice: getJsonObject('j', '$.n'), sql: valid('$.n') },
  { name: 'getJsonObject nested path', sluice: getJsonObject('j', '$.a.b[2].c'), sql: valid('$.a.b[2].c') },
  { name: 'getJsonObject array index', sluice: getJsonObject('j', '$.arr[1]'), sql: valid('$.arr[1]') },
  { name: 'getJsonObject object as JSON text', sluice: getJsonObject('j', '$.a'), sql: valid('$.a') },
  { name: 'getJsonObject bracket key', sluice: getJsonObject('j', "$['s']"), sql: valid('$.s') },
  {
    // Spark returns null for a path that does not start with '$'; DuckDB would read it as a key.
    name: 'getJsonObject invalid path (Spark: null)',
    sluice: getJsonObject('j', 's'),
    spark: { 0: null, 5: null },
  },
  {
    // Spark's to_json leaves null fields out (DuckDB writes "k":null) and writes doubles as Java does.
    name: 'toJson of a struct (Spark values)',
    sluice: toJson(struct(col('id'), col('k'), col('x'))),
    spark: { 0: '{"id":0,"x":-3.0}', 1: '{"id":1,"k":"k1","x":-1.5}', 2: '{"id":2,"k":"k2"}', 4: '{"id":4,"k":"k4","x":3.0}' },
  },
  {
    // Map values keep their nulls (only struct fields are left out).
    name: 'toJson of a map (Spark values)',
    sluice: toJson(createMap(lit('k'), col('x'))),
    spark: { 0: '{"k":-3.0}', 2: '{"k":null}' },
  },
  {
    name: 'toJson of a nested struct with a timestamp (Spark values)',
    sluice: toJson(struct(struct(col('id').alias('n')).alias('inner'), lit('2024-02-29 13:45:00.5').cast('timestamp').alias('t'))),
    spark: { 3: '{"inner":{"n":3},"t":"2024-02-29T13:45:00.500Z"}' },
  },
];

describe('JSON functions: Sluice vs DuckDB (Spark semantics)', () => {
  let sluice: Sluice;
  let duck: DuckDbClient;
  let df: DataFrame;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-json-diff-'));
    duck = await DuckDbClient.open(1);
    await loadDuck(duck, 'j', seed);
    sluice = await Sluice.builder().workers(1).getOrCreate();
    df = sluiceTable(sluice, seed);
  });
  afterAll(async () => {
    await sluice?.stop();
    duck?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(c.name, async () => {
      const [got, want] = await runCase(df, duck, 'j', c);
      expect(got).toEqual(want);
    });
  }

  it('read.json reads nested objects as structs and arrays (same fields as DuckDB read_json)', async () => {
    const p = join(dir, 'nested.json');
    writeFileSync(
      p,
      [
        '{"id":1,"user":{"name":"ann","addr":{"city":"Oslo","zip":"0150"}},"items":[{"sku":"x1","qty":2},{"sku":"y2","qty":1}]}',
        '{"id":2,"user":{"name":"bøb","age":41},"items":[]}',
        '{"id":3,"user":null,"items":[{"sku":"z3","qty":-1}]}',
        '{"id":4}',
      ].join('\n'),
    );
    const nested = await sluice.read.json(p);
    const got = await nested
      .select(col('id'), col('user.name').alias('name'), col('user.addr.city').alias('city'), col('user.age').alias('age'), toJson(col('items')).alias('items'))
      .toArray();
    const want = await duck.query(
      `SELECT id, "user".name AS name, "user".addr.city AS city, "user".age AS age,
         to_json(list_transform(items, x -> struct_pack(qty := x.qty, sku := x.sku))) AS items
       FROM read_json('${p}', format = 'newline_delimited')`,
    );
    // Spark infers struct fields sorted by name (qty before sku); DuckDB keeps file order, so its side lists them sorted.
    const cols = ['id', 'name', 'city', 'age', 'items'];
    expect(normalizeRows(got, cols)).toEqual(normalizeRows(want, cols));
  });
});
