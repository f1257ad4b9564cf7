/**
 * Micro-benchmark of GroupTable.insert: ns/row for (a) one plain utf8 key of 6 bytes with
 * 50k distinct values, (b) the same keys dictionary-encoded, (c) one int64 key with 50k
 * distinct values, (d) an int64 key with 1M distinct values, and (e) two keys (the utf8
 * key with 5k distinct values and an int32 with 10) through the general multi-key path.
 * 10M rows each, fed in 64Ki-row batches cycled from a seeded pool of 16 batches (so
 * generation does not dominate memory). Prints one line per case and a JSON summary.
 * Run: npx tsx benchmarks/micro/group-table.ts [rows], or node on the compiled
 * dist/benchmarks/micro/group-table.js (tsx-loaded code ran up to ~1.3x slower here).
 */
import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { uniformSource } from '../data/seeded-random.js';
import type { GroupTableTiming } from './time-group-table-inserts.js';
import { timeGroupTableInserts } from './time-group-table-inserts.js';

const TOTAL_ROWS = Number(process.argv[2] ?? 10_000_000);
const BATCH = 65536;
const POOL = 16;

function utf8Keys(distinct: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < distinct; i++) out.push(enc.encode(`u${i.toString(36).padStart(5, '0')}`));
  return out;
}

function utf8Batch(keys: readonly Uint8Array[], rnd: () => number): ColumnVector {
  const offsets = new Int32Array(BATCH + 1);
  const bytes = new Uint8Array(BATCH * 6);
  let pos = 0;
  for (let i = 0; i < BATCH; i++) {
    const k = keys[Math.floor(rnd() * keys.length)] as Uint8Array;
    bytes.set(k, pos);
    pos += k.length;
    offsets[i + 1] = pos;
  }
  return { type: types.utf8, length: BATCH, validity: null, values: bytes, offsets };
}

function dictBatch(dict: ColumnVector, distinct: number, rnd: () => number): ColumnVector {
  const idx = new Int32Array(BATCH);
  for (let i = 0; i < BATCH; i++) idx[i] = Math.floor(rnd() * distinct);
  return { type: types.utf8, length: BATCH, validity: null, values: idx, dictionary: dict };
}

function int64Batch(distinct: number, rnd: () => number): ColumnVector {
  const v = new BigInt64Array(BATCH);
  for (let i = 0; i < BATCH; i++) v[i] = BigInt(Math.floor(rnd() * distinct)) * 2654435761n + 1_700_000_000_000n;
  return { type: types.int64, length: BATCH, validity: null, values: v };
}

function int32Batch(distinct: number, rnd: () => number): ColumnVector {
  const v = new Int32Array(BATCH);
  for (let i = 0; i < BATCH; i++) v[i] = Math.floor(rnd() * distinct);
  return { type: types.int32, length: BATCH, validity: null, values: v };
}

function run(name: string, pool: readonly (readonly ColumnVector[])[], keyTypes: readonly DataType[]): GroupTableTiming {
  return timeGroupTableInserts(name, pool, keyTypes, TOTAL_ROWS, BATCH);
}

const rnd = uniformSource(42);
const keys = utf8Keys(50_000);
const utf8Pool = Array.from({ length: POOL }, () => utf8Batch(keys, rnd));
const dictOffsets = new Int32Array(keys.length + 1);
keys.forEach((k, i) => {
  dictOffsets[i + 1] = (dictOffsets[i] as number) + k.length;
});
const dictBytes = new Uint8Array(dictOffsets[keys.length] as number);
for (const [i, k] of keys.entries()) dictBytes.set(k, dictOffsets[i] as number);
const dict: ColumnVector = { type: types.utf8, length: keys.length, validity: null, values: dictBytes, offsets: dictOffsets };
const dictPool = Array.from({ length: POOL }, () => dictBatch(dict, keys.length, rnd));
const int64Pool = Array.from({ length: POOL }, () => int64Batch(50_000, rnd));
const int64WidePool = Array.from({ length: POOL }, () => int64Batch(1_000_000, rnd));

const pairPool = Array.from({ length: POOL }, () => [utf8Batch(keys.slice(0, 5000), rnd), int32Batch(10, rnd)]);

const results = [
  run(
    'utf8 6-byte key, 50k distinct',
    utf8Pool.map((v) => [v]),
    [types.utf8],
  ),
  run(
    'utf8 dictionary key, 50k distinct',
    dictPool.map((v) => [v]),
    [types.utf8],
  ),
  run(
    'int64 key, 50k distinct',
    int64Pool.map((v) => [v]),
    [types.int64],
  ),
  run(
    'int64 key, 1M distinct',
    int64WidePool.map((v) => [v]),
    [types.int64],
  ),
  run('utf8 + int32 keys, 50k distinct', pairPool, [types.utf8, types.int32]),
];
console.log(JSON.stringify({ benchmark: 'group-table', rows: TOTAL_ROWS, batchRows: BATCH, node: process.version, results }));
