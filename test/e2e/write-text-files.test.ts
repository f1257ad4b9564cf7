import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col, collectList, lit, struct } from '../../dataframe/expr/functions.js';
import { createMap } from '../../dataframe/expr/functions-collections.js';
import { Sluice } from '../../engine/session/sluice.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';

let sluice: Sluice;
let dir: string;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-write-text-'));
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

const DDL = 'id BIGINT, name STRING, x DOUBLE, ok BOOLEAN, day DATE, t TIMESTAMP';

/** Rows with Spark's formatting edge cases: doubles, nulls, an empty string, separators and quotes, timestamps with micros. */
function edgeRows() {
  return sluice.createDataFrame(
    [
      [1n, 'plain', 1, true, new Date(Date.UTC(2024, 0, 31)), new Date(Date.UTC(2024, 0, 31, 10, 0, 0, 123))],
      [2n, 'a,b', 1e10, false, null, new Date(Date.UTC(1999, 11, 31, 23, 59, 59))],
      [3n, 'say "hi"', Number.NaN, null, new Date(Date.UTC(2024, 1, 29)), null],
      [4n, '', -0.000123, true, null, null],
      [5n, null, null, null, null, null],
      [6n, '  padded  ', Number.POSITIVE_INFINITY, false, null, null],
    ],
    DDL,
  );
}

function partFile(out: string, suffix: string): string {
  const parts = readdirSync(out).filter((f) => f.endsWith(suffix));
  expect(parts).toHaveLength(1);
  expect(readdirSync(out)).toContain('_SUCCESS');
  return readFileSync(join(out, parts[0] as string), 'utf8');
}

describe('write.csv', () => {
  it("writes Spark's CSV text: no header by default, nulls empty, empty string quoted, Java doubles, ISO timestamps", async () => {
    const out = join(dir, 'plain-csv');
    await edgeRows().orderBy('id').write.csv(out);
    expect(partFile(out, '.csv')).toBe(
      [
        '1,plain,1.0,true,2024-01-31,2024-01-31T10:00:00.123Z',
        '2,"a,b",1.0E10,false,,1999-12-31T23:59:59.000Z',
        '3,"say \\"hi\\"",NaN,,2024-02-29,',
        '4,"",-1.23E-4,true,,',
        '5,,,,,',
        '6,padded,Infinity,false,,',
        '',
      ].join('\n'),
    );
  });

  it('writes the header on request and reads back with Sluice and DuckDB', async () => {
    const out = join(dir, 'header-csv');
    await edgeRows().filter(col('id').lt(6)).orderBy('id').write.option('header', true).csv(out);
    expect(partFile(out, '.csv').split('\n')[0]).toBe('id,name,x,ok,day,t');
    const back = await sluice.read.schema(DDL).option('header', true).csv(out);
    const rows = await back.orderBy('id').toArray();
    expect(rows.map((r) => [r.id, r.name, r.x, r.ok, r.t instanceof Date ? r.t.getTime() : r.t])).toEqual([
      [1n, 'plain', 1, true, Date.UTC(2024, 0, 31, 10, 0, 0, 123)],
      [2n, 'a,b', 1e10, false, Date.UTC(1999, 11, 31, 23, 59, 59)],
      [3n, 'say "hi"', Number.NaN, null, null],
      [4n, '', -0.000123, true, null],
      [5n, null, null, null, null],
    ]);
    const duck = await DuckDbClient.open();
    try {
      const d = await duck.query(
        `SELECT id, name, ok, epoch_ms(t::TIMESTAMPTZ) AS ms FROM read_csv('${out}/*.csv', header=true, escape='\\', allow_quoted_nulls=false) ORDER BY id`,
      );
      expect(d.map((r) => `${r.id}|${r.name}|${r.ok}|${r.ms}`)).toEqual([
        '1|plain|true|1706695200123',
        '2|a,b|false|946684799000',
        '3|say "hi"|null|null',
        '4||true|null',
        '5|null|null|null',
      ]);
    } finally {
      duck.close();
    }
  });

  it('honours options and save modes, and refuses struct columns and unknown options', async () => {
    const out = join(dir, 'opts-csv');
    const df = sluice.createDataFrame([{ a: 'x y', b: null }], 'a STRING, b STRING');
    await df.write.options({ sep: ';', nullValue: 'NULL', quoteAll: true }).csv(out);
    expect(partFile(out, '.csv')).toBe('"x y";NULL\n');
    await expect(df.write.csv(out)).rejects.toThrow(expect.objectContaining({ code: 'PATH_EXISTS' }));
    await df.write.mode('overwrite').format('csv').save(out);
    expect(partFile(out, '.csv')).toBe('x y,\n');
    await expect(df.write.option('heder' as 'header', true).csv(join(dir, 'bad'))).rejects.toThrow(/Unknown option 'heder'.*header/);
    const times = join(dir, 'times-csv');
    await edgeRows()
      .filter(col('id').lt(3))
      .orderBy('id')
      .select('day', 't')
      .write.options({ dateFormat: 'dd/MM/yyyy', timestampFormat: "yyyy-MM-dd'T'HH:mm:ss" })
      .csv(times);
    expect(partFile(times, '.csv')).toBe('31/01/2024,2024-01-31T10:00:00\n,1999-12-31T23:59:59\n');
    await expect(df.write.option('timestampFormat', 'yyyy-MM-dd WW').csv(join(dir, 'bad-pattern'))).rejects.toThrow(/Unsupported letter 'W'/);
    await expect(nested().write.csv(join(dir, 'nested-csv'))).rejects.toThrow(/column 'p' of type struct/);
  });
});

/** One row `n: null, p: {q: 1, r: [1, 2]}` (a struct holding a list). */
function nested() {
  return sluice
    .createDataFrame(
      [
        { q: 1n, v: 1n },
        { q: 1n, v: 2n },
      ],
      'q BIGINT, v BIGINT',
    )
    .groupBy('q')
    .agg(collectList('v').alias('r'))
    .select(lit(null).cast('string').alias('n'), struct('q', 'r').alias('p'));
}

describe('write.json', () => {
  it('writes JSON lines as Spark: null fields left out, NaN as a string, Java doubles, nested values', async () => {
    const out = join(dir, 'plain-json');
    await edgeRows().orderBy('id').write.json(out);
    expect(partFile(out, '.json')).toBe(
      [
        '{"id":1,"name":"plain","x":1.0,"ok":true,"day":"2024-01-31","t":"2024-01-31T10:00:00.123Z"}',
        '{"id":2,"name":"a,b","x":1.0E10,"ok":false,"t":"1999-12-31T23:59:59.000Z"}',
        '{"id":3,"name":"say \\"hi\\"","x":"NaN","day":"2024-02-29"}',
        '{"id":4,"name":"","x":-1.23E-4,"ok":true}',
        '{"id":5}',
        '{"id":6,"name":"  padded  ","x":"Infinity","ok":false}',
        '',
      ].join('\n'),
    );
    const nestedOut = join(dir, 'nested-json');
    await nested().write.option('ignoreNullFields', false).json(nestedOut);
    expect(partFile(nestedOut, '.json')).toBe('{"n":null,"p":{"q":1,"r":[1,2]}}\n');
    // Maps are objects, keys as text (Spark's JSON writer); CSV refuses them.
    const maps = sluice
      .createDataFrame([{ k: 'a', n: 1n }], 'k STRING, n BIGINT')
      .select(createMap(col('k'), col('n'), lit('b'), lit(null).cast('bigint')).alias('m'));
    const mapsOut = join(dir, 'map-json');
    await maps.write.json(mapsOut);
    expect(partFile(mapsOut, '.json')).toBe('{"m":{"a":1,"b":null}}\n');
    await expect(maps.write.csv(join(dir, 'map-csv'))).rejects.toThrow(/column 'm' of type map/);
  });

  it('reads back with Sluice and DuckDB, partitioned folders included', async () => {
    const out = join(dir, 'parted-json');
    await edgeRows().write.partitionBy('ok').json(out);
    expect(readdirSync(out).sort()).toEqual(['_SUCCESS', 'ok=__HIVE_DEFAULT_PARTITION__', 'ok=false', 'ok=true']);
    const back = await sluice.read.schema('id BIGINT, name STRING, x DOUBLE').json(out);
    expect((await back.orderBy('id').toArray()).map((r) => `${r.id}:${r.name}:${r.ok}`)).toEqual([
      '1:plain:true',
      '2:a,b:false',
      '3:say "hi":null',
      '4::true',
      '5:null:null',
      '6:  padded  :false',
    ]);
    const duck = await DuckDbClient.open();
    try {
      const d = await duck.query(`SELECT count(*) AS n, sum(id) AS s FROM read_json_auto('${out}/*/*.json')`);
      expect(d).toEqual([{ n: 6n, s: 21n }]);
    } finally {
      duck.close();
    }
  });
});
