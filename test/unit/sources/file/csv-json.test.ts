import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { types, typeName } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { inferFileSchema } from '../../../../sources/file/infer-schema.js';
import { listFiles } from '../../../../sources/file/list-files.js';
import { makeScan, readAll, rowsOf } from './scan-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-csv-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('CSV reading', () => {
  it('parses quoted fields with delimiters, quotes, escapes and newlines', async () => {
    const p = file('q.csv', 'id,name\n1,"a,b"\n2,"say ""hi"""\n3,"two\nlines"\r\n4,"esc \\" q"\n5,\n');
    const files = await listFiles(p);
    // Quoted newlines need multiLine, as in Spark.
    const schema = await inferFileSchema('csv', files, { header: true, inferSchema: true, multiLine: true });
    expect(schema.fields.map((f) => [f.name, f.type.kind])).toEqual([
      ['id', 'int32'],
      ['name', 'utf8'],
    ]);
    const rows = rowsOf(await readAll(makeScan('csv', files, schema, { header: true, multiLine: true })));
    expect(rows).toEqual([
      [1, 'a,b'],
      [2, 'say "hi"'],
      [3, 'two\nlines'],
      [4, 'esc " q'],
      [5, null],
    ]);
  });

  it('names columns _c0.. without header and keeps strings without inferSchema', async () => {
    const p = file('nh.csv', '1,x\n2,y\n');
    const files = await listFiles(p);
    const schema = await inferFileSchema('csv', files, {});
    expect(schema.fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual(['_c0:utf8', '_c1:utf8']);
    expect(rowsOf(await readAll(makeScan('csv', files, schema)))).toEqual([
      ['1', 'x'],
      ['2', 'y'],
    ]);
  });

  it('infers int -> bigint -> double, booleans, dates and timestamps', async () => {
    const p = file('types.csv', 'a,b,c,d,e,f\n1,1,1,true,2024-01-02,2024-01-02T03:04:05.123456Z\n2,5000000000,1.5,false,2024-02-03,2024-01-02 00:00:00\n');
    const schema = await inferFileSchema('csv', await listFiles(p), { header: 'true', inferSchema: 'true' });
    expect(schema.fields.map((f) => f.type)).toEqual([types.int32, types.int64, types.float64, types.boolean, types.date, types.timestamp('us')]);
    const rows = rowsOf(await readAll(makeScan('csv', await listFiles(p), schema, { header: true })));
    expect(rows[0]).toEqual([1, 1n, 1, true, new Date('2024-01-02T00:00:00Z'), new Date('2024-01-02T03:04:05.123Z')]);
    expect(rows[1]).toEqual([2, 5000000000n, 1.5, false, new Date('2024-02-03T00:00:00Z'), new Date('2024-01-02T00:00:00Z')]);
  });

  it('honours sep, quote, nullValue and a custom schema', async () => {
    const p = file('semi.csv', "x;'a;b'\nNA;'c'\n");
    const schema = schemaOf([field('n', types.int64), field('s', types.utf8)]);
    const rows = rowsOf(await readAll(makeScan('csv', await listFiles(p), schema, { sep: ';', quote: "'", nullValue: 'NA', mode: 'PERMISSIVE' })));
    expect(rows).toEqual([
      [null, 'a;b'],
      [null, 'c'],
    ]);
  });

  const bad = 'id,v\n1,10\n2,notanumber\n3\n4,40,extra\n5,50\n';
  const badSchema = schemaOf([field('id', types.int32), field('v', types.int32), field('_corrupt_record', types.utf8)]);

  it('PERMISSIVE keeps malformed rows with nulls and the raw line in _corrupt_record', async () => {
    const p = file('bad1.csv', bad);
    const rows = rowsOf(await readAll(makeScan('csv', await listFiles(p), badSchema, { header: true })));
    expect(rows).toEqual([
      [1, 10, null],
      [2, null, '2,notanumber'],
      [3, null, '3'],
      [4, 40, '4,40,extra'],
      [5, 50, null],
    ]);
  });

  it('DROPMALFORMED drops and counts malformed rows', async () => {
    const p = file('bad2.csv', bad);
    let dropped = 0;
    const scan = makeScan('csv', await listFiles(p), badSchema, { header: true, mode: 'DROPMALFORMED' }, ['id', 'v']);
    const rows = rowsOf(await readAll(scan, { onMalformed: (n) => (dropped += n) }));
    expect(rows).toEqual([
      [1, 10],
      [5, 50],
    ]);
    expect(dropped).toBe(3);
  });

  it('FAILFAST throws MALFORMED_RECORD naming file and line', async () => {
    const p = file('bad3.csv', 'id,v\n1,10\n"multi\nline",20\n2,x\n');
    const schema = schemaOf([field('id', types.utf8), field('v', types.int32)]);
    const err = await readAll(makeScan('csv', await listFiles(p), schema, { header: true, mode: 'FAILFAST', multiLine: true })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MALFORMED_RECORD' });
    expect(String((err as Error).message)).toContain(`'${p}' at line 5`);
  });

  it('reports an unterminated quote as malformed', async () => {
    const p = file('bad4.csv', 'a,b\n1,"open\n');
    const schema = schemaOf([field('a', types.utf8), field('b', types.utf8)]);
    const err = await readAll(makeScan('csv', await listFiles(p), schema, { header: true, mode: 'FAILFAST' })).catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain('line 2: a quoted field is not closed');
  });

  it('splits into batches of batchSize across small chunks and empty files', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => `${i},"v${i}"`).join('\n');
    const p = file('many.csv', lines);
    const e = file('empty.csv', '');
    const schema = schemaOf([field('i', types.int32), field('s', types.utf8)]);
    const batches = await readAll(makeScan('csv', await listFiles([p, e]), schema), { batchSize: 10 });
    expect(batches.map((b) => b.numRows)).toEqual([10, 10, 5]);
    expect(rowsOf(batches)[24]).toEqual([24, 'v24']);
  });
});

describe('JSON reading', () => {
  it('infers sorted fields, nested objects as structs and arrays as lists', async () => {
    const p = file('a.json', '{"b":1,"a":"x","o":{"k":1},"l":[1,2]}\n\n{"b":2.5,"a":null,"l":[]}\n{"c":true}\n');
    const files = await listFiles(p);
    const schema = await inferFileSchema('json', files, {});
    expect(schema.fields.map((f) => `${f.name}:${typeName(f.type)}`)).toEqual(['a:string', 'b:double', 'c:boolean', 'l:array<bigint>', 'o:struct<k:bigint>']);
    expect(rowsOf(await readAll(makeScan('json', files, schema)))).toEqual([
      ['x', 1, null, [1n, 2n], { k: 1n }],
      [null, 2.5, null, [], null],
      [null, null, true, null, null],
    ]);
  });

  it('reads nested JSON as structs and arrays to any depth, merging fields across lines (Spark inference)', async () => {
    const p = file(
      'nested.json',
      [
        '{"id":1,"user":{"name":"ann","tags":["a","b"],"addr":{"city":"Oslo"}},"items":[{"sku":"x1","qty":2},{"sku":"y2","qty":1}]}',
        '{"id":2,"user":{"name":"bob","age":41},"items":[],"m":[[1,2],[3]]}',
        '{"id":3,"user":null,"items":[{"sku":"z3","price":9.5}]}',
      ].join('\n'),
    );
    const files = await listFiles(p);
    const schema = await inferFileSchema('json', files, {});
    expect(schema.fields.map((f) => `${f.name}:${typeName(f.type)}`)).toEqual([
      'id:bigint',
      'items:array<struct<price:double,qty:bigint,sku:string>>',
      'm:array<array<bigint>>',
      'user:struct<addr:struct<city:string>,age:bigint,name:string,tags:array<string>>',
    ]);
    expect(rowsOf(await readAll(makeScan('json', files, schema)))).toEqual([
      [
        1n,
        [
          { price: null, qty: 2n, sku: 'x1' },
          { price: null, qty: 1n, sku: 'y2' },
        ],
        null,
        { addr: { city: 'Oslo' }, age: null, name: 'ann', tags: ['a', 'b'] },
      ],
      [2n, [], [[1n, 2n], [3n]], { addr: null, age: 41n, name: 'bob', tags: null }],
      [3n, [{ price: 9.5, qty: null, sku: 'z3' }], null, null],
    ]);
    // A string column given by the user still receives the JSON text.
    const asText = schemaOf([field('id', types.int64), field('user', types.utf8)]);
    expect(rowsOf(await readAll(makeScan('json', files, asText)))[0]).toEqual([1n, '{"name":"ann","tags":["a","b"],"addr":{"city":"Oslo"}}']);
  });

  it('applies the modes to bad lines', async () => {
    const p = file('bad.json', '{"id":1}\n{oops\n{"id":"two"}\n[1]\n{"id":5}\n');
    const schema = schemaOf([field('id', types.int64), field('_corrupt_record', types.utf8)]);
    const files = await listFiles(p);
    expect(rowsOf(await readAll(makeScan('json', files, schema)))).toEqual([
      [1n, null],
      [null, '{oops'],
      [null, '{"id":"two"}'],
      [null, '[1]'],
      [5n, null],
    ]);
    let dropped = 0;
    const kept = rowsOf(await readAll(makeScan('json', files, schema, { mode: 'DROPMALFORMED' }, ['id']), { onMalformed: (n) => (dropped += n) }));
    expect(kept).toEqual([[1n], [5n]]);
    expect(dropped).toBe(3);
    const err = await readAll(makeScan('json', files, schema, { mode: 'FAILFAST' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MALFORMED_RECORD' });
    expect(String((err as Error).message)).toContain('at line 2');
  });

  it('infers timestamps only with inferTimestamp', async () => {
    const p = file('ts.json', '{"t":"2024-05-06T07:08:09Z"}\n');
    const files = await listFiles(p);
    expect((await inferFileSchema('json', files, {})).fields[0]?.type).toEqual(types.utf8);
    const schema = await inferFileSchema('json', files, { inferTimestamp: true });
    expect(schema.fields[0]?.type).toEqual(types.timestamp('us'));
    expect(rowsOf(await readAll(makeScan('json', files, schema)))).toEqual([[new Date('2024-05-06T07:08:09Z')]]);
  });
});
