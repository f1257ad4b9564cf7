import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { makeBatch, sliceBatch } from '../../common/columnar-batch.js';
import type { DataType } from '../../common/data-type.js';
import type { Field, Schema } from '../../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../../common/schema.js';
import { analyzeExpr } from '../../dataframe/expr/analyze-expr.js';
import type { AggCall, Expr } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import type { Accumulator } from '../aggregate/accumulator.js';
import type { BoundAggregate } from '../aggregate/bind-aggregate.js';
import { aggregateValueType, bindAggregate, valueTypeFromState } from '../aggregate/bind-aggregate.js';
import { FusedDoubleAggregates } from '../aggregate/fused-double-aggregates.js';
import type { FusedPlan } from '../aggregate/plan-fused-aggregates.js';
import { planFusedAggregates } from '../aggregate/plan-fused-aggregates.js';
import { compileExpr } from '../eval/compile-expr.js';
import { GroupTable } from '../hash/group-table.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * How a {@link HashAggregateExec} splits work: `partial` folds input rows into partial
 * states (columns that can cross threads), `final` merges partial states, `complete` does
 * both in one operator, `partialMerge` merges partial states into partial states (used by
 * streaming aggregation to fold a batch's partial states into the stored ones).
 */
export type AggregateMode = 'partial' | 'final' | 'complete' | 'partialMerge';

function readsStates(mode: AggregateMode): boolean {
  return mode === 'final' || mode === 'partialMerge';
}

function writesStates(mode: AggregateMode): boolean {
  return mode === 'partial' || mode === 'partialMerge';
}

type Eval = (batch: ColumnarBatch) => ColumnVector;

function columnAt(index: number): Eval {
  return (b) => b.columns[index] as ColumnVector;
}

/** The input side of one aggregate: its bound description and how to read its per-batch vectors. */
interface AggInput {
  readonly bound: BoundAggregate;
  readonly inputs: readonly Eval[];
}

/**
 * Hash aggregation: groups rows by `groupBy` in a {@link GroupTable} and folds each
 * aggregate call into per-group accumulators. Blocking: it consumes its whole input, then
 * yields the result in batches of `ctx.batchSize`.
 *
 * Output: the group columns (named `groupNames`, typed by the analysed expressions), then in
 * partial mode each call's partial state columns named `${aggName}#${stateName}`, and in
 * final/complete mode one column per call named `aggNames[i]`; partialMerge outputs
 * partial states like partial mode. In final and partialMerge mode the input is
 * the concatenation of partial outputs: group columns are read by `groupNames`, states by
 * their `#` names, and merged in input-batch order (which first/last respect). Groups come
 * out in first-seen order. Without grouping keys the output is exactly one row, even for
 * empty input.
 */
export class HashAggregateExec implements PhysicalOperator {
  readonly name = 'HashAggregateExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly groupEvals: readonly Eval[];
  private readonly groupTypes: readonly DataType[];
  private readonly aggs: readonly AggInput[];
  /** Aggregates updated together in one loop (partial/complete mode only), or null. */
  private readonly fused: FusedPlan | null;
  private readonly fusedInputs: readonly Eval[];

  constructor(
    child: PhysicalOperator,
    private readonly groupBy: readonly Expr[],
    groupNames: readonly string[],
    private readonly aggCalls: readonly AggCall[],
    private readonly aggNames: readonly string[],
    private readonly mode: AggregateMode,
  ) {
    this.children = [child];
    const input = child.schema;
    const groupFields: Field[] = [];
    if (readsStates(mode)) {
      const idx = groupNames.map((n) => resolveFieldIndex(input, n, null));
      this.groupEvals = idx.map(columnAt);
      for (const i of idx) groupFields.push(input.fields[i] as Field);
    } else {
      this.groupEvals = groupBy.map((g) => compileExpr(g, input));
      groupBy.forEach((g, i) => {
        const a = analyzeExpr(g, input);
        groupFields.push(field(groupNames[i] as string, a.type, a.nullable));
      });
    }
    this.groupTypes = groupFields.map((f) => f.type);
    this.aggs = aggCalls.map((call, i) => this.bindInput(call, aggNames[i] as string, input));
    this.fused = readsStates(mode)
      ? null
      : planFusedAggregates(
          this.aggs.map((a) => a.bound),
          aggCalls.map((c) => aggregateValueType(c, input)),
        );
    this.fusedInputs = this.fused?.inputs.map((e) => compileExpr(e, input)) ?? [];
    const outFields = groupFields.map((f, i) => field(groupNames[i] as string, f.type, f.nullable));
    this.aggs.forEach((a, i) => {
      if (writesStates(mode)) for (const s of a.bound.stateFields) outFields.push(field(`${aggNames[i]}#${s.name}`, s.type, true));
      else
        outFields.push(
          field(
            aggNames[i] as string,
            a.bound.resultType,
            a.bound.call.fn !== 'count' && a.bound.call.fn !== 'countDistinct' && a.bound.call.fn !== 'approxCountDistinct',
          ),
        );
    });
    this.schema = schemaOf(outFields);
  }

  private bindInput(call: AggCall, aggName: string, input: Schema): AggInput {
    if (!readsStates(this.mode)) {
      const bound = bindAggregate(call, aggregateValueType(call, input));
      return { bound, inputs: bound.valueArgs.map((e) => compileExpr(e, input)) };
    }
    const probe = bindAggregate(call, aggregateValueType({ ...call, args: [] }, input));
    const firstState = probe.stateFields[0]?.name ?? '';
    const firstIdx = resolveFieldIndex(input, `${aggName}#${firstState}`, null);
    const bound = bindAggregate(call, valueTypeFromState(call, (input.fields[firstIdx] as Field).type));
    return { bound, inputs: bound.stateFields.map((s) => columnAt(resolveFieldIndex(input, `${aggName}#${s.name}`, null))) };
  }

  describe(): string {
    const keys = this.groupBy.map((g) => exprToString(g)).join(', ');
    const aggs = this.aggCalls.map((c, i) => `${exprToString(c)} AS ${this.aggNames[i]}`).join(', ');
    return `${this.mode}, keys=[${keys}], aggs=[${aggs}]`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const table = this.groupTypes.length > 0 ? new GroupTable(this.groupTypes) : null;
    const plan = this.fused;
    const fused = plan === null ? null : new FusedDoubleAggregates(plan.specs, plan.inputs.length);
    // Position of each aggregate among the fused ones, -1 when it has its own accumulator.
    const fusedAt = this.aggs.map((_a, k) => plan?.members.indexOf(k) ?? -1);
    const own = this.aggs.map((_a, k) => k).filter((k) => fusedAt[k] === -1);
    const accs: (Accumulator | null)[] = this.aggs.map((a, k) => (fusedAt[k] === -1 ? a.bound.create() : null));
    const merging = readsStates(this.mode);
    let numGroups = table === null ? 1 : 0;
    for (const acc of accs) acc?.resize(numGroups);
    fused?.resize(numGroups);
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
      ctx.signal?.throwIfAborted();
      if (b.numRows === 0) continue;
      const t0 = performance.now();
      let ids: Int32Array;
      if (table === null) ids = new Int32Array(b.numRows);
      else {
        ids = table.insert(
          this.groupEvals.map((e) => e(b)),
          b.numRows,
        );
        numGroups = table.size;
      }
      if (fused !== null) {
        fused.resize(numGroups);
        fused.update(
          ids,
          this.fusedInputs.map((e) => e(b)),
          b.numRows,
        );
      }
      for (const k of own) {
        const acc = accs[k] as Accumulator;
        acc.resize(numGroups);
        const vecs = (this.aggs[k] as AggInput).inputs.map((e) => e(b));
        if (merging) acc.merge(ids, vecs, b.numRows);
        else acc.update(ids, vecs, b.numRows);
      }
      this.metrics.elapsedMs += performance.now() - t0;
    }
    const t1 = performance.now();
    const columns: ColumnVector[] = table === null ? [] : table.keyVectors();
    accs.forEach((acc, k) => {
      const f = fusedAt[k] as number;
      if (writesStates(this.mode)) columns.push(...(acc === null ? (fused as FusedDoubleAggregates).stateVectors(f, numGroups) : acc.stateVectors(numGroups)));
      else columns.push(acc === null ? (fused as FusedDoubleAggregates).finish(f, numGroups) : acc.finish(numGroups));
    });
    this.metrics.extra.groups = numGroups;
    this.metrics.extra.memoryBytes = (table?.memoryBytes() ?? 0) + (fused?.memoryBytes() ?? 0) + accs.reduce((s, a) => s + (a?.memoryBytes() ?? 0), 0);
    const result = makeBatch(this.schema, columns, numGroups);
    this.metrics.elapsedMs += performance.now() - t1;
    const size = Math.max(1, ctx.batchSize);
    for (let start = 0; start < numGroups; start += size) {
      const out = start === 0 && numGroups <= size ? result : sliceBatch(result, start, Math.min(numGroups, start + size));
      this.metrics.outputRows += out.numRows;
      this.metrics.outputBatches++;
      yield out;
    }
  }
}
