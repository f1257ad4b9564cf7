import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import { writeParquetFile } from '../../sinks/file/parquet-writer.js';
import { writePartitioned } from '../../sinks/file/write-dataset.js';
import { runPython } from './python-interop.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-interop-write-'));

const schema = schemaOf([
  field('i32', types.int32),
  field('i64', types.int64, false),
  field('f', types.float64),
  field('s', types.utf8),
  field('b', types.boolean),
  field('d', types.date),
  field('ts_ms_utc', types.timestamp('ms', 'UTC')),
  field('ts_us', types.timestamp('us')),
  field('l', types.list(types.int64)),
]);

const N = 300;
function batch(from: number, to: number) {
  const ids = Array.from({ length: to - from }, (_, k) => from + k);
  const dict = vectorFromValues(types.utf8, ['red', 'grün', '']);
  const s: ColumnVector = {
    type: types.utf8,
    length: ids.length,
    validity: Uint8Array.from(ids, (i) => (i % 10 === 0 ? 0 : 1)),
    values: Int32Array.from(ids, (i) => i % 3),
    dictionary: dict,
  };
  return makeBatch(schema, [
    vectorFromValues(
      types.int32,
      ids.map((i) => (i % 4 === 0 ? null : i - 100)),
    ),
    vectorFromValues(
      types.int64,
      ids.map((i) => BigInt(i) * 10_000_000_000n),
    ),
    vectorFromValues(
      types.float64,
      ids.map((i) => (i % 5 === 0 ? null : i / 8)),
    ),
    s,
    vectorFromValues(
      types.boolean,
      ids.map((i) => (i % 6 === 0 ? null : i % 2 === 1)),
    ),
    vectorFromValues(
      types.date,
      ids.map((i) => i - 150),
    ),
    vectorFromValues(
      types.timestamp('ms', 'UTC'),
      ids.map((i) => BigInt(i) * 1001n - 50n),
    ),
    vectorFromValues(
      types.timestamp('us'),
      ids.map((i) => BigInt(i) * 1_000_003n),
    ),
    vectorFromValues(
      types.list(types.int64),
      ids.map((i) => (i % 7 === 0 ? null : Array.from({ length: i % 3 }, (_, k) => BigInt(i + k)))),
    ),
  ]);
}

const READ_BACK = `
import sys, json, datetime as dt
import pyarrow as pa, pyarrow.parquet as pq, pyarrow.dataset as ds, duckdb
path, mode = sys.argv[1], sys.argv[2]
def enc(v):
    if v is None: return None
    if isinstance(v, dt.datetime):
        base = v.astimezone(dt.timezone.utc).replace(tzinfo=None) if v.tzinfo else v
        return (base - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)
    if isinstance(v, dt.date): return (v - dt.date(1970, 1, 1)).days
    if isinstance(v, list): return [enc(x) for x in v]
    return v
if mode == 'file':
    t = pq.read_table(path)
    meta = pq.ParquetFile(path).metadata
    con = duckdb.connect()
    desc = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    rows = con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
    logical = [str(meta.schema.column(i).logical_type) for i in range(meta.num_columns)]
    print(json.dumps({
      'pyarrowTypes': [str(f.type) for f in t.schema], 'nullable': [f.nullable for f in t.schema],
      'pyarrowRows': [[enc(v) for v in r.values()] for r in t.to_pylist()],
      'duckTypes': [d[1] for d in desc], 'duckRows': [[enc(v) for v in r] for r in rows],
      'rowGroups': meta.num_row_groups, 'codec': meta.row_group(0).column(0).compression, 'logical': logical}))
else:
    t = ds.dataset(path, format='parquet', partitioning='hive').to_table().sort_by([('v', 'ascending')])
    con = duckdb.connect()
    rows = con.execute(f"SELECT v, k, n FROM read_parquet('{path}/**/*.parquet', hive_partitioning=true) ORDER BY v").fetchall()
    print(json.dumps({'pyarrowTypes': [f.name + ':' + str(f.type) for f in t.schema], 'pyarrowRows': [[enc(v) for v in r.values()] for r in t.to_pylist()],
      'duckRows': [[enc(v) for v in r] for r in rows]}))
`;

interface FileResult {
  pyarrowTypes: string[];
  nullable: boolean[];
  pyarrowRows: unknown[][];
  duckTypes: string[];
  duckRows: unknown[][];
  rowGroups: number;
  codec: string;
  logical: string[];
}

function expectedRow(i: number): unknown[] {
  return [
    i % 4 === 0 ? null : i - 100,
    i * 10_000_000_000,
    i % 5 === 0 ? null : i / 8,
    i % 10 === 0 ? null : (['red', 'grün', ''][i % 3] as string),
    i % 6 === 0 ? null : i % 2 === 1,
    i - 150,
    (i * 1001 - 50) * 1000,
    i * 1_000_003,
    i % 7 === 0 ? null : Array.from({ length: i % 3 }, (_, k) => i + k),
  ];
}

describe('files written by Sluice, read by pyarrow and DuckDB', () => {
  it('writeParquetFile: identical values and types', async () => {
    const path = join(dir, 'all.parquet');
    const res = await writeParquetFile(path, schema, [batch(0, 120), batch(120, N)], { rowGroupSize: 100 });
    expect(res.rows).toBe(N);
    const r = runPython<FileResult>(dir, 'read_back.py', READ_BACK, [path, 'file']);
    expect(r.pyarrowTypes).toEqual([
      'int32',
      'int64',
      'double',
      'string',
      'bool',
      'date32[day]',
      'timestamp[ms, tz=UTC]',
      'timestamp[us]',
      'list<item: int64>',
    ]);
    expect(r.nullable[1]).toBe(false);
    expect(r.duckTypes).toEqual(['INTEGER', 'BIGINT', 'DOUBLE', 'VARCHAR', 'BOOLEAN', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP', 'BIGINT[]']);
    expect(r.logical[6]).toContain('isAdjustedToUTC=true');
    expect(r.logical[7]).toContain('isAdjustedToUTC=false');
    expect(r.rowGroups).toBe(3);
    expect(r.codec).toBe('ZSTD');
    const expected = Array.from({ length: N }, (_, i) => expectedRow(i));
    expect(r.pyarrowRows).toEqual(expected);
    expect(r.duckRows).toEqual(expected);
  });

  it('writePartitioned: Hive folders read back by both', async () => {
    const out = join(dir, 'parts');
    mkdirSync(out);
    const ps = schemaOf([field('v', types.int32), field('k', types.utf8), field('n', types.int64)]);
    const b = makeBatch(ps, [
      vectorFromValues(types.int32, [1, 2, 3, 4]),
      vectorFromValues(types.utf8, ['x', 'y', null, 'x']),
      vectorFromValues(types.int64, [10n, null, 30n, 40n]),
    ]);
    const paths = await writePartitioned(out, ps, [b], ['k'], 3, { compression: 'snappy' });
    expect(paths.length).toBe(3);
    const r = runPython<{ pyarrowTypes: string[]; pyarrowRows: unknown[][]; duckRows: unknown[][] }>(dir, 'read_back.py', READ_BACK, [out, 'dataset']);
    expect(r.pyarrowTypes).toEqual(['v:int32', 'n:int64', 'k:string']);
    expect(r.pyarrowRows).toEqual([
      [1, 10, 'x'],
      [2, null, 'y'],
      [3, 30, null],
      [4, 40, 'x'],
    ]);
    expect(r.duckRows).toEqual([
      [1, 'x', 10],
      [2, 'y', null],
      [3, null, 30],
      [4, 'x', 40],
    ]);
  });
});
