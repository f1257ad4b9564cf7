import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { typeName, types } from '../../common/data-type.js';
import { inferFileSchema } from '../../sources/file/infer-schema.js';
import { listFiles } from '../../sources/file/list-files.js';
import { makeScan, readAll, rowsOf } from '../unit/sources/file/scan-fixture.js';
import { runPython } from './python-interop.js';

const N = 1000;
const dir = mkdtempSync(join(tmpdir(), 'sluice-interop-read-'));

const WRITE_FILES = `
import sys, json, datetime as dt
import pyarrow as pa, pyarrow.parquet as pq, duckdb
out = sys.argv[1]
n = ${N}
epoch = dt.datetime(1970, 1, 1)
t = pa.table({
  'id': pa.array(range(n), pa.int64()),
  'i32': pa.array([None if i % 9 == 0 else i - 500 for i in range(n)], pa.int32()),
  's': pa.array([None if i % 11 == 0 else 'k%d' % (i % 5) for i in range(n)]).dictionary_encode(),
  'f': pa.array([None if i % 13 == 0 else i * 0.25 for i in range(n)], pa.float64()),
  'ts_us': pa.array([i * 1000001 - 5000 for i in range(n)], pa.timestamp('us')),
  'ts_ns': pa.array([None if i % 7 == 0 else i * 1000000123 - 1 for i in range(n)], pa.timestamp('ns')),
  'ts_tz': pa.array([i * 60000000 for i in range(n)], pa.timestamp('us', tz='UTC')),
  'd': pa.array([dt.date(2024, 1, 1) + dt.timedelta(days=i - 500) for i in range(n)], pa.date32()),
  'l': pa.array([None if i % 17 == 0 else list(range(i % 3)) for i in range(n)], pa.list_(pa.int64())),
  'b': pa.array([None if i % 19 == 0 else i % 2 == 0 for i in range(n)]),
})
pq.write_table(t, out + '/pa_zstd.parquet', compression='zstd', row_group_size=300, use_dictionary=True)
pq.write_table(t, out + '/pa_snappy_int96.parquet', compression='snappy', use_deprecated_int96_timestamps=True)
con = duckdb.connect()
con.execute(f"""COPY (SELECT range::BIGINT AS id, CASE WHEN range % 11 = 0 THEN NULL ELSE 'k' || (range % 5) END AS s,
  (range * 0.25)::DECIMAL(12, 2) AS f, TIMESTAMP '2024-01-01' + INTERVAL (range) SECOND AS ts, DATE '2024-01-01' + range::INTEGER AS d,
  (range - 500)::INTEGER AS i32 FROM range({n})) TO '{out}/duck.parquet' (FORMAT parquet)""")
meta = pq.ParquetFile(out + '/pa_zstd.parquet').metadata
print(json.dumps({'rowGroups': meta.num_row_groups, 'int96': str(pq.ParquetFile(out + '/pa_snappy_int96.parquet').schema.column(5).physical_type)}))
`;

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
};
const day = (i: number): Date => new Date(Date.UTC(2024, 0, 1) + (i - 500) * 86400000);

function expectedPyarrowRow(i: number): unknown[] {
  return [
    BigInt(i),
    i % 9 === 0 ? null : i - 500,
    i % 11 === 0 ? null : `k${i % 5}`,
    i % 13 === 0 ? null : i * 0.25,
    new Date(Number(floorDiv(BigInt(i) * 1000001n - 5000n, 1000n))),
    i % 7 === 0 ? null : new Date(Number(floorDiv(BigInt(i) * 1000000123n - 1n, 1000000n))),
    new Date(i * 60000),
    day(i),
    i % 17 === 0 ? null : Array.from({ length: i % 3 }, (_, k) => BigInt(k)),
    i % 19 === 0 ? null : i % 2 === 0,
  ];
}

describe('reading files written by pyarrow and DuckDB', () => {
  let info: { rowGroups: number; int96: string };
  beforeAll(() => {
    info = runPython(dir, 'write_files.py', WRITE_FILES, [dir]);
  });

  it('reads a pyarrow zstd file with dictionaries, nulls, row groups, us/ns and tz timestamps', async () => {
    expect(info.rowGroups).toBe(4);
    const files = await listFiles(join(dir, 'pa_zstd.parquet'));
    const schema = await inferFileSchema('parquet', files, {});
    expect(schema.fields.map((f) => f.type)).toEqual([
      types.int64,
      types.int32,
      types.utf8,
      types.float64,
      types.timestamp('us'),
      types.timestamp('us'),
      types.timestamp('us', 'UTC'),
      types.date,
      types.list(types.int64),
      types.boolean,
    ]);
    const batches = await readAll(makeScan('parquet', files, schema), { batchSize: 128 });
    expect(batches.some((b) => b.columns[2]?.dictionary !== undefined)).toBe(true);
    const rows = rowsOf(batches);
    expect(rows.length).toBe(N);
    rows.forEach((r, i) => {
      expect(r).toEqual(expectedPyarrowRow(i));
    });
    // Exact microseconds, beyond what Date shows.
    const us = batches[0]?.columns[5]?.values as BigInt64Array;
    expect(us[1]).toBe(floorDiv(1000000123n - 1n, 1000n));
    expect((batches[0]!.columns[4]!.values as BigInt64Array)[3]).toBe(3n * 1000001n - 5000n);
  });

  it('reads INT96 timestamps written with snappy', async () => {
    expect(info.int96).toBe('INT96');
    const files = await listFiles(join(dir, 'pa_snappy_int96.parquet'));
    const schema = await inferFileSchema('parquet', files, {});
    const rows = rowsOf(await readAll(makeScan('parquet', files, schema)));
    rows.forEach((r, i) => {
      expect(r).toEqual(expectedPyarrowRow(i));
    });
  });

  it('reads a DuckDB file', async () => {
    const files = await listFiles(join(dir, 'duck.parquet'));
    const schema = await inferFileSchema('parquet', files, {});
    // DuckDB writes the decimal as Parquet INT64 DECIMAL(12,2): read exactly (a decimal(22,2) would be refused as wider than 18 digits).
    expect(schema.fields.map((f) => `${f.name}:${typeName(f.type)}`)).toEqual([
      'id:bigint',
      's:string',
      'f:decimal(12,2)',
      'ts:timestamp[us]',
      'd:date',
      'i32:int',
    ]);
    const rows = rowsOf(await readAll(makeScan('parquet', files, schema)));
    expect(rows.length).toBe(N);
    rows.forEach((r, i) => {
      expect(r).toEqual([
        BigInt(i),
        i % 11 === 0 ? null : `k${i % 5}`,
        (i * 0.25).toFixed(2),
        new Date(Date.UTC(2024, 0, 1) + i * 1000),
        day(i + 500),
        i - 500,
      ]);
    });
  });
});
