/**
 * Micro-benchmark of GroupTable.insert with several key columns: ns/row for (a) a W3-like
 * pair: an int64 minute-window key (mostly increasing, ~840 distinct over the run) and a
 * dictionary-encoded country code (40 distinct), (b) the same pair with the strings plain,
 * (c) a plain utf8 key with 5k distinct values and an int32 with 10 (50k groups), and (d)
 * three keys: int32 (10), int64 (1000) and dictionary utf8 (40). 10M rows each, fed in
 * 128Ki-row batches cycled from a seeded pool of 8 batches. Prints one line per case and a
 * JSON summary. Run: node dist/benchmarks/micro/group-table-multi-key.js [rows].
 */
import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { uniformSource } from '../data/seeded-random.js';
import type { GroupTableTiming } from './time-group-table-inserts.js';
import { timeGroupTableInserts } from './time-group-table-inserts.js';

const TOTAL_ROWS = Number(process.argv[2] ?? 10_000_000);
const BATCH = 131072;
const POOL = 8;

const rnd = uniformSource(7);
const enc = new TextEncoder();

function plainStrings(strings: readonly string[]): ColumnVector {
  const bytes = strings.map((s) => enc.encode(s));
  const offsets = new Int32Array(bytes.length + 1);
  bytes.forEach((b, i) => {
    offsets[i + 1] = (offsets[i] as number) + b.length;
  });
  const values = new Uint8Array(offsets[bytes.length] as number);
  for (const [i, b] of bytes.entries()) values.set(b, offsets[i] as number);
  return { type: types.utf8, length: strings.length, validity: null, values, offsets };
}

function dictColumn(dict: ColumnVector, distinct: number): ColumnVector {
  const idx = new Int32Array(BATCH);
  for (let i = 0; i < BATCH; i++) idx[i] = Math.floor(rnd() * distinct);
  return { type: types.utf8, length: BATCH, validity: null, values: idx, dictionary: dict };
}

function plainColumn(strings: readonly string[]): ColumnVector {
  return plainStrings(Array.from({ length: BATCH }, () => strings[Math.floor(rnd() * strings.length)] as string));
}

/** Minute windows of event times that advance ~48 ms per row with up to 2 minutes of jitter, from batch number `b`. */
function windowColumn(b: number): ColumnVector {
  const v = new BigInt64Array(BATCH);
  const t0 = 1_700_000_000_000 + b * BATCH * 48;
  for (let i = 0; i < BATCH; i++) v[i] = BigInt(Math.floor((t0 + i * 48 + rnd() * 120_000) / 60000) * 60000);
  return { type: types.int64, length: BATCH, validity: null, values: v };
}

function int64Column(distinct: number): ColumnVector {
  const v = new BigInt64Array(BATCH);
  for (let i = 0; i < BATCH; i++) v[i] = BigInt(Math.floor(rnd() * distinct)) * 977n;
  return { type: types.int64, length: BATCH, validity: null, values: v };
}

function int32Column(distinct: number): ColumnVector {
  const v = new Int32Array(BATCH);
  for (let i = 0; i < BATCH; i++) v[i] = Math.floor(rnd() * distinct);
  return { type: types.int32, length: BATCH, validity: null, values: v };
}

function run(name: string, pool: readonly (readonly ColumnVector[])[], keyTypes: readonly DataType[]): GroupTableTiming {
  return timeGroupTableInserts(name, pool, keyTypes, TOTAL_ROWS, BATCH, true);
}

const countries = Array.from({ length: 40 }, (_, i) => `C${String.fromCharCode(65 + (i % 26))}${i}`);
const countryDict = plainStrings(countries);
const merchants = Array.from({ length: 5000 }, (_, i) => `m${i.toString(36).padStart(5, '0')}`);

const windows = Array.from({ length: POOL }, (_, b) => windowColumn(b));
const w3Dict = windows.map((w) => [w, dictColumn(countryDict, 40)]);
const w3Plain = windows.map((w) => [w, plainColumn(countries)]);
const pair = Array.from({ length: POOL }, () => [plainColumn(merchants), int32Column(10)]);
const triple = Array.from({ length: POOL }, () => [int32Column(10), int64Column(1000), dictColumn(countryDict, 40)]);

const results = [
  run('int64 window + dictionary utf8 (40)', w3Dict, [types.int64, types.utf8]),
  run('int64 window + plain utf8 (40)', w3Plain, [types.int64, types.utf8]),
  run('plain utf8 (5k) + int32 (10)', pair, [types.utf8, types.int32]),
  run('int32 (10) + int64 (1k) + dictionary utf8 (40)', triple, [types.int32, types.int64, types.utf8]),
];
console.log(JSON.stringify({ benchmark: 'group-table-multi-key', rows: TOTAL_ROWS, batchRows: BATCH, node: process.version, results }));
