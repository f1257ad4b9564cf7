import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, makeBatch } from '../../../common/columnar-batch.js';
import type { DataType } from '../../../common/data-type.js';
import { types } from '../../../common/data-type.js';
import type { Schema } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { analyzeExpr } from '../../../dataframe/expr/analyze-expr.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import { compileExpr } from '../../eval/compile-expr.js';
import type { StateStore } from '../../state/state-store.js';
import { PartitionedState } from './partitioned-state.js';
import type { StatefulOperatorEnv } from './stateful-operator.js';
import type { StateEviction } from './stream-join-condition.js';
import { flatTypes, hashableKeyVectors, unflattenVector } from './stream-join-flatten.js';

/*
 * One side of a stream-stream join (its state, keys and bound) and the small helpers the
 * join uses over row indices; the join itself is in stream-join.ts.
 */

/** The rows of one side held in state, loaded for a batch: rows, evaluated keys, stored keys, matched flags and partitions. */
export interface StoredRows {
  /** The rows, in the side's input schema. */
  readonly rows: ColumnarBatch;
  /** The join-key columns of the rows. */
  readonly keys: readonly ColumnVector[];
  /** The state-store key rows (join keys + sequence number), to update or remove rows. */
  readonly storeKeys: ColumnarBatch;
  /** The value columns as stored (row columns + matched flag). */
  readonly storeValues: ColumnarBatch;
  /** 1 when the row matched some row of the other side. */
  readonly matched: Uint8Array;
  /** State partition of each row. */
  readonly part: Int32Array;
}

/** One side of the join: its schema, key expressions, state and bound. */
export class JoinSideState {
  readonly state: PartitionedState;
  readonly keyFns: ((b: ColumnarBatch) => ColumnVector)[];
  readonly keyTypes: readonly DataType[];
  /** Number of flat state columns of the row. */
  readonly flatValueCount: number;

  constructor(
    readonly schema: Schema,
    keys: readonly Expr[],
    readonly eviction: StateEviction | null,
    readonly lateColumn: number,
    env: StatefulOperatorEnv,
    storeName: string,
  ) {
    this.keyFns = keys.map((k) => compileExpr(k, schema));
    this.keyTypes = keys.map((k) => analyzeExpr(k, schema).type);
    const keyFields = this.keyTypes.flatMap((t, i) => flatTypes(t).map((ft, j) => field(`k${i}_${j}`, ft, true)));
    const valueFields = schema.fields.flatMap((f, i) => flatTypes(f.type).map((ft, j) => field(`c${i}_${j}`, ft, true)));
    this.flatValueCount = valueFields.length;
    const keySchema = schemaOf([...keyFields, field('seq', types.int64, false)]);
    const valueSchema = schemaOf([...valueFields, field('matched', types.boolean, false)]);
    this.state = new PartitionedState(env, keySchema, valueSchema, storeName);
  }

  keysOf(rows: ColumnarBatch): ColumnVector[] {
    return this.keyFns.map((f) => f(rows));
  }

  /** The event-time vector the eviction compares (a window key's `end`), or null without eviction. */
  timeOf(rows: ColumnarBatch, keys: readonly ColumnVector[]): ColumnVector | null {
    const e = this.eviction;
    if (e === null) return null;
    if (e.kind === 'value') return rows.columns[e.column] as ColumnVector;
    const k = keys[e.keyIndex] as ColumnVector;
    if (k.type.kind !== 'struct') return k;
    const fi = k.type.fields.findIndex((f) => f.name === 'end');
    const child = k.children?.[fi] as ColumnVector;
    if (k.validity === null) return child;
    const validity = new Uint8Array(k.length);
    for (let i = 0; i < k.length; i++) validity[i] = (k.validity[i] as number) & (child.validity === null ? 1 : (child.validity[i] as number));
    return { ...child, validity };
  }

  /** Loads every stored row of the open stores. */
  load(stores: readonly StateStore[]): StoredRows {
    const keyParts: ColumnarBatch[] = [];
    const valueParts: ColumnarBatch[] = [];
    const partOf: number[] = [];
    stores.forEach((s, p) => {
      for (const chunk of s.iterate()) {
        keyParts.push(chunk.keys);
        valueParts.push(chunk.values);
        for (let i = 0; i < chunk.keys.numRows; i++) partOf.push(p);
      }
    });
    const storeKeys = concatBatches(this.state.keySchema, keyParts);
    const storeValues = concatBatches(this.state.valueSchema, valueParts);
    const n = storeKeys.numRows;
    const rows = makeBatch(
      this.schema,
      unflatten(
        this.schema.fields.map((f) => f.type),
        storeValues.columns,
      ),
      n,
    );
    const matchedCol = storeValues.columns[this.flatValueCount] as ColumnVector;
    const matched = new Uint8Array(n);
    if (n > 0) matched.set(matchedCol.values as Uint8Array);
    return { rows, keys: unflatten(this.keyTypes, storeKeys.columns), storeKeys, storeValues, matched, part: Int32Array.from(partOf) };
  }

  /** The key columns the partitioning and hash table use (struct keys by their fields). */
  hashKeys(keys: readonly ColumnVector[]): ColumnVector[] {
    return keys.flatMap(hashableKeyVectors);
  }
}

export function unflatten(ts: readonly DataType[], cols: readonly ColumnVector[]): ColumnVector[] {
  const out: ColumnVector[] = [];
  let pos = 0;
  for (const t of ts) {
    const [v, next] = unflattenVector(t, cols, pos);
    out.push(v);
    pos = next;
  }
  return out;
}

/** Rows of `b` grouped by the partition `part[i]`, each group in row order. */
export function byPart(part: Int32Array, rows: Int32Array, numPartitions: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: numPartitions }, () => []);
  for (const r of rows) (lists[part[r] as number] as number[]).push(r);
  return lists.map((l) => Int32Array.from(l));
}

export function boolVector(flags: Uint8Array): ColumnVector {
  return { type: types.boolean, length: flags.length, validity: null, values: flags };
}

export function pushIf(out: ColumnarBatch[], b: ColumnarBatch | null): void {
  if (b !== null) out.push(b);
}

export function indicesWhere(n: number, pred: (i: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (pred(i)) out.push(i);
  return Int32Array.from(out);
}
