import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedFiles } from '../../../common/log/committed-files.js';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { Trigger } from '../../../scheduler/trigger.js';
import { struct } from '../../../dataframe/expr/functions.js';
import type { StreamWriteFormat } from '../../../dataframe/typed-options.js';
import { DuckDbClient } from '../../helpers/duckdb-client.js';
import { runPython } from '../../interop/python-interop.js';

let sluice: Sluice;
let dir: string;
let input: string;
const SCHEMA = 'k STRING, v BIGINT, d DOUBLE, t TIMESTAMP';

/** Writes a CSV input file atomically (a hidden temp file, then a rename). */
function writeInput(name: string, lines: readonly string[]): void {
  const tmp = join(input, `.${name}.tmp`);
  writeFileSync(tmp, `k,v,d,t\n${lines.join('\n')}\n`);
  renameSync(tmp, join(input, name));
}

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-file-sinks-'));
  input = join(dir, 'in');
  mkdirSync(input);
  // k: a space (kept), a slash, an equals sign and a hash (escaped), an empty field (null).
  writeInput('a.csv', ['a b,1,1.5,2024-01-01T00:00:00Z', 'x/y,2,2.0,2024-01-01T00:00:01.250Z', ',3,-0.25,2024-01-01T00:00:02Z']);
  writeInput('b.csv', ['a b,4,1.0E10,2024-01-02T00:00:00Z', 'p=q#1,5,,2024-01-02T00:00:03Z']);
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function stream(): Promise<DataFrame> {
  return sluice.readStream.format('csv').schema(SCHEMA).option('header', true).option('maxFilesPerTrigger', 1).load(input);
}

async function runAvailable(
  df: DataFrame,
  format: StreamWriteFormat,
  out: string,
  ckpt: string,
  configure: (w: DataFrame['writeStream']) => DataFrame['writeStream'] = (w) => w,
): Promise<void> {
  const q = await configure(df.writeStream.format(format).option('checkpointLocation', ckpt).trigger(Trigger.availableNow())).start(out);
  expect(await q.awaitTermination(20_000)).toBe(true);
  expect(q.exception).toBeNull();
}

/** Files under `root` (relative, sorted), leaving out the sink log. */
function dataFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '_sluice_metadata') continue;
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(root, join(d, e.name)));
    }
  };
  walk(root);
  return out.sort();
}

const rowText = (r: Record<string, unknown>): string => `${r.k ?? 'null'}|${r.v}|${r.d ?? 'null'}|${r.t instanceof Date ? r.t.toISOString() : String(r.t)}`;

const EXPECTED = [
  'a b|1|1.5|2024-01-01T00:00:00.000Z',
  'x/y|2|2|2024-01-01T00:00:01.250Z',
  'null|3|-0.25|2024-01-01T00:00:02.000Z',
  'a b|4|10000000000|2024-01-02T00:00:00.000Z',
  'p=q#1|5|null|2024-01-02T00:00:03.000Z',
];

describe('writeStream.partitionBy on the exactly-once Parquet sink', () => {
  const out = (): string => join(dir, 'parquet-out');
  const ckpt = (): string => join(dir, 'parquet-ckpt');

  it('writes Hive folders with Spark escaping and the default partition for null, each file in the sink log', async () => {
    await runAvailable(await stream(), 'parquet', out(), ckpt(), (w) => w.partitionBy('k'));
    const folders = [...new Set(dataFiles(out()).map((f) => f.split('/')[0]))];
    expect(folders).toEqual(['k=__HIVE_DEFAULT_PARTITION__', 'k=a b', 'k=p%3Dq%231', 'k=x%2Fy']);
    // One log entry per batch (one input file per trigger), listing that batch's files.
    const log = (n: number): string[] =>
      JSON.parse((readFileSync(join(out(), '_sluice_metadata', String(n)), 'utf8').split('\n')[1] as string) ?? '{}')
        .files.map((f: { path: string }) => f.path.split('/')[0])
        .sort();
    expect(log(0)).toEqual(['k=__HIVE_DEFAULT_PARTITION__', 'k=a b', 'k=x%2Fy']);
    expect(log(1)).toEqual(['k=a b', 'k=p%3Dq%231']);
    expect(dataFiles(out())).toHaveLength(5);
    const back = await sluice.read.parquet(out());
    expect(back.schema.fields.map((f) => f.name)).toEqual(['v', 'd', 't', 'k']);
    expect((await back.orderBy('v').toArray()).map(rowText)).toEqual(EXPECTED);
  });

  it('pyarrow reads the folder with Hive partitioning', () => {
    const rows = runPython<[string | null, number][]>(
      dir,
      'read_partitioned.py',
      [
        'import json, sys',
        'import pyarrow.dataset as ds',
        "t = ds.dataset(sys.argv[1], format='parquet', partitioning='hive').to_table()",
        "print(json.dumps(sorted([[r['k'], r['v']] for r in t.to_pylist()], key=lambda x: x[1])))",
      ].join('\n'),
      [out()],
    );
    expect(rows).toEqual([
      ['a b', 1],
      ['x/y', 2],
      [null, 3],
      ['a b', 4],
      ['p=q#1', 5],
    ]);
  });

  it('restarts without duplicates after a crash after the sink commit and after a crash before it', async () => {
    writeInput('c.csv', ['x/y,6,6.5,2024-01-03T00:00:00Z']);
    await runAvailable(await stream(), 'parquet', out(), ckpt(), (w) => w.partitionBy('k'));
    expect(readdirSync(join(ckpt(), 'commits')).sort()).toEqual(['0', '1', '2']);
    // Crash between the sink's log entry and the checkpoint's commit: batch 2 re-runs and the sink skips it.
    rmSync(join(ckpt(), 'commits', '2'));
    await runAvailable(await stream(), 'parquet', out(), ckpt(), (w) => w.partitionBy('k'));
    expect(dataFiles(out())).toHaveLength(6);
    // Crash after the part files were written but before the sink's log entry: the re-run
    // writes new part files and commits those; the orphans stay on disk but are never read.
    rmSync(join(ckpt(), 'commits', '2'));
    rmSync(join(out(), '_sluice_metadata', '2'));
    await runAvailable(await stream(), 'parquet', out(), ckpt(), (w) => w.partitionBy('k'));
    expect(dataFiles(out()).filter((f) => f.includes('part-00002-'))).toHaveLength(2);
    expect(await committedFiles(out())).toHaveLength(6);
    const rows = (await (await sluice.read.parquet(out())).orderBy('v').toArray()).map(rowText);
    expect(rows).toEqual([...EXPECTED, 'x/y|6|6.5|2024-01-03T00:00:00.000Z']);
    rmSync(join(input, 'c.csv'));
  });

  it('refuses a partition column the query does not have, at start()', async () => {
    const df = await stream();
    await expect(
      df.writeStream.format('parquet').partitionBy('nope').option('checkpointLocation', join(dir, 'bad-ckpt')).start(join(dir, 'bad-out')),
    ).rejects.toThrow(/nope/);
    expect(() => df.writeStream.partitionBy('a,b')).toThrow(/without commas/);
  });
});

describe('CSV and JSON stream sinks', () => {
  it('csv: Spark text, header on request, read back by Sluice and DuckDB, exactly-once on restart', async () => {
    const out = join(dir, 'csv-out');
    const ckpt = join(dir, 'csv-ckpt');
    await runAvailable(await stream(), 'csv', out, ckpt, (w) => w.option('header', true));
    const files = (await committedFiles(out)) ?? [];
    expect(files.map((f) => relative(out, f).replace(/-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, '-U'))).toEqual([
      'part-00000-U.csv',
      'part-00001-U.csv',
    ]);
    expect(readFileSync(files[0] as string, 'utf8')).toBe(
      'k,v,d,t\na b,1,1.5,2024-01-01T00:00:00.000Z\nx/y,2,2.0,2024-01-01T00:00:01.250Z\n,3,-0.25,2024-01-01T00:00:02.000Z\n',
    );
    expect(readFileSync(files[1] as string, 'utf8')).toBe('k,v,d,t\na b,4,1.0E10,2024-01-02T00:00:00.000Z\np=q#1,5,,2024-01-02T00:00:03.000Z\n');
    rmSync(join(ckpt, 'commits', '1'));
    await runAvailable(await stream(), 'csv', out, ckpt, (w) => w.option('header', true));
    expect(dataFiles(out)).toHaveLength(2);
    const back = await sluice.read.schema(SCHEMA).option('header', true).csv(out);
    expect((await back.orderBy('v').toArray()).map(rowText)).toEqual(EXPECTED);
    const duck = await DuckDbClient.open();
    try {
      const rows = await duck.query(`SELECT k, v, d, epoch_ms(t::TIMESTAMPTZ) AS ms FROM read_csv('${out}/*.csv', header=true, escape='\\') ORDER BY v`);
      expect(rows.map((r) => `${r.k}|${r.v}|${r.d}|${r.ms}`)).toEqual([
        'a b|1|1.5|1704067200000',
        'x/y|2|2|1704067201250',
        'null|3|-0.25|1704067202000',
        'a b|4|10000000000|1704153600000',
        'p=q#1|5|null|1704153603000',
      ]);
    } finally {
      duck.close();
    }
  });

  it('json: JSON lines without null fields, partitioned, read back by Sluice and DuckDB', async () => {
    const out = join(dir, 'json-out');
    await runAvailable(await stream(), 'json', out, join(dir, 'json-ckpt'));
    const files = (await committedFiles(out)) ?? [];
    expect(readFileSync(files[1] as string, 'utf8')).toBe(
      '{"k":"a b","v":4,"d":1.0E10,"t":"2024-01-02T00:00:00.000Z"}\n{"k":"p=q#1","v":5,"t":"2024-01-02T00:00:03.000Z"}\n',
    );
    const back = await sluice.read.schema(SCHEMA).json(out);
    expect((await back.orderBy('v').toArray()).map(rowText)).toEqual(EXPECTED);
    const duck = await DuckDbClient.open();
    try {
      const rows = await duck.query(`SELECT k, v, d FROM read_json_auto('${out}/*.json') ORDER BY v`);
      expect(rows.map((r) => `${r.k}|${r.v}|${r.d}`)).toEqual(['a b|1|1.5', 'x/y|2|2', 'null|3|-0.25', 'a b|4|10000000000', 'p=q#1|5|null']);
    } finally {
      duck.close();
    }
    const parted = join(dir, 'json-parted');
    await runAvailable(await stream(), 'json', parted, join(dir, 'json-parted-ckpt'), (w) => w.partitionBy('k'));
    expect(dataFiles(parted).filter((f) => f.startsWith('k=x%2Fy/'))).toHaveLength(1);
    const partedBack = await sluice.read.schema('v BIGINT, d DOUBLE, t TIMESTAMP').json(parted);
    expect((await partedBack.orderBy('v').toArray()).map(rowText)).toEqual(EXPECTED);
  });

  it('refuses unknown options and columns CSV cannot hold, at start()', async () => {
    const df = await stream();
    await expect(
      df.writeStream
        .format('csv')
        .option('headr' as 'header', true)
        .start(join(dir, 'x')),
    ).rejects.toThrow(/Unknown option 'headr'.*header/);
    await expect(
      df.select(struct('k', 'v').alias('s')).writeStream.format('csv').option('checkpointLocation', join(dir, 'st-ckpt')).start(join(dir, 'st-out')),
    ).rejects.toThrow(/column 's' of type struct/);
  });
});
