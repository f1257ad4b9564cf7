import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice, col, count, field, schemaOf, struct, sum, types, window } from '../../index.js';
import { runPython } from './python-interop.js';

/**
 * Struct columns (a window, a nested struct) written by Sluice's Parquet writer are read back
 * as Parquet groups by pyarrow and DuckDB, and by Sluice itself.
 */
const dir = mkdtempSync(join(tmpdir(), 'sluice-interop-struct-'));
let sluice: Sluice;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

const READ = `
import sys, json, glob, datetime as dt
import pyarrow.parquet as pq, duckdb
path = sys.argv[1]
files = sorted(glob.glob(path + '/*.parquet'))
t = pq.read_table(files)
def enc(v):
    if v is None: return None
    if isinstance(v, dt.datetime):
        base = v.astimezone(dt.timezone.utc).replace(tzinfo=None) if v.tzinfo else v
        return (base - dt.datetime(1970, 1, 1)) // dt.timedelta(milliseconds=1)
    if isinstance(v, dict): return {k: enc(x) for k, x in v.items()}
    return v
con = duckdb.connect()
src = "read_parquet('" + path + "/*.parquet')"
desc = con.execute("DESCRIBE SELECT * FROM " + src).fetchall()
rows = con.execute("SELECT epoch_ms(w.start), epoch_ms(w.\\"end\\"), k, n, p.k, p.s FROM " + src + " ORDER BY 1, 3").fetchall()
print(json.dumps({'pyarrowTypes': [f.name + ':' + str(f.type) for f in t.schema],
  'pyarrowRows': sorted([[enc(v) for v in r.values()] for r in t.to_pylist()], key=lambda r: (r[0]['start'], r[1])),
  'duckTypes': [d[0] + ':' + d[1] for d in desc], 'duckRows': [list(r) for r in rows]}))
`;

describe('struct columns in Parquet', () => {
  it('writes window structs as Parquet groups that pyarrow and DuckDB read back, and Sluice too', async () => {
    const M = 60_000;
    const df = sluice.createDataFrame(
      [
        { t: new Date(0), k: 'a', v: 1 },
        { t: new Date(30_000), k: 'a', v: 2 },
        { t: new Date(M), k: 'b', v: 3 },
        { t: new Date(-1), k: 'b', v: 4 },
      ],
      schemaOf([field('t', types.timestamp('ms', 'UTC')), field('k', types.utf8), field('v', types.int64)]),
    );
    const out = join(dir, 'w');
    await df
      .groupBy(window('t', '1 minute').alias('w'), col('k'))
      .agg(count().alias('n'), sum('v').alias('s'))
      .select(col('w'), col('k'), col('n'), struct(col('k'), col('s')).alias('p'))
      .write.parquet(out);
    expect(readdirSync(out).some((f) => f.endsWith('.parquet'))).toBe(true);
    const r = runPython<{ pyarrowTypes: string[]; pyarrowRows: unknown[][]; duckTypes: string[]; duckRows: unknown[][] }>(dir, 'read_struct.py', READ, [out]);
    expect(r.pyarrowTypes).toEqual([
      'w:struct<start: timestamp[ms, tz=UTC], end: timestamp[ms, tz=UTC]>',
      'k:string',
      'n:int64',
      'p:struct<k: string, s: int64>',
    ]);
    expect(r.pyarrowRows).toEqual([
      [{ start: -M, end: 0 }, 'b', 1, { k: 'b', s: 4 }],
      [{ start: 0, end: M }, 'a', 2, { k: 'a', s: 3 }],
      [{ start: M, end: 2 * M }, 'b', 1, { k: 'b', s: 3 }],
    ]);
    expect(r.duckTypes[0]).toMatch(/^w:STRUCT\("start" TIMESTAMP.*, "end" TIMESTAMP.*\)$/);
    expect(r.duckRows).toEqual([
      [-M, 0, 'b', 1, 'b', 4],
      [0, M, 'a', 2, 'a', 3],
      [M, 2 * M, 'b', 1, 'b', 3],
    ]);
    // Nice-to-have: Sluice reads the struct column back.
    const back = await sluice.read.parquet(out);
    expect(back.schema.fields[0]?.type).toEqual(
      types.struct([
        { name: 'start', type: types.timestamp('ms', 'UTC'), nullable: true },
        { name: 'end', type: types.timestamp('ms', 'UTC'), nullable: true },
      ]),
    );
    const rows = await back.orderBy('w.start').select(col('w.start'), col('p.s')).toArray();
    expect(rows).toEqual([
      { start: new Date(-M), s: 4n },
      { start: new Date(0), s: 3n },
      { start: new Date(M), s: 3n },
    ]);
  });
});
