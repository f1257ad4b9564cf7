import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice, col, createMap, lit } from '../../index.js';
import { runPython } from './python-interop.js';

/**
 * Array and map columns round-trip through Parquet: Sluice writes them and pyarrow reads
 * them back as list and map types with the same values (null lists, empty lists, null
 * elements, null map values); pyarrow writes nested lists and maps and Sluice reads them.
 */
const dir = mkdtempSync(join(tmpdir(), 'sluice-interop-listmap-'));
let sluice: Sluice;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

const READ = `
import sys, json, glob
import pyarrow.parquet as pq
t = pq.read_table(sorted(glob.glob(sys.argv[1] + '/*.parquet')))
rows = t.to_pylist()
for r in rows:
    for k, v in r.items():
        if isinstance(v, list) and v and isinstance(v[0], tuple): r[k] = [list(e) for e in v]
print(json.dumps({'types': [f.name + ':' + str(f.type) for f in t.schema], 'rows': sorted(rows, key=lambda r: r['id'])}))
`;

const WRITE = `
import sys, json
import pyarrow as pa, pyarrow.parquet as pq
t = pa.table({
  'id': pa.array([1, 2, 3, 4], pa.int32()),
  'm': pa.array([[('a', 1.5), ('b', None)], None, [], [('z', -2.0)]], type=pa.map_(pa.string(), pa.float64())),
  'nested': pa.array([[[1, 2], None, []], [], None, [[None]]], type=pa.list_(pa.list_(pa.int64()))),
  'mi': pa.array([[(1, ['x'])], [(2, None), (3, [])], None, []], type=pa.map_(pa.int32(), pa.list_(pa.string()))),
})
pq.write_table(t, sys.argv[1], row_group_size=2)
print(json.dumps({'ok': True}))
`;

describe('array and map columns in Parquet', () => {
  it('Sluice writes list and map columns that pyarrow reads back with the same values', async () => {
    const df = sluice.createDataFrame(
      [
        { id: 1, xs: [1, null, 3], ss: ['a', 'b'], m: new Map([['k', 1]]) },
        { id: 2, xs: null, ss: [], m: null },
        {
          id: 3,
          xs: [],
          ss: null,
          m: new Map([
            ['p', null],
            ['q', 7],
          ]),
        },
      ],
      'id INT, xs array<bigint>, ss array<string>, m map<string,int>',
    );
    const out = join(dir, 'sluice-written');
    // A computed map goes through the writer too.
    await df.withColumn('cm', createMap(lit('id'), col('id'))).write.parquet(out);
    const got = runPython<{ types: string[]; rows: Record<string, unknown>[] }>(dir, 'read.py', READ, [out]);
    // pyarrow names a map's entries field in its type string (`int32 ('m')`): not part of the type.
    expect(got.types.map((t) => t.replace(/ \('\w+'\)/, ''))).toEqual([
      'id:int32',
      'xs:list<item: int64>',
      'ss:list<item: string>',
      'm:map<string, int32>',
      'cm:map<string, int32>',
    ]);
    expect(got.rows).toEqual([
      { id: 1, xs: [1, null, 3], ss: ['a', 'b'], m: [['k', 1]], cm: [['id', 1]] },
      { id: 2, xs: null, ss: [], m: null, cm: [['id', 2]] },
      {
        id: 3,
        xs: [],
        ss: null,
        m: [
          ['p', null],
          ['q', 7],
        ],
        cm: [['id', 3]],
      },
    ]);
    const back = await (await sluice.read.parquet(out)).orderBy('id').toArray();
    expect(back.map((r) => r.m)).toEqual([
      new Map([['k', 1]]),
      null,
      new Map<string, number | null>([
        ['p', null],
        ['q', 7],
      ]),
    ]);
    expect(back.map((r) => r.xs)).toEqual([[1n, null, 3n], null, []]);
  });

  it('reads nested lists and maps of lists written by pyarrow', async () => {
    const file = join(dir, 'py.parquet');
    runPython(dir, 'write.py', WRITE, [file]);
    const df = await sluice.read.parquet(file);
    expect(df.schema.fields.map((f) => `${f.name}:${f.type.kind === 'map' ? `map<${f.type.key.kind},${f.type.value.kind}>` : f.type.kind}`)).toEqual([
      'id:int32',
      'm:map<utf8,float64>',
      'nested:list',
      'mi:map<int32,list>',
    ]);
    const rows = await df.orderBy('id').toArray();
    expect(rows).toEqual([
      {
        id: 1,
        m: new Map([
          ['a', 1.5],
          ['b', null],
        ]),
        nested: [[1n, 2n], null, []],
        mi: new Map([[1, ['x']]]),
      },
      {
        id: 2,
        m: null,
        nested: [],
        mi: new Map<number, string[] | null>([
          [2, null],
          [3, []],
        ]),
      },
      { id: 3, m: new Map(), nested: null, mi: null },
      { id: 4, m: new Map([['z', -2]]), nested: [[null]], mi: new Map() },
    ]);
  });
});
