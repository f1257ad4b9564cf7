/**
 * Micro-benchmark of sorting: 10M rows of (card_id int64, amount float64, merchant_id utf8
 * 'm0'..'m49999'), seeded. Two cases: (a) by amount (one float64 key), (b) by
 * (merchant_id, card_id). For each it prints the seconds of the permutation alone (key
 * words + radix sort) and of the whole SortExec (input in 64Ki-row batches: concat, keys,
 * permutation, gather of all three columns into 64Ki-row output batches). Second run of each
 * is reported (the first warms up). Prints one line per case and a JSON summary.
 * Run: npx tsx benchmarks/micro/sort.ts [rows]
 */
import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { makeBatch, sliceBatch } from '../../common/columnar-batch.js';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import type { SortOrder } from '../../dataframe/expr/expr.js';
import { LocalScanExec } from '../../engine/physical/local-scan-exec.js';
import { SortExec } from '../../engine/physical/sort-exec.js';
import type { SortDirection } from '../../engine/sort/sort-key-words.js';
import { sortPermutation } from '../../engine/sort/sort-permutation.js';
import { uniformSource } from '../data/seeded-random.js';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const OUT_BATCH = 65536;

function generate(n: number): ColumnarBatch {
  const rnd = uniformSource(42);
  const cards = new BigInt64Array(n);
  const halves = new Int32Array(cards.buffer);
  const amounts = new Float64Array(n);
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(n * 6);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    halves[2 * i] = Math.floor(rnd() * 1_000_000);
    amounts[i] = Math.round(Math.exp(3.5 + 1.1 * (rnd() + rnd() + rnd() - 1.5)) * 100) / 100;
    const m = `m${Math.floor(rnd() * 50_000)}`;
    for (let k = 0; k < m.length; k++) bytes[pos++] = m.charCodeAt(k);
    offsets[i + 1] = pos;
  }
  const schema = schemaOf([field('card_id', types.int64), field('amount', types.float64), field('merchant_id', types.utf8)]);
  const cols: ColumnVector[] = [
    { type: types.int64, length: n, validity: null, values: cards },
    { type: types.float64, length: n, validity: null, values: amounts },
    { type: types.utf8, length: n, validity: null, values: bytes.subarray(0, pos), offsets },
  ];
  return makeBatch(schema, cols, n);
}

async function timeSort(batch: ColumnarBatch, keyCols: readonly number[]): Promise<{ permSeconds: number; totalSeconds: number }> {
  const asc: SortDirection = { ascending: true, nullsFirst: true };
  const t0 = performance.now();
  sortPermutation(
    keyCols.map((c) => batch.columns[c] as ColumnVector),
    keyCols.map(() => asc),
    batch.numRows,
  );
  const permSeconds = (performance.now() - t0) / 1000;
  const inputs: ColumnarBatch[] = [];
  for (let s = 0; s < batch.numRows; s += OUT_BATCH) inputs.push(sliceBatch(batch, s, Math.min(batch.numRows, s + OUT_BATCH)));
  const orders: SortOrder[] = keyCols.map((c) => ({
    kind: 'sort',
    child: { kind: 'col', name: (batch.schema.fields[c] as { name: string }).name, qualifier: null },
    ascending: true,
    nullsFirst: true,
  }));
  const t1 = performance.now();
  let rows = 0;
  for await (const b of new SortExec(new LocalScanExec(batch.schema, inputs), orders).execute({ batchSize: OUT_BATCH })) rows += b.numRows;
  const totalSeconds = (performance.now() - t1) / 1000;
  if (rows !== batch.numRows) throw new Error('row count mismatch');
  return { permSeconds, totalSeconds };
}

const batch = generate(ROWS);
const results: Record<string, { permSeconds: number; totalSeconds: number }> = {};
for (const [name, keys] of [
  ['float64', [1]],
  ['utf8,int64', [2, 0]],
] as const) {
  await timeSort(batch, keys);
  const r = await timeSort(batch, keys);
  results[name] = r;
  console.log(`sort ${ROWS} rows by ${name}: permutation ${r.permSeconds.toFixed(2)} s, whole SortExec ${r.totalSeconds.toFixed(2)} s`);
}
console.log(JSON.stringify({ rows: ROWS, results }));
