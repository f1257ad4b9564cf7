import { describe, expect, it } from 'vitest';
import type { ColumnarBatch, ColumnVector } from '../../../../common/column-vector.js';
import { makeBatch } from '../../../../common/columnar-batch.js';
import type { DataType } from '../../../../common/data-type.js';
import { types } from '../../../../common/data-type.js';
import type { Schema } from '../../../../common/schema.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import type { AggCall, AggregateFunctionName, Expr } from '../../../../dataframe/expr/expr.js';
import { HashAggregateExec } from '../../../../engine/physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../../../engine/physical/local-scan-exec.js';
import type { PhysicalOperator } from '../../../../engine/physical/physical-operator.js';

const col = (name: string): Expr => ({ kind: 'col', name, qualifier: null });
const agg = (fn: AggregateFunctionName, ...args: Expr[]): AggCall => ({ kind: 'agg', fn, args });
const bool = (value: boolean): Expr => ({ kind: 'lit', value, type: types.boolean });

const SCHEMA = schemaOf([field('k', types.utf8), field('n', types.int32), field('v', types.int64)]);
const DATA: JsValue[][] = [
  ['a', 1, 10n],
  ['b', null, 20n],
  ['a', 2, null],
  [null, 3, 30n],
  ['b', 4, 2n ** 60n],
  ['c', null, null],
  [null, 5, 50n],
  ['a', 6, 60n],
];

function batchOf(schema: Schema, rows: readonly JsValue[][]): ColumnarBatch {
  return makeBatch(
    schema,
    schema.fields.map((f, c) =>
      vectorFromValues(
        f.type,
        rows.map((r) => r[c] as JsValue),
      ),
    ),
    rows.length,
  );
}

function scan(rows: readonly JsValue[][], perBatch: number, schema: Schema = SCHEMA): PhysicalOperator {
  const batches: ColumnarBatch[] = [];
  for (let s = 0; s < rows.length; s += perBatch) batches.push(batchOf(schema, rows.slice(s, s + perBatch)));
  return new LocalScanExec(schema, batches);
}

async function collect(op: PhysicalOperator, batchSize = 1024): Promise<{ rows: JsValue[][]; batches: ColumnarBatch[] }> {
  const batches: ColumnarBatch[] = [];
  for await (const b of op.execute({ batchSize })) batches.push(b);
  const rows = batches.flatMap((b) => Array.from({ length: b.numRows }, (_, i) => b.columns.map((c: ColumnVector) => valueAt(c, i))));
  return { rows, batches };
}

const CALLS: AggCall[] = [
  agg('count'),
  agg('count', col('n')),
  agg('sum', col('v')),
  agg('avg', col('n')),
  agg('min', col('n')),
  agg('max', col('k')),
  agg('first', col('n'), bool(false)),
  agg('last', col('v'), bool(true)),
  agg('collectList', col('n')),
  agg('countDistinct', col('n')),
  agg('stddev', col('n')),
];
const NAMES = ['cnt', 'cnt_n', 'sum_v', 'avg_n', 'min_n', 'max_k', 'first_n', 'last_v', 'list_n', 'dist_n', 'sd_n'];

describe('HashAggregateExec complete', () => {
  it('groups in first-seen order with nulls as a group', async () => {
    const op = new HashAggregateExec(scan(DATA, 3), [col('k')], ['k'], CALLS, NAMES, 'complete');
    expect(op.schema.fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual([
      'k:utf8',
      'cnt:int64',
      'cnt_n:int64',
      'sum_v:int64',
      'avg_n:float64',
      'min_n:int32',
      'max_k:utf8',
      'first_n:int32',
      'last_v:int64',
      'list_n:list',
      'dist_n:int64',
      'sd_n:float64',
    ]);
    const { rows } = await collect(op);
    expect(rows).toEqual([
      ['a', 3n, 3n, 70n, 3, 1, 'a', 1, 60n, [1, 2, 6], 3n, Math.sqrt(7)],
      ['b', 2n, 1n, 20n + 2n ** 60n, 4, 4, 'b', null, 2n ** 60n, [4], 1n, null],
      [null, 2n, 2n, 80n, 4, 3, null, 3, 50n, [3, 5], 2n, Math.sqrt(2)],
      ['c', 1n, 0n, null, null, null, 'c', null, null, [], 0n, null],
    ]);
    expect(op.metrics.outputRows).toBe(4);
    expect(op.metrics.extra.groups).toBe(4);
  });

  it('without keys yields exactly one row, also for empty input', async () => {
    const calls = [agg('count'), agg('sum', col('v')), agg('max', col('k')), agg('collectList', col('n'))];
    const names = ['c', 's', 'm', 'l'];
    const full = await collect(new HashAggregateExec(scan(DATA, 5), [], [], calls, names, 'complete'));
    expect(full.rows).toEqual([[8n, 170n + 2n ** 60n, 'c', [1, 2, 3, 4, 5, 6]]]);
    const empty = await collect(new HashAggregateExec(scan([], 5), [], [], calls, names, 'complete'));
    expect(empty.rows).toEqual([[0n, null, null, []]]);
    const grouped = await collect(new HashAggregateExec(scan([], 5), [col('k')], ['k'], calls, names, 'complete'));
    expect(grouped.rows).toEqual([]);
  });

  it('evaluates key expressions and groups by several keys', async () => {
    const isBig: Expr = { kind: 'binary', op: '>', left: col('n'), right: { kind: 'lit', value: 2, type: types.int32 } };
    const op = new HashAggregateExec(scan(DATA, 4), [col('k'), isBig], ['k', 'big'], [agg('count')], ['c'], 'complete');
    expect(op.schema.fields[1]?.type).toEqual(types.boolean);
    expect((await collect(op)).rows).toEqual([
      ['a', false, 2n],
      ['b', null, 1n],
      [null, true, 2n],
      ['b', true, 1n],
      ['c', null, 1n],
      ['a', true, 1n],
    ]);
  });

  it('splits the result into batches of ctx.batchSize', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => [`k${i}`, i, BigInt(i)]);
    const { batches } = await collect(new HashAggregateExec(scan(rows, 7), [col('k')], ['k'], [agg('sum', col('n'))], ['s'], 'complete'), 10);
    expect(batches.map((b) => b.numRows)).toEqual([10, 10, 5]);
    expect(valueAt(batches[2]?.columns[1] as ColumnVector, 4)).toBe(24n);
  });
});

describe('HashAggregateExec partial + final', () => {
  it('names partial states aggName#state and merges them to the complete answer', async () => {
    const complete = await collect(new HashAggregateExec(scan(DATA, 8), [col('k')], ['k'], CALLS, NAMES, 'complete'));
    // Partials over separate slices of the input, concatenated in order like a shuffle would.
    const partialOps = [DATA.slice(0, 3), DATA.slice(3, 5), DATA.slice(5)].map(
      (rows) => new HashAggregateExec(scan(rows, 2), [col('k')], ['k'], CALLS, NAMES, 'partial'),
    );
    const partialSchema = (partialOps[0] as HashAggregateExec).schema;
    expect(partialSchema.fields.slice(0, 6).map((f) => f.name)).toEqual(['k', 'cnt#count', 'cnt_n#count', 'sum_v#sum', 'avg_n#sum', 'avg_n#count']);
    const partialBatches: ColumnarBatch[] = [];
    for (const p of partialOps) partialBatches.push(...(await collect(p)).batches);
    const finalOp = new HashAggregateExec(new LocalScanExec(partialSchema, partialBatches), [col('k')], ['k'], CALLS, NAMES, 'final');
    expect(finalOp.schema.fields.map((f) => f.name)).toEqual(['k', ...NAMES]);
    expect((await collect(finalOp)).rows).toEqual(complete.rows);
  });

  it('merges partials without keys, including an empty partial', async () => {
    const calls = [agg('avg', col('v')), agg('first', col('k'), bool(true)), agg('approxCountDistinct', col('n'))];
    const names = ['a', 'f', 'd'];
    const parts = [[], DATA.slice(0, 4), DATA.slice(4)].map((rows) => new HashAggregateExec(scan(rows, 3), [], [], calls, names, 'partial'));
    const batches: ColumnarBatch[] = [];
    for (const p of parts) batches.push(...(await collect(p)).batches);
    expect(batches.length).toBe(3);
    const final = new HashAggregateExec(new LocalScanExec((parts[0] as HashAggregateExec).schema, batches), [], [], calls, names, 'final');
    expect((await collect(final)).rows).toEqual([[Number(170n + 2n ** 60n) / 6, 'a', 6n]]);
  });
});

describe('HashAggregateExec types', () => {
  it('groups dictionary-encoded keys like plain ones', async () => {
    const schema = schemaOf([field('k', types.utf8), field('x', types.float64)]);
    const dict = vectorFromValues(types.utf8, ['q', 'p']);
    const mk = (idx: number[], xs: number[]): ColumnarBatch =>
      makeBatch(schema, [
        { type: types.utf8, length: idx.length, validity: null, values: Int32Array.from(idx), dictionary: dict },
        vectorFromValues(types.float64, xs),
      ]);
    const plain = batchOf(schema, [
      ['p', 10],
      ['z', 1],
    ]);
    const src = new LocalScanExec(schema, [mk([1, 0, 1], [1, 2, 3]), plain]);
    const op = new HashAggregateExec(src, [col('k')], ['k'], [agg('sum', col('x'))], ['s'], 'complete');
    expect((await collect(op)).rows).toEqual([
      ['p', 14],
      ['q', 2],
      ['z', 1],
    ]);
  });

  it('keeps key types for timestamps, dates and int64', async () => {
    const types_: DataType[] = [types.timestamp('us'), types.date, types.int64];
    const schema = schemaOf(types_.map((t, i) => field(`c${i}`, t)));
    const rows: JsValue[][] = [
      [1000n, 1, 2n ** 60n],
      [1000n, 1, 2n ** 60n],
      [null, null, null],
    ];
    const op = new HashAggregateExec(scan(rows, 2, schema), [col('c0'), col('c1'), col('c2')], ['a', 'b', 'c'], [agg('count')], ['n'], 'complete');
    expect(op.schema.fields.map((f) => f.type)).toEqual([...types_, types.int64]);
    expect((await collect(op)).rows).toEqual([
      [new Date(1), new Date(86400000), 2n ** 60n, 2n],
      [null, null, null, 1n],
    ]);
    expect(op.describe()).toContain('complete');
  });
});
