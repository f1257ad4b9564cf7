import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { commitOutputDir, prepareOutputDir, writePartitioned } from '../../../../sinks/file/write-dataset.js';
import { inferFileSchema } from '../../../../sources/file/infer-schema.js';
import { listFiles } from '../../../../sources/file/list-files.js';
import { makeScan, readAll, rowsOf } from '../../sources/file/scan-fixture.js';

const base = mkdtempSync(join(tmpdir(), 'sluice-write-'));
const schema = schemaOf([field('k', types.utf8), field('d', types.date), field('v', types.int32)]);
const batch = makeBatch(schema, [
  vectorFromValues(types.utf8, ['a', 'b/c', null, 'a']),
  vectorFromValues(types.date, [19723, 19723, 19724, 19724]),
  vectorFromValues(types.int32, [1, 2, 3, 4]),
]);

describe('prepareOutputDir', () => {
  it('implements the save modes', async () => {
    const dir = join(base, 'modes');
    expect(await prepareOutputDir(dir, 'error')).toBe('write');
    writeFileSync(join(dir, 'old.parquet'), 'x');
    await expect(prepareOutputDir(dir, 'errorifexists')).rejects.toMatchObject({ code: 'PATH_EXISTS', message: expect.stringContaining("'overwrite'") });
    expect(await prepareOutputDir(dir, 'ignore')).toBe('skip');
    expect(await prepareOutputDir(dir, 'append')).toBe('write');
    expect(existsSync(join(dir, 'old.parquet'))).toBe(true);
    expect(await prepareOutputDir(dir, 'overwrite')).toBe('write');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writePartitioned', () => {
  it('writes one part file, then _SUCCESS, and reads back', async () => {
    const dir = join(base, 'plain');
    await prepareOutputDir(dir, 'error');
    const paths = await writePartitioned(dir, schema, [batch], [], 7);
    expect(paths.length).toBe(1);
    expect(paths[0]).toMatch(/part-00007-[0-9a-f-]{36}\.zstd\.parquet$/);
    await commitOutputDir(dir);
    expect(readdirSync(dir).sort()).toEqual([paths[0]?.slice(dir.length + 1), '_SUCCESS'].sort());
    const files = await listFiles(dir);
    expect(rowsOf(await readAll(makeScan('parquet', files, await inferFileSchema('parquet', files, {}))))).toEqual(rowsOf([batch]));
  });

  it('writes Hive folders without the partition columns and reads them back', async () => {
    const dir = join(base, 'parts');
    mkdirSync(dir);
    const paths = await writePartitioned(dir, schema, [batch], ['k', 'd'], 0, { compression: 'snappy' });
    expect(paths.map((p) => p.slice(dir.length + 1).replace(/part-.*$/, ''))).toEqual([
      'k=__HIVE_DEFAULT_PARTITION__/d=2024-01-02/',
      'k=a/d=2024-01-01/',
      'k=a/d=2024-01-02/',
      'k=b%2Fc/d=2024-01-01/',
    ]);
    expect(paths[0]).toMatch(/\.snappy\.parquet$/);
    const files = await listFiles(dir);
    const s = await inferFileSchema('parquet', files, {});
    expect(s.fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual(['v:int32', 'k:utf8', 'd:utf8']);
    expect(rowsOf(await readAll(makeScan('parquet', files, s)))).toEqual([
      [3, null, '2024-01-02'],
      [1, 'a', '2024-01-01'],
      [4, 'a', '2024-01-02'],
      [2, 'b/c', '2024-01-01'],
    ]);
  });

  it('writes an empty file keeping the schema when there are no rows', async () => {
    const dir = join(base, 'empty');
    mkdirSync(dir);
    const paths = await writePartitioned(dir, schema, [], [], 0, { compression: 'none' });
    expect(paths[0]).toMatch(/part-00000-[0-9a-f-]{36}\.parquet$/);
    const files = await listFiles(dir);
    const s = await inferFileSchema('parquet', files, {});
    expect(s.fields.map((f) => f.type)).toEqual(schema.fields.map((f) => f.type));
    expect(await readAll(makeScan('parquet', files, s))).toEqual([]);
    expect(await writePartitioned(dir, schema, [], ['k'], 1)).toEqual([]);
  });
});
