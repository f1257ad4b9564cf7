import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../../../sources/file/glob-pattern.js';
import { listFiles } from '../../../../sources/file/list-files.js';
import { escapePathName, partitionValuesOf } from '../../../../sources/file/partition-values.js';

const root = mkdtempSync(join(tmpdir(), 'sluice-list-'));
for (const p of ['a.csv', 'b.csv', 'c.json', 'sub/d.csv', 'sub/deep/e.csv', '.hidden.csv', '_SUCCESS', 'k=1/f.csv', '_x=2/g.csv', 'sub/h.csv._COPYING_']) {
  mkdirSync(join(root, p, '..'), { recursive: true });
  writeFileSync(join(root, p), 'x');
}
const rel = (files: { path: string }[]) => files.map((f) => f.path.slice(root.length + 1));

describe('listFiles', () => {
  it('lists a folder recursively, sorted, skipping hidden and metadata names', async () => {
    expect(rel(await listFiles(root))).toEqual(['_x=2/g.csv', 'a.csv', 'b.csv', 'c.json', 'k=1/f.csv', 'sub/d.csv', 'sub/deep/e.csv']);
  });

  it('expands *, ?, [..] and ** globs', async () => {
    expect(rel(await listFiles(join(root, '*.csv')))).toEqual(['a.csv', 'b.csv']);
    expect(rel(await listFiles(join(root, '?.json')))).toEqual(['c.json']);
    expect(rel(await listFiles(join(root, '[ab].csv')))).toEqual(['a.csv', 'b.csv']);
    expect(rel(await listFiles(join(root, '[!a].csv')))).toEqual(['b.csv']);
    expect(rel(await listFiles(join(root, 'sub/**/*.csv')))).toEqual(['sub/d.csv', 'sub/deep/e.csv']);
    expect(rel(await listFiles(join(root, 's*')))).toEqual(['sub/d.csv', 'sub/deep/e.csv']);
  });

  it('merges several paths without duplicates and lists a single file', async () => {
    const files = await listFiles([join(root, 'a.csv'), join(root, '*.csv')]);
    expect(rel(files)).toEqual(['a.csv', 'b.csv']);
    expect(files[0]?.size).toBe(1);
  });

  it('throws FILE_NOT_FOUND naming the path when nothing matches', async () => {
    await expect(listFiles(join(root, 'nope'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('nope') });
    await expect(listFiles(join(root, '*.parquet'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('returns no files for an empty folder', async () => {
    mkdirSync(join(root, 'empty'));
    expect(await listFiles(join(root, 'empty'))).toEqual([]);
  });
});

describe('globs and partition paths', () => {
  it('compiles globs', () => {
    expect(globToRegExp('/a/*.csv').test('/a/x.csv')).toBe(true);
    expect(globToRegExp('/a/*.csv').test('/a/b/x.csv')).toBe(false);
    expect(globToRegExp('/a/**/x.csv').test('/a/x.csv')).toBe(true);
    expect(globToRegExp('/a/**/x.csv').test('/a/b/c/x.csv')).toBe(true);
    expect(globToRegExp('/a/f(1).csv').test('/a/f(1).csv')).toBe(true);
  });

  it('parses key=value folders, nulls and escapes, relative to basePath', () => {
    expect(partitionValuesOf('/d/y=2024/m=__HIVE_DEFAULT_PARTITION__/c=a%2Fb/f.parquet')).toEqual({ y: '2024', m: null, c: 'a/b' });
    expect(partitionValuesOf('/run=1/t/y=1/f.parquet', '/run=1/t')).toEqual({ y: '1' });
    expect(escapePathName('a/b:c d')).toBe('a%2Fb%3Ac d');
    expect(escapePathName('p=q#1')).toBe('p%3Dq%231');
  });
});
