import type { ColumnVector } from '../../common/column-vector.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';

function vectorBytes(v: ColumnVector): number {
  return (
    v.values.byteLength +
    (v.validity?.byteLength ?? 0) +
    (v.offsets?.byteLength ?? 0) +
    (v.dictionary ? vectorBytes(v.dictionary) : 0) +
    (v.child ? vectorBytes(v.child) : 0) +
    (v.children ? v.children.reduce((s, c) => s + vectorBytes(c), 0) : 0)
  );
}

/**
 * An upper-bound guess of a plan's output size in bytes, used to decide broadcast joins:
 * in-memory rows count their buffers, file scans their file sizes scaled by the fraction
 * of columns read, connector scans as unbounded (never broadcast), and operators above
 * them at most their input.
 */
export function estimateSizeBytes(plan: LogicalPlan): number {
  switch (plan.kind) {
    case 'local':
      return plan.batches.reduce((s, b) => s + b.columns.reduce((t, c) => t + vectorBytes(c), 0), 0);
    case 'fileScan': {
      const total = plan.files.reduce((s, f) => s + f.size, 0);
      const frac = plan.columns ? plan.columns.length / Math.max(1, plan.dataSchema.fields.length) : 1;
      return Math.ceil(total * frac);
    }
    case 'streamingRelation':
    case 'connectorScan':
      return Number.POSITIVE_INFINITY;
    case 'join':
      return estimateSizeBytes(plan.left) + estimateSizeBytes(plan.right);
    case 'union':
      return plan.children.reduce((s, c) => s + estimateSizeBytes(c), 0);
    default:
      return estimateSizeBytes(plan.child);
  }
}
