import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import type { Field, Schema } from '../../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../../common/schema.js';
import { gatherVector } from '../../common/vector-gather.js';
import { readInt64, windowSpecIn } from '../eval/struct-kernels.js';
import { writeInt64 } from '../eval/eval-vectors.js';
import type { PanePlan } from '../planner/aggregate-parts.js';
import { PANE_COLUMN } from '../planner/aggregate-parts.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * Expands pane-level partial aggregate rows to window-level rows: each input row with pane
 * start p (column `__pane`) becomes one row per window `[w, w + duration)` that contains the
 * pane `[p, p + pane)`, i.e. every `w = lastStart(p) - j * slide` with `w + duration >= p + pane`.
 * The pane column is replaced by the window's start and end columns (named `startName`,
 * `endName`; with `endName` null only the start, when the caller derives the end); the other columns (keys, partial states) are copied. Rows with a null pane (null
 * event time) are dropped, as Spark drops rows with a null window. Streaming, columnar.
 */
export class PaneExpandExec implements PhysicalOperator {
  readonly name = 'PaneExpandExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly paneIndex: number;

  constructor(
    child: PhysicalOperator,
    private readonly panes: PanePlan,
    startName: string,
    private readonly endName: string | null,
  ) {
    this.children = [child];
    this.paneIndex = resolveFieldIndex(child.schema, PANE_COLUMN, null);
    const fields: Field[] = [];
    child.schema.fields.forEach((f, i) => {
      if (i === this.paneIndex) {
        fields.push(field(startName, panes.timeType, true));
        if (endName !== null) fields.push(field(endName, panes.timeType, true));
      } else fields.push(f);
    });
    this.schema = schemaOf(fields);
  }

  describe(): string {
    const p = this.panes;
    return `duration=${p.durationUs}us, slide=${p.slideUs}us, start=${p.startUs}us, pane=${p.paneUs}us`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const spec = windowSpecIn(this.panes.timeType, this.panes.durationUs, this.panes.slideUs, this.panes.startUs);
    const pane = Number(windowSpecIn(this.panes.timeType, this.panes.paneUs, this.panes.paneUs, 0n).duration);
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
      ctx.signal?.throwIfAborted();
      const t0 = performance.now();
      const pv = b.columns[this.paneIndex] as ColumnVector;
      const src = pv.values as BigInt64Array;
      const ph = new Int32Array(src.buffer, src.byteOffset, b.numRows * 2);
      const valid = pv.validity;
      const perRow = Math.ceil(spec.duration / spec.slide);
      let cap = Math.max(16, b.numRows * perRow);
      let rows = new Int32Array(cap);
      let starts = new Float64Array(cap);
      let n = 0;
      for (let r = 0; r < b.numRows; r++) {
        if (valid !== null && valid[r] === 0) continue;
        const p = readInt64(ph, r);
        const r0 = p - spec.start;
        const m = r0 % spec.slide;
        let w = p - (m < 0 ? m + spec.slide : m);
        const lowest = p + pane - spec.duration;
        for (; w >= lowest; w -= spec.slide) {
          if (n === cap) {
            cap *= 2;
            const nr = new Int32Array(cap);
            nr.set(rows);
            rows = nr;
            const ns = new Float64Array(cap);
            ns.set(starts);
            starts = ns;
          }
          rows[n] = r;
          starts[n] = w;
          n++;
        }
      }
      if (n === 0) {
        this.metrics.elapsedMs += performance.now() - t0;
        continue;
      }
      const s64 = new BigInt64Array(n);
      const e64 = new BigInt64Array(n);
      const sh = new Int32Array(s64.buffer);
      const eh = new Int32Array(e64.buffer);
      for (let k = 0; k < n; k++) {
        const w = starts[k] as number;
        writeInt64(sh, k, w);
        writeInt64(eh, k, w + spec.duration);
      }
      const idx = rows.subarray(0, n);
      const columns: ColumnVector[] = [];
      b.columns.forEach((c, i) => {
        if (i === this.paneIndex) {
          columns.push({ type: this.panes.timeType, length: n, validity: null, values: s64 });
          if (this.endName !== null) columns.push({ type: this.panes.timeType, length: n, validity: null, values: e64 });
        } else columns.push(gatherVector(c, idx, n));
      });
      const out = makeBatch(this.schema, columns, n);
      this.metrics.elapsedMs += performance.now() - t0;
      this.metrics.outputRows += n;
      this.metrics.outputBatches++;
      yield out;
    }
  }
}
