import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../../common/column-vector.js';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import { FileStateStoreProvider } from '../../../../engine/state/file-state-store-provider.js';

const N = 1_000_000;
const CHUNK = 100_000;
const keySchema = schemaOf([field('id', types.int64, false)]);
const valueSchema = schemaOf([field('sum', types.int64, false), field('avg', types.float64, false)]);

const int64 = (n: number, f: (i: number) => number): ColumnVector => {
  const v = new BigInt64Array(n);
  for (let i = 0; i < n; i++) v[i] = BigInt(f(i));
  return { type: types.int64, length: n, validity: null, values: v };
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-state-1m-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('1M keys', () => {
  it('round-trip through commit, reload from files and lookup', async () => {
    const options = { fileManager: new LocalFileManager(), dir, id: { operatorId: 0, partitionId: 0 }, keySchema, valueSchema, snapshotInterval: 1 };
    const p = new FileStateStoreProvider(options);
    const s = await p.getStore(0);
    for (let start = 0; start < N; start += CHUNK) {
      const k = makeBatch(keySchema, [int64(CHUNK, (i) => (start + i) * 7)]);
      const avg: ColumnVector = { type: types.float64, length: CHUNK, validity: null, values: Float64Array.from({ length: CHUNK }, (_, i) => (start + i) / 2) };
      s.putBatch(k, makeBatch(valueSchema, [int64(CHUNK, (i) => -(start + i)), avg]));
    }
    expect(s.numKeys).toBe(N);
    expect(await s.commit()).toBe(1);
    await p.whenIdle();
    const reloaded = await new FileStateStoreProvider({ ...options, snapshotInterval: 10 }).getStore(1);
    expect(reloaded.numKeys).toBe(N);
    let mismatches = 0;
    for (let start = 0; start < N; start += CHUNK) {
      const got = reloaded.getBatch(makeBatch(keySchema, [int64(CHUNK, (i) => (start + i) * 7)]));
      const sums = got.values.columns[0]?.values as BigInt64Array;
      const avgs = got.values.columns[1]?.values as Float64Array;
      for (let i = 0; i < CHUNK; i++) {
        if (got.found[i] !== 1 || sums[i] !== BigInt(-(start + i)) || avgs[i] !== (start + i) / 2) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    const missing = reloaded.getBatch(makeBatch(keySchema, [int64(3, (i) => i * 7 + 1)]));
    expect(Array.from(missing.found)).toEqual([0, 0, 0]);
    let rows = 0;
    for (const chunk of reloaded.iterate(65_536)) rows += chunk.keys.numRows;
    expect(rows).toBe(N);
  });
});
