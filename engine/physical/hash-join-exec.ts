import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches } from '../../common/columnar-batch.js';
import { internalError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import type { JoinType } from '../../dataframe/plan/logical-plan.js';
import { compileExpr } from '../eval/compile-expr.js';
import type { ProbeInput } from '../join/join-emitter.js';
import { buildSideRows, JoinEmitter } from '../join/join-emitter.js';
import type { JoinSide, JoinSpec } from '../join/join-spec.js';
import { HashJoinTable } from '../join/hash-join-table.js';
import { probeHashJoin } from '../join/probe-hash-join.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * Options for running one hash join's probe over several partitions.
 *
 * Protocol: build the table once (`HashJoinExec.buildTable`), or have every worker build
 * it from the same build input in the same order so row numbers agree. Run one
 * HashJoinExec per probe partition with `{ table, deferBuildSideRows: true }` (the build
 * child is then not executed); after each finishes, OR its `matchedBuildRows` into one
 * bitmap (`orMatched` from engine/join/join-emitter.ts; the bitmaps are plain Uint8Arrays,
 * cheap to post between threads). Finally call `buildSideRows(spec, table.build,
 * table.keys, merged, batchSize)` once to emit the unmatched build rows of a right/full
 * outer join (or the rows of a semi/anti join built on the left).
 */
export interface HashJoinOptions {
  /** A prebuilt build side; when given the build child is not executed. */
  readonly table?: HashJoinTable;
  /** Leave the build-side rows owed at the end to the caller (see above). */
  readonly deferBuildSideRows?: boolean;
}

/**
 * Equi-join through a hash table on the build side. Join types inner, left, right, full,
 * semi and anti (cross joins and joins without keys use NestedLoopJoinExec). Null keys never
 * match; `condition` is evaluated over the combined row (left columns then right columns)
 * and a preserved row all of whose matches fail it comes out null-extended. Output: left
 * then right columns; semi/anti only the left ones; with `using` the keys once first.
 *
 * Blocking on the build side (consumed fully into a HashJoinTable), streaming on the
 * probe side: each probe batch yields its matches as it arrives, in probe row order
 * (matches of one probe row in build row order). Unmatched build rows of an outer join
 * come last, from the matched bitmap.
 */
export class HashJoinExec implements PhysicalOperator {
  readonly name = 'HashJoinExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  /** The join's static description, for a caller that emits build-side rows itself. */
  readonly spec: JoinSpec;
  private readonly leftKeys: readonly Expr[];
  private readonly rightKeys: readonly Expr[];
  private readonly options: HashJoinOptions;
  private matched: Uint8Array | null = null;

  constructor(
    left: PhysicalOperator,
    right: PhysicalOperator,
    joinType: JoinType,
    leftKeys: readonly Expr[],
    rightKeys: readonly Expr[],
    condition: Expr | null,
    buildSide: JoinSide,
    schema: Schema,
    using: readonly string[] | null,
    options: HashJoinOptions = {},
  ) {
    if (leftKeys.length === 0 || leftKeys.length !== rightKeys.length || joinType === 'cross')
      throw internalError(
        `HashJoinExec needs one or more key pairs (got ${leftKeys.length} left, ${rightKeys.length} right) and no cross join; plan NestedLoopJoinExec instead`,
      );
    this.children = [left, right];
    this.schema = schema;
    this.leftKeys = leftKeys;
    this.rightKeys = rightKeys;
    this.options = options;
    this.spec = { joinType, buildSide, leftSchema: left.schema, rightSchema: right.schema, outputSchema: schema, condition, using };
  }

  /** Builds a join table from a whole build input and its key expressions (blocking). */
  static async buildTable(build: PhysicalOperator, keyExprs: readonly Expr[], ctx: ExecContext): Promise<HashJoinTable> {
    const batches: ColumnarBatch[] = [];
    for await (const b of build.execute(ctx)) batches.push(b);
    return tableOf(build.schema, batches, keyExprs);
  }

  /** One byte per build row, 1 when it matched; set once `execute` has finished (null before). */
  get matchedBuildRows(): Uint8Array | null {
    return this.matched;
  }

  describe(): string {
    const keys = this.leftKeys.map((l, i) => `${exprToString(l)} = ${exprToString(this.rightKeys[i] as Expr)}`).join(' AND ');
    const cond = this.spec.condition === null ? '' : ` AND ${exprToString(this.spec.condition)}`;
    return `${this.spec.joinType} ${keys}${cond} build=${this.spec.buildSide}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const buildLeft = this.spec.buildSide === 'left';
    const buildChild = this.children[buildLeft ? 0 : 1] as PhysicalOperator;
    const probeChild = this.children[buildLeft ? 1 : 0] as PhysicalOperator;
    let table = this.options.table;
    if (table === undefined) {
      const batches: ColumnarBatch[] = [];
      for await (const b of buildChild.execute(ctx)) batches.push(b);
      const t0 = performance.now();
      table = tableOf(buildChild.schema, batches, buildLeft ? this.leftKeys : this.rightKeys);
      this.metrics.elapsedMs += performance.now() - t0;
    }
    this.metrics.extra.buildRows = table.build.numRows;
    this.metrics.extra.hashTableBytes = table.memoryBytes();
    const emitter = new JoinEmitter(this.spec, table.build, table.keys);
    const roles = emitter.roles;
    const probeFns = (buildLeft ? this.rightKeys : this.leftKeys).map((e) => compileExpr(e, probeChild.schema));
    const groupHit = new Uint8Array(table.groupCount);
    const probeOwes = roles.probeUnmatched || (roles.semiAntiProbe && roles.anti);
    if (table.build.numRows > 0 || probeOwes) {
      for await (const batch of probeChild.execute(ctx)) {
        let t0 = performance.now();
        const probe: ProbeInput = { batch, keys: probeFns.map((f) => f(batch)) };
        const outs = probeHashJoin(table, emitter, probe, groupHit, ctx.batchSize);
        for (let r = outs.next(); !r.done; r = outs.next()) {
          this.metrics.elapsedMs += performance.now() - t0;
          yield this.count(r.value);
          t0 = performance.now();
        }
        this.metrics.elapsedMs += performance.now() - t0;
      }
    }
    expandGroupHits(table, groupHit, emitter.buildMatched);
    this.matched = emitter.buildMatched;
    if (this.options.deferBuildSideRows) return;
    for (const out of buildSideRows(this.spec, table.build, table.keys, emitter.buildMatched, ctx.batchSize)) yield this.count(out);
  }

  private count(out: ColumnarBatch): ColumnarBatch {
    this.metrics.outputRows += out.numRows;
    this.metrics.outputBatches++;
    return out;
  }
}

function tableOf(schema: Schema, batches: readonly ColumnarBatch[], keyExprs: readonly Expr[]): HashJoinTable {
  const all = concatBatches(schema, batches);
  return new HashJoinTable(
    all,
    keyExprs.map((e) => compileExpr(e, schema)(all)),
  );
}

/** Marks every build row of a group hit by a condition-free build-left semi/anti probe. */
function expandGroupHits(table: HashJoinTable, groupHit: Uint8Array, matched: Uint8Array): void {
  for (let g = 0; g < groupHit.length; g++) {
    if (groupHit[g] === 0) continue;
    for (let r = table.head[g] as number; r >= 0; r = table.next[r] as number) matched[r] = 1;
  }
}
