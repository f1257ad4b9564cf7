/**
 * Small readers for validating parsed JSON in log serializers. Each returns the value or
 * undefined when the field is missing or of the wrong type.
 */

/** The value as a plain JSON object, or undefined. */
export function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The value as a finite integer number, or undefined. */
export function asInteger(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

/** The value as a string-to-string record, or undefined. */
export function asStringRecord(v: unknown): Record<string, string> | undefined {
  const o = asObject(v);
  if (o === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) {
    if (typeof x !== 'string') return undefined;
    out[k] = x;
  }
  return out;
}
