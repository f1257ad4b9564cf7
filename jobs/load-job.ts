import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalidArgument, SluiceError } from '../common/errors.js';
import type { JobDefinition } from './job-definition.js';
import { isJobDefinition } from './job-definition.js';
import { importTypeScript } from './load-typescript.js';

const EXAMPLE = 'dist/jobs/examples/spend-by-user.js';

/**
 * Imports a job module and returns its default export, a `defineJob({...})` definition.
 * JavaScript modules are imported as they are; TypeScript files (`.ts`, `.mts`, `.cts`) go
 * through tsx or the runtime's type stripping ({@link importTypeScript}). Throws
 * FILE_NOT_FOUND when the file does not exist (naming the resolved path), and
 * INVALID_ARGUMENT when no TypeScript loader is available for a `.ts` file, or the module
 * fails to load or has no job.
 *
 * @param file - the job file as given on the command line
 */
export async function loadJob(file: string): Promise<JobDefinition> {
  const path = resolve(file);
  const st = await stat(path).catch(() => null);
  if (st === null)
    throw new SluiceError(
      'FILE_NOT_FOUND',
      `Job file '${file}' does not exist (resolved to '${path}'). Give the path of a job module, e.g. ${EXAMPLE} or jobs/examples/spend-by-user.ts.`,
    );
  if (!st.isFile()) throw invalidArgument(`Job file '${file}' is a folder, not a file. Give the path of a built job module, e.g. ${EXAMPLE}.`);
  const ext = extname(path);
  const typescript = ext === '.ts' || ext === '.mts' || ext === '.cts';
  let mod: { default?: unknown };
  try {
    mod = typescript ? await importTypeScript(path, file) : ((await import(pathToFileURL(path).href)) as { default?: unknown });
  } catch (e) {
    if (e instanceof SluiceError && e.code === 'INVALID_ARGUMENT' && e.message.startsWith(`Job file '${file}' `)) throw e;
    throw new SluiceError(
      'INVALID_ARGUMENT',
      `Cannot load job file '${file}': ${e instanceof Error ? e.message : String(e)}. Fix the module (its imports must resolve from '${path}'), or give another job file.`,
      { cause: e },
    );
  }
  // A .ts file outside an ES module package loads as CommonJS: its `export default` is module.exports.default.
  const job = isJobDefinition(mod.default) ? mod.default : (mod.default as { default?: unknown } | undefined)?.default;
  if (!isJobDefinition(job)) throw invalidArgument(`'${file}' has no job: its default export must be a defineJob({...}) definition.`);
  return job;
}
