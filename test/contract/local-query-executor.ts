import type { ColumnarBatch } from '../../common/column-vector.js';
import { sliceBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import type { JsValue } from '../../common/vector-from-values.js';
import { valueAt } from '../../common/vector-value-at.js';
import { makeBatch } from '../../common/columnar-batch.js';
import { DataFrame } from '../../dataframe/data-frame.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { ExplainMode, QueryExecutor, WriteRequest } from '../../dataframe/query-executor.js';
import { planFileSplits } from '../../sources/file/file-split.js';
import { readSplit } from '../../sources/file/read-split.js';
import { connectorSplitReader } from '../../sources/connector-split-readers.js';

/**
 * A QueryExecutor for connector tests that runs the plan shapes sources produce (local
 * rows, file scans, connector scans) and the limit the console sink adds, on the calling thread, so source
 * and sink tests do not depend on the worker-pool engine.
 */
export class LocalQueryExecutor implements QueryExecutor {
  async *execute(plan: LogicalPlan): AsyncIterable<ColumnarBatch> {
    switch (plan.kind) {
      case 'local':
        yield* plan.batches;
        return;
      case 'fileScan': {
        const { splits } = await planFileSplits(plan, 1);
        for (const split of splits) yield* readSplit(plan, split);
        return;
      }
      case 'connectorScan': {
        const read = await connectorSplitReader(plan.connector);
        for (const split of plan.splits) yield* read(split, { schema: plan.schema, batchSize: 8192, addMetric: () => undefined });
        return;
      }
      case 'limit': {
        let left = plan.n;
        for await (const b of this.execute(plan.child)) {
          if (left <= 0) return;
          yield b.numRows <= left ? b : sliceBatch(b, 0, left);
          left -= b.numRows;
        }
        return;
      }
      default:
        throw new Error(`LocalQueryExecutor cannot run a '${plan.kind}' plan`);
    }
  }

  explain(plan: LogicalPlan, _mode: ExplainMode): string {
    return plan.kind;
  }

  async write(_plan: LogicalPlan, _request: WriteRequest): Promise<void> {
    throw new Error('LocalQueryExecutor does not write');
  }

  async materialize(plan: LogicalPlan): Promise<LogicalPlan> {
    const batches: ColumnarBatch[] = [];
    for await (const b of this.execute(plan)) batches.push(b);
    return buildLocalRelation(plan.schema, batches);
  }
}

/** The one executor connector tests share. */
export const localExecutor = new LocalQueryExecutor();

/** Runs a plan and returns its rows as arrays of JS values in column order. */
export async function planRows(plan: LogicalPlan): Promise<JsValue[][]> {
  const rows: JsValue[][] = [];
  for await (const b of localExecutor.execute(plan)) {
    for (let i = 0; i < b.numRows; i++) rows.push(b.columns.map((c) => valueAt(c, i)));
  }
  return rows;
}

/** A DataFrame over JS rows (arrays in schema order), run by the local executor. */
export function localFrame(schema: Schema, rows: readonly (readonly JsValue[])[]): DataFrame {
  const columns = schema.fields.map((f, j) =>
    vectorFromValues(
      f.type,
      rows.map((r) => r[j] ?? null),
    ),
  );
  return new DataFrame(buildLocalRelation(schema, [makeBatch(schema, columns, rows.length)]), localExecutor);
}

/** The rows of a columnar batch as arrays of JS values. */
export function batchRows(b: ColumnarBatch): JsValue[][] {
  const rows: JsValue[][] = [];
  for (let i = 0; i < b.numRows; i++) rows.push(b.columns.map((c) => valueAt(c, i)));
  return rows;
}
