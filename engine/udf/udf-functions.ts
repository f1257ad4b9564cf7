import { didYouMean } from '../../common/closest-name.js';
import { internalError, invalidArgument, SluiceError } from '../../common/errors.js';
import type { UdfRef } from '../../dataframe/expr/udf-expr.js';
import { inlineUdf } from '../../dataframe/udf/inline-udf-registry.js';
import { collectUdfRefs, udfKey } from './collect-udf-refs.js';
import { importTypeScript } from '../../jobs/load-typescript.js';
import { fileURLToPath } from 'node:url';

/** A UDF's function as the evaluator calls it. */
export type UdfFunction = (...args: unknown[]) => unknown;

/** Functions of module UDFs this thread has imported, by `module#export`. */
const loaded = new Map<string, UdfFunction>();

const refusals = new WeakSet<SluiceError>();

/** True for an error made by {@link inlineUdfRefusal}. */
export function isInlineUdfRefusal(e: unknown): boolean {
  return e instanceof SluiceError && refusals.has(e);
}

/** The refusal of an inline closure where it cannot run, saying how to define the UDF instead. */
export function inlineUdfRefusal(ref: UdfRef): SluiceError {
  const name = ref.name === 'udf' ? 'myUdf' : ref.name;
  const maker = ref.vectorized ? 'vectorizedUdf' : 'udf';
  const e = invalidArgument(
    `UDF '${ref.name}' is a closure defined inline, and this query would run it in the worker threads, which cannot receive closures. ` +
      `Export the function from a module without side effects (e.g. udfs.js: export function ${name}(...) { ... }) and refer to it by URL: ` +
      `${maker}({ module: new URL('./udfs.js', import.meta.url).href, export: '${name}' }, ...) or udfFromModule(url, '${name}', ...).`,
  );
  refusals.add(e);
  return e;
}

/** True for an import that failed because the runtime has no loader for the file's extension (TypeScript without a loader). */
function unknownExtension(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION';
}

async function importModule(ref: UdfRef): Promise<Record<string, unknown>> {
  const url = ref.module as string;
  try {
    try {
      return (await import(url)) as Record<string, unknown>;
    } catch (e) {
      // A TypeScript module where this thread has no TypeScript loader (built Sluice running
      // a .ts job): load it as `sluice run` loads .ts jobs, through tsx or type stripping.
      if (!unknownExtension(e) || !/\.[mc]?ts$/.test(url)) throw e;
      return (await importTypeScript(fileURLToPath(url), url, {}, `${url}?sluice-udf`)) as Record<string, unknown>;
    }
  } catch (e) {
    throw invalidArgument(
      `UDF '${ref.name}': cannot import its module ${ref.module}: ${e instanceof Error ? e.message : String(e)}. Check the URL (use import.meta.url or new URL('./file.js', import.meta.url)).`,
    );
  }
}

/**
 * Imports the modules of the module UDFs in `plan` (any plain data holding UDF calls) into
 * this thread, once per module and export, and checks each export is a function: a wrong
 * URL or export name fails here, before any batch runs. The driver calls it when a query
 * starts; each worker before it plans a task.
 */
export async function loadUdfFunctions(plan: unknown): Promise<void> {
  for (const ref of collectUdfRefs(plan)) {
    if (ref.module === null || loaded.has(udfKey(ref))) continue;
    const mod = await importModule(ref);
    const fn = mod[ref.exportName as string];
    if (typeof fn !== 'function') {
      const exported = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
      throw invalidArgument(
        `UDF '${ref.name}': module ${ref.module} has no exported function '${ref.exportName}'.${didYouMean(ref.exportName as string, exported)} Exported functions: ${exported.join(', ') || 'none'}.`,
      );
    }
    loaded.set(udfKey(ref), fn as UdfFunction);
  }
}

/**
 * The function of a UDF in this thread: a loaded module export, or an inline closure of
 * this thread. An inline closure asked for in a worker thread is refused with
 * {@link inlineUdfRefusal}.
 */
export function udfFunction(ref: UdfRef): UdfFunction {
  if (ref.inlineId !== null) {
    const fn = inlineUdf(ref.inlineId);
    if (fn === undefined) throw inlineUdfRefusal(ref);
    return fn as UdfFunction;
  }
  const fn = loaded.get(udfKey(ref));
  if (fn === undefined)
    throw internalError(`UDF '${ref.name}' (${ref.module}#${ref.exportName}) was not loaded before the plan ran; loadUdfFunctions must run first.`);
  return fn;
}
