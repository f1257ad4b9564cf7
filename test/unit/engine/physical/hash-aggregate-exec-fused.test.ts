import { describe, expect, it } from 'vitest';
import type { ColumnarBatch, ColumnVector } from '../../../../common/column-vector.js';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
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
const twice: Expr = { kind: 'binary', op: '*', left: col('a'), right: { kind: 'lit', value: 2, type: types.float64 } };

const SCHEMA = schemaOf([field('k', types.utf8), field('a', types.float64), field('n', types.int32)]);
const DATA: JsValue[][] = [
  ['x', 1.5, 1],
  ['y', null, 2],
  ['x', 2.5, null],
  ['z', null, 3],
  ['y', 4, 4],
  ['x', -1, 5],
];

function scan(rows: readonly JsValue[][], perBatch: number): PhysicalOperator {
  const batches: ColumnarBatch[] = [];
  for (let s = 0; s < rows.length; s += perBatch) {
    const part = rows.slice(s, s + perBatch);
    const cols = SCHEMA.fields.map((f, c) =>
      vectorFromValues(
        f.type,
        part.map((r) => r[c] as JsValue),
      ),
    );
    batches.push(makeBatch(SCHEMA, cols, part.length));
  }
  return new LocalScanExec(SCHEMA, batches);
}

async function collect(op: PhysicalOperator): Promise<{ rows: JsValue[][]; batches: ColumnarBatch[] }> {
  const batches: ColumnarBatch[] = [];
  for await (const b of op.execute({ batchSize: 1024 })) batches.push(b);
  const rows = batches.flatMap((b) => Array.from({ length: b.numRows }, (_, i) => b.columns.map((c: ColumnVector) => valueAt(c, i))));
  return { rows, batches };
}

// Fused: count(*), count(a), sum(a), avg(a), max(a), min(a*2); own accumulators: sum(n), first(a).
const CALLS = [
  agg('count'),
  agg('sum', col('n')),
  agg('count', col('a')),
  agg('sum', col('a')),
  agg('first', col('a')),
  agg('avg', col('a')),
  agg('max', col('a')),
  agg('min', twice),
];
const NAMES = ['c', 'sn', 'ca', 'sa', 'fa', 'aa', 'ma', 'mi'];
const EXPECTED: JsValue[][] = [
  ['x', 3n, 6n, 3n, 3, 1.5, 1, 2.5, -2],
  ['y', 2n, 6n, 1n, 4, null, 4, 4, 8],
  ['z', 1n, 3n, 0n, null, null, null, null, null],
];

describe('HashAggregateExec with fused double aggregates', () => {
  it('computes fused and unfused aggregates side by side in call order', async () => {
    expect((await collect(new HashAggregateExec(scan(DATA, 4), [col('k')], ['k'], CALLS, NAMES, 'complete'))).rows).toEqual(EXPECTED);
    const noKeys = await collect(new HashAggregateExec(scan(DATA, 2), [], [], CALLS, NAMES, 'complete'));
    expect(noKeys.rows).toEqual([[6n, 15n, 4n, 7, 1.5, 7 / 4, 4, -2]]);
    const empty = await collect(new HashAggregateExec(scan([], 2), [], [], CALLS, NAMES, 'complete'));
    expect(empty.rows).toEqual([[0n, null, 0n, null, null, null, null, null]]);
  });

  it('writes partial states that the final (unfused) merge turns into the complete answer', async () => {
    const parts = [DATA.slice(0, 2), DATA.slice(2)].map((rows) => new HashAggregateExec(scan(rows, 3), [col('k')], ['k'], CALLS, NAMES, 'partial'));
    const schema = (parts[0] as HashAggregateExec).schema;
    expect(schema.fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual([
      'k:utf8',
      'c#count:int64',
      'sn#sum:int64',
      'ca#count:int64',
      'sa#sum:float64',
      'fa#value:float64',
      'fa#valueSet:boolean',
      'aa#sum:float64',
      'aa#count:int64',
      'ma#max:float64',
      'mi#min:float64',
    ]);
    const first = await collect(parts[0] as HashAggregateExec);
    expect(first.rows).toEqual([
      ['x', 1n, 1n, 1n, 1.5, 1.5, true, 1.5, 1n, 1.5, 3],
      ['y', 1n, 2n, 0n, null, null, true, 0, 0n, null, null],
    ]);
    const batches = [...first.batches, ...(await collect(parts[1] as HashAggregateExec)).batches];
    const final = new HashAggregateExec(new LocalScanExec(schema, batches), [col('k')], ['k'], CALLS, NAMES, 'final');
    expect((await collect(final)).rows).toEqual(EXPECTED);
    const merged = new HashAggregateExec(new LocalScanExec(schema, batches), [col('k')], ['k'], CALLS, NAMES, 'partialMerge');
    const again = new HashAggregateExec(new LocalScanExec(schema, (await collect(merged)).batches), [col('k')], ['k'], CALLS, NAMES, 'final');
    expect((await collect(again)).rows).toEqual(EXPECTED);
  });
});
