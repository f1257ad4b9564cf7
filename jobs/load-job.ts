import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalidArgument, SluiceError } from '../common/errors.js';
import type { JobDefinition } from './job-definition.js';
import { isJobDefinition } from './job-definition.js';

const EXAMPLE = 'dist/jobs/examples/spend-by-user.js';

/**
 * Imports a job module and returns its default export, a `defineJob({...})` definition.
 * Throws FILE_NOT_FOUND when the file does not exist (naming the resolved path), and
 * INVALID_ARGUMENT when it is not a built JavaScript module, fails to load, or has no job.
 *
 * @param file - the job file as given on the command line
 */
export async function loadJob(file: string): Promise<JobDefinition> {
  const path = resolve(file);
  const st = await stat(path).catch(() => null);
  if (st === null)
    throw new SluiceError(
      'FILE_NOT_FOUND',
      `Job file '${file}' does not exist (resolved to '${path}'). Give the path of a built job module, e.g. ${EXAMPLE}; a job written in TypeScript must be compiled first (npm run build).`,
    );
  if (!st.isFile()) throw invalidArgument(`Job file '${file}' is a folder, not a file. Give the path of a built job module, e.g. ${EXAMPLE}.`);
  const ext = extname(path);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts')
    throw invalidArgument(
      `Job file '${file}' is TypeScript, which Node.js does not run directly. Build it (npm run build) and pass the .js file, e.g. ${EXAMPLE}.`,
    );
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (e) {
    throw new SluiceError(
      'INVALID_ARGUMENT',
      `Cannot load job file '${file}': ${e instanceof Error ? e.message : String(e)}. Fix the module (its imports must resolve from '${path}'), or give another job file.`,
      { cause: e },
    );
  }
  if (!isJobDefinition(mod.default)) throw invalidArgument(`'${file}' has no job: its default export must be a defineJob({...}) definition.`);
  return mod.default;
}
