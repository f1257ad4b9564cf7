import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileFormat, LogicalPlan } from '../../../../dataframe/plan/logical-plan.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import type { ScanOptions } from '../../../../dataframe/plan/logical-plan.js';
import { FileStreamSource } from '../../../../sources/file-stream/file-stream-source.js';
import { PEOPLE, peopleRows, tempDir, writePeopleFile } from '../../../contract/contract-fixtures.js';
import { planRows } from '../../../contract/local-query-executor.js';

const T0 = 1_600_000_000_000;
let dir: string;
let input: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('fss'));
  input = join(dir, 'in');
  await mkdir(input);
});
afterEach(async () => cleanup());

function source(options: ScanOptions = {}, format: FileFormat = 'json', schema: typeof PEOPLE | null = PEOPLE): Promise<FileStreamSource> {
  return FileStreamSource.create({ format, path: input, schema, options, metadataPath: join(dir, 'cp', 'sources', '0'), fileManager: new LocalFileManager() });
}

function names(plan: LogicalPlan): string[] {
  return plan.kind === 'fileScan' ? plan.files.map((f) => f.path.slice(input.length + 1)) : [];
}

async function batchFiles(s: FileStreamSource, start: number, limit = {}): Promise<{ end: number; files: string[] }> {
  const end = (await s.latestOffset(start, limit)) as number;
  return { end, files: names(await s.getBatch(start, end)) };
}

describe('FileStreamSource', () => {
  it('orders files by modification time, then name', async () => {
    await writePeopleFile(input, 'b', 'json', [[1, 'b']], T0 + 1000);
    await writePeopleFile(input, 'a', 'json', [[2, 'a']], T0 + 1000);
    await writePeopleFile(input, 'c', 'json', [[3, 'c']], T0);
    const s = await source({ maxFilesPerTrigger: 1 });
    const seen: string[] = [];
    let at = -1;
    for (let i = 0; i < 3; i++) {
      const b = await batchFiles(s, at);
      expect(b.end).toBe(at + 1);
      seen.push(...b.files);
      at = b.end;
    }
    expect(seen).toEqual(['c.json', 'a.json', 'b.json']);
    expect(await s.latestOffset(at, {})).toBe(at);
  });

  it('latestFirst takes the newest files first', async () => {
    for (let i = 0; i < 3; i++) await writePeopleFile(input, `f${i}`, 'json', [[i, null]], T0 + i * 1000);
    const s = await source({ latestFirst: 'true', maxFilesPerTrigger: '2' });
    expect(await batchFiles(s, -1)).toEqual({ end: 0, files: ['f2.json', 'f1.json'] });
    expect(await batchFiles(s, 0)).toEqual({ end: 1, files: ['f0.json'] });
  });

  it('maxBytesPerTrigger caps the bytes, admitting at least one file', async () => {
    await writeFile(join(input, 'big.json'), `${'{"id":1,"name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}\n'.repeat(4)}`);
    await utimes(join(input, 'big.json'), T0 / 1000, T0 / 1000);
    for (let i = 0; i < 3; i++) await writePeopleFile(input, `s${i}`, 'json', [[i, 'a']], T0 + 1_000_000 + i);
    const s = await source({ maxBytesPerTrigger: 40 });
    expect(await readdir(input)).toHaveLength(4);
    expect((await batchFiles(s, -1)).files).toEqual(['big.json']);
    const second = await batchFiles(s, 0);
    expect(second.files).toEqual(['s0.json', 's1.json']);
    expect((await batchFiles(s, 1)).files).toEqual(['s2.json']);
  });

  it('applies the tighter of its own limit and the engine read limit', async () => {
    for (let i = 0; i < 4; i++) await writePeopleFile(input, `f${i}`, 'json', [[i, 'a']], T0 + i * 1000);
    const s = await source({ maxFilesPerTrigger: 3 });
    expect(s.defaultReadLimit).toEqual({ maxFiles: 3 });
    expect((await batchFiles(s, -1, { maxFiles: 1 })).files).toEqual(['f0.json']);
    expect((await batchFiles(s, 0, {})).files).toEqual(['f1.json', 'f2.json', 'f3.json']);
  });

  it('skips files older than maxFileAge behind the newest taken file', async () => {
    await writePeopleFile(input, 'new', 'json', [[1, 'n']], T0 + 10 * 3_600_000);
    await writePeopleFile(input, 'old', 'json', [[2, 'o']], T0);
    const s = await source({ maxFileAge: '1h' });
    expect((await batchFiles(s, -1)).files).toEqual(['old.json', 'new.json']);
    await writePeopleFile(input, 'stale', 'json', [[3, 's']], T0 + 8 * 3_600_000);
    await writePeopleFile(input, 'fresh', 'json', [[4, 'f']], T0 + 9.5 * 3_600_000);
    expect((await batchFiles(s, 0)).files).toEqual(['fresh.json']);
  });

  it('replays a logged batch with exactly its files after a restart, even when new files arrived', async () => {
    await writePeopleFile(
      input,
      'f0',
      'json',
      [
        [1, 'a'],
        [2, null],
      ],
      T0,
    );
    const s = await source();
    const end = (await s.latestOffset(-1, {})) as number;
    const rows = await planRows(await s.getBatch(-1, end));
    expect(rows).toEqual(
      peopleRows([
        [1, 'a'],
        [2, null],
      ]),
    );
    await writePeopleFile(input, 'f1', 'json', [[3, 'c']], T0 + 1);
    const restarted = await source();
    expect(await planRows(await restarted.getBatch(-1, end))).toEqual(rows);
    expect(names(await restarted.getBatch(-1, end))).toEqual(['f0.json']);
    expect((await batchFiles(restarted, end)).files).toEqual(['f1.json']);
  });

  it('offers an entry logged before a crash before listing again', async () => {
    await writePeopleFile(input, 'f0', 'json', [[1, 'a']], T0);
    const s = await source();
    expect(await s.latestOffset(-1, {})).toBe(0);
    await writePeopleFile(input, 'f1', 'json', [[2, 'b']], T0 + 1);
    const restarted = await source();
    expect(await batchFiles(restarted, -1)).toEqual({ end: 0, files: ['f0.json'] });
    expect(await batchFiles(restarted, 0)).toEqual({ end: 1, files: ['f1.json'] });
  });

  it('needs a schema for csv and json unless schemaInference, and infers parquet schemas', async () => {
    await expect(source({}, 'json', null)).rejects.toThrow(/needs a schema.*schemaInference/);
    await expect(source({}, 'parquet', null)).rejects.toThrow(/no files yet/);
    await writePeopleFile(input, 'p', 'parquet', [[1, 'a']], T0);
    const s = await source({}, 'parquet', null);
    expect(s.schema.fields.map((f) => [f.name, f.type.kind])).toEqual([
      ['id', 'int64'],
      ['name', 'utf8'],
    ]);
    await writePeopleFile(input, 'j', 'json', [[1, 'a']], T0);
    const j = await source({ schemaInference: true }, 'json', null);
    expect(j.schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
  });

  it('validates options and the path', async () => {
    await expect(source({ maxFilesPerTrigger: 0 })).rejects.toThrow(/'maxFilesPerTrigger'.*positive integer/);
    await expect(source({ maxBytesPerTrigger: 'lots' })).rejects.toThrow(/'maxBytesPerTrigger'.*'64m'/);
    await expect(source({ latestFirst: 'yes' })).rejects.toThrow(/'latestFirst' must be true or false/);
    await expect(
      FileStreamSource.create({
        format: 'json',
        path: join(dir, 'missing'),
        schema: PEOPLE,
        options: {},
        metadataPath: join(dir, 'cp'),
        fileManager: new LocalFileManager(),
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
  });

  it('reads a glob, and an empty range as no rows', async () => {
    await writePeopleFile(input, 'x', 'json', [[1, 'a']], T0);
    await writePeopleFile(input, 'y', 'csv', [[2, 'b']], T0);
    const s = await FileStreamSource.create({
      format: 'json',
      path: join(input, '*.json'),
      schema: PEOPLE,
      options: {},
      metadataPath: join(dir, 'cp'),
      fileManager: new LocalFileManager(),
    });
    expect((await batchFiles(s, -1)).files).toEqual(['x.json']);
    expect(await planRows(await s.getBatch(0, 0))).toEqual([]);
  });

  it('names the missing log entry when a range cannot be replayed', async () => {
    const s = await source();
    await expect(s.getBatch(-1, 2)).rejects.toThrow(expect.objectContaining({ code: 'CHECKPOINT_CORRUPT', message: expect.stringMatching(/sources\/0\/0/) }));
  });
});
