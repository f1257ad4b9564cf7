/**
 * Spark's `get_json_object(json, path)` per value: the path is `$` followed by `.name`,
 * `['name']`, `[n]` and `[*]` / `.*` (wildcards collect the matches into a JSON array).
 * A string result comes unquoted, any other result as compact JSON; null when the JSON is
 * invalid, the path is invalid or matches nothing, or the value is JSON null.
 */

type Step = { readonly kind: 'key'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'wild' };

const paths = new Map<string, readonly Step[] | null>();

/** Parses a JSON path; null when it is not one Spark accepts. */
export function parseJsonPath(path: string): readonly Step[] | null {
  const hit = paths.get(path);
  if (hit !== undefined) return hit;
  let steps: Step[] | null = [];
  if (!path.startsWith('$')) steps = null;
  let i = 1;
  while (steps !== null && i < path.length) {
    const rest = path.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.\*/.exec(rest)) || (m = /^\[\*\]/.exec(rest))) steps.push({ kind: 'wild' });
    else if ((m = /^\.([^.[\]]+)/.exec(rest))) steps.push({ kind: 'key', name: m[1] as string });
    else if ((m = /^\['([^']*)'\]/.exec(rest))) steps.push({ kind: 'key', name: m[1] as string });
    else if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ kind: 'index', index: Number(m[1]) });
    else {
      steps = null;
      break;
    }
    i += m[0].length;
  }
  if (paths.size >= 256) paths.delete(paths.keys().next().value as string);
  paths.set(path, steps);
  return steps;
}

function walk(v: unknown, steps: readonly Step[], k: number, out: unknown[]): void {
  if (k === steps.length) {
    out.push(v);
    return;
  }
  const s = steps[k] as Step;
  if (v === null || typeof v !== 'object') return;
  if (s.kind === 'key') {
    if (!Array.isArray(v) && Object.hasOwn(v, s.name)) walk((v as Record<string, unknown>)[s.name], steps, k + 1, out);
  } else if (s.kind === 'index') {
    if (Array.isArray(v) && s.index < v.length) walk(v[s.index], steps, k + 1, out);
  } else if (Array.isArray(v)) for (const x of v) walk(x, steps, k + 1, out);
  else for (const x of Object.values(v)) walk(x, steps, k + 1, out);
}

/** Spark's `get_json_object`. */
export function getJsonObject(json: string, path: string): string | null {
  const steps = parseJsonPath(path);
  if (steps === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  const out: unknown[] = [];
  walk(v, steps, 0, out);
  const wild = steps.some((s) => s.kind === 'wild');
  if (out.length === 0) return null;
  const r = wild && out.length > 1 ? out : out[0];
  if (r === null || r === undefined) return null;
  return typeof r === 'string' ? r : JSON.stringify(r);
}
