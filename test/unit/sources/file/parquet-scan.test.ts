import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import type { Expr } from '../../../../dataframe/expr/expr.js';
import { writeParquetFile } from '../../../../sinks/file/parquet-writer.js';
import { planFileSplits } from '../../../../sources/file/file-split.js';
import { inferFileSchema } from '../../../../sources/file/infer-schema.js';
import { listFiles } from '../../../../sources/file/list-files.js';
import { makeScan, readAll, rowsOf } from './scan-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-pq-'));
const schema = schemaOf([field('id', types.int64), field('name', types.utf8), field('score', types.float64), field('ts', types.timestamp('us', 'UTC'))]);

function batchOf(ids: number[]) {
  return makeBatch(schema, [
    vectorFromValues(
      types.int64,
      ids.map((i) => BigInt(i)),
    ),
    vectorFromValues(
      types.utf8,
      ids.map((i) => (i % 7 === 0 ? null : `n${String(i).padStart(3, '0')}`)),
    ),
    vectorFromValues(
      types.float64,
      ids.map((i) => i / 2),
    ),
    vectorFromValues(
      types.timestamp('us', 'UTC'),
      ids.map((i) => BigInt(i) * 1_000_000n),
    ),
  ]);
}

const col = (name: string): Expr => ({ kind: 'col', name, qualifier: null });
const lit = (value: bigint | number | string | null, type = types.int64): Expr => ({ kind: 'lit', value, type });
const bin = (op: '<' | '>=' | '=' | 'and' | 'or', left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });

describe('Parquet scan', () => {
  const path = join(dir, 'rg.parquet');
  const ids = Array.from({ length: 100 }, (_, i) => i);

  it('writes row groups and reads every value back, projected and batched', async () => {
    const res = await writeParquetFile(path, schema, [batchOf(ids)], { rowGroupSize: 25 });
    expect(res.rows).toBe(100);
    expect(readFileSync(path).subarray(0, 4).toString()).toBe('PAR1');
    const files = await listFiles(path);
    const inferred = await inferFileSchema('parquet', files, {});
    expect(inferred.fields.map((f) => f.type)).toEqual(schema.fields.map((f) => f.type));
    const all = await readAll(makeScan('parquet', files, inferred), { batchSize: 10 });
    expect(all.every((b) => b.numRows <= 10)).toBe(true);
    expect(rowsOf(all)).toEqual(rowsOf([batchOf(ids)]));
    const proj = await readAll(makeScan('parquet', files, inferred, {}, ['score', 'id']));
    expect(proj[0]?.schema.fields.map((f) => f.name)).toEqual(['score', 'id']);
    expect(rowsOf(proj).slice(0, 2)).toEqual([
      [0, 0n],
      [0.5, 1n],
    ]);
  });

  it('skips row groups whose statistics exclude the pushed filters', async () => {
    const files = await listFiles(path);
    const plan = async (filters: Expr[]) => planFileSplits(makeScan('parquet', files, schema, {}, null, filters), 4);
    const a = await plan([bin('>=', col('id'), lit(60n))]);
    expect(a.rowGroupsSkipped).toBe(2);
    expect(a.splits.flatMap((s) => s.rowGroups)).toEqual([2, 3]);
    const b = await plan([bin('or', bin('<', col('id'), lit(10n)), bin('=', col('name'), lit('n080', types.utf8)))]);
    expect(b.splits.flatMap((s) => s.rowGroups)).toEqual([0, 3]);
    const c = await plan([{ kind: 'in', child: col('id'), list: [lit(30n), lit(31n)] }]);
    expect(c.splits.flatMap((s) => s.rowGroups)).toEqual([1]);
    const d = await plan([{ kind: 'unary', op: 'isNull', child: col('score') }]);
    expect(d.splits).toEqual([]);
    expect(d.rowGroupsSkipped).toBe(4);
    const e = await plan([bin('<', col('ts'), lit(10_000_000n, types.timestamp('us', 'UTC')))]);
    expect(e.splits.flatMap((s) => s.rowGroups)).toEqual([0]);
    const unknown = await plan([{ kind: 'call', fn: 'abs', args: [col('id')] }]);
    expect(unknown.rowGroupsSkipped).toBe(0);
    const rows = rowsOf(await readAll(makeScan('parquet', files, schema, {}, ['id'], [bin('>=', col('id'), lit(60n))])));
    expect(rows.length).toBe(50);
    expect(rows[0]).toEqual([50n]);
  });

  it('fails with CORRUPT_FILE naming the path for truncated and non-Parquet files', async () => {
    const bytes = readFileSync(path);
    const trunc = join(dir, 'trunc.parquet');
    writeFileSync(trunc, bytes.subarray(0, bytes.length - 100));
    const junk = join(dir, 'junk.parquet');
    writeFileSync(junk, 'not parquet');
    for (const p of [trunc, junk]) {
      const files = await listFiles(p);
      await expect(inferFileSchema('parquet', files, {})).rejects.toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringContaining(p) });
      await expect(readAll(makeScan('parquet', files, schema))).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
    }
  });

  it('rejects a user schema with a different type, naming column, file and types', async () => {
    const wrong = schemaOf([field('id', types.int32), field('name', types.utf8, false)]);
    await expect(readAll(makeScan('parquet', await listFiles(path), wrong))).rejects.toThrow(
      new RegExp(`Column 'id' of Parquet file '${path}' has type bigint, but the schema says int`),
    );
    const nullability = schemaOf([field('name', types.utf8, false)]);
    expect((await readAll(makeScan('parquet', await listFiles(path), nullability))).reduce((s, b) => s + b.numRows, 0)).toBe(100);
  });

  it('discovers Hive partitions, infers their types and prunes folders', async () => {
    const root = join(dir, 'parts');
    const small = schemaOf([field('v', types.int32)]);
    const mk = (sub: string, vals: number[]) =>
      writeParquetFile(join(root, sub, 'part-0.parquet'), small, [makeBatch(small, [vectorFromValues(types.int32, vals)])]);
    await mk('year=2023/city=Paris', [1, 2]);
    await mk('year=2024/city=New%20York', [3]);
    await mk('year=2024/city=__HIVE_DEFAULT_PARTITION__', [4]);
    mkdirSync(join(root, '_temporary'), { recursive: true });
    writeFileSync(join(root, '_temporary', 'x.parquet'), 'junk');
    writeFileSync(join(root, '_SUCCESS'), '');
    const files = await listFiles(root);
    expect(files.length).toBe(3);
    const s = await inferFileSchema('parquet', files, {});
    expect(s.fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual(['v:int32', 'year:int32', 'city:utf8']);
    expect(rowsOf(await readAll(makeScan('parquet', files, s)))).toEqual([
      [1, 2023, 'Paris'],
      [2, 2023, 'Paris'],
      [3, 2024, 'New York'],
      [4, 2024, null],
    ]);
    const filtered = await planFileSplits(makeScan('parquet', files, s, {}, null, [bin('=', col('year'), lit(2024, types.int32))]), 1);
    expect(filtered.splits.map((x) => x.partitionValues)).toEqual([
      { year: '2024', city: 'New York' },
      { year: '2024', city: null },
    ]);
    expect(filtered.rowGroupsSkipped).toBe(1);
    const onlyParts = await readAll(makeScan('parquet', files, s, {}, ['city']));
    expect(rowsOf(onlyParts)).toEqual([['Paris'], ['Paris'], ['New York'], [null]]);
  });

  it('requires all files to agree on the schema', async () => {
    const other = join(dir, 'mix', 'b.parquet');
    const s2 = schemaOf([field('id', types.utf8)]);
    await writeParquetFile(join(dir, 'mix', 'a.parquet'), schemaOf([field('id', types.int64)]), []);
    await writeParquetFile(other, s2, [makeBatch(s2, [vectorFromValues(types.utf8, ['x'])])]);
    await expect(inferFileSchema('parquet', await listFiles(join(dir, 'mix')), {})).rejects.toThrow(
      new RegExp(`Column 'id' has type string in Parquet file '${other}' but bigint`),
    );
  });
});
