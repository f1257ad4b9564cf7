import type { UdfRef } from '../../dataframe/expr/udf-expr.js';

function isUdfCall(v: object): v is { kind: 'udf'; udf: UdfRef } {
  const o = v as { kind?: unknown; udf?: unknown; args?: unknown };
  return o.kind === 'udf' && typeof o.udf === 'object' && o.udf !== null && Array.isArray(o.args);
}

/**
 * Every UDF call's reference found anywhere in plain data (a logical plan, a stage task,
 * an expression), distinct by module and export or inline id. Walks objects and arrays,
 * skipping typed arrays (the rows of in-memory relations), so any plan node kind, present
 * or future, is covered without listing its expression fields.
 */
export function collectUdfRefs(root: unknown): UdfRef[] {
  const out: UdfRef[] = [];
  const keys = new Set<string>();
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v) || ArrayBuffer.isView(v)) return;
    seen.add(v);
    if (isUdfCall(v)) {
      const key = udfKey(v.udf);
      if (!keys.has(key)) {
        keys.add(key);
        out.push(v.udf);
      }
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x);
  };
  walk(root);
  return out;
}

/** A key equal for references to the same function: `module#export`, or `inline:id`. */
export function udfKey(ref: UdfRef): string {
  return ref.inlineId !== null ? `inline:${ref.inlineId}` : `${ref.module}#${ref.exportName}`;
}
