import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SluiceError } from '../common/errors.js';

/** How {@link importTypeScript} finds its loaders; the defaults look for tsx and ask the runtime. */
export interface TypeScriptLoaders {
  /** Path of tsx's ESM API module for a job at this path, or null. */
  readonly resolveTsx?: (jobPath: string) => string | null;
  /** Whether the runtime strips types itself. */
  readonly nativeTypeStripping?: () => boolean;
}

/** The ES module entry of tsx's `tsx/esm/api` export in the package at `pkgJson`. */
function esmApiEntry(pkgJson: string): string | null {
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports?: Record<string, unknown> };
  const api = pkg.exports?.['./esm/api'] as { import?: { default?: unknown } | string } | undefined;
  const rel = typeof api?.import === 'string' ? api.import : api?.import?.default;
  return typeof rel === 'string' ? join(dirname(pkgJson), rel) : null;
}

/** Where tsx's ESM loader API can be found: next to the job (the user's project) first, then next to Sluice. */
function resolveTsx(jobPath: string): string | null {
  for (const from of [jobPath, fileURLToPath(import.meta.url)]) {
    let pkgJson: string;
    try {
      pkgJson = createRequire(from).resolve('tsx/package.json');
    } catch {
      continue; // Not installed there.
    }
    const entry = esmApiEntry(pkgJson);
    if (entry !== null) return entry;
  }
  return null;
}

/** True when this Node.js strips TypeScript types itself (22.18+/23.6+ by default). */
function hasNativeTypeStripping(): boolean {
  return (process.features as { typescript?: unknown }).typescript !== undefined && (process.features as { typescript?: unknown }).typescript !== false;
}

/**
 * Imports a TypeScript job module. Uses tsx (an optional dependency of Sluice, or the job's
 * own project's) when it can be found: it supports all of TypeScript and `.js` import
 * specifiers that point at `.ts` sources, on Node.js 20 and later. Without tsx, a Node.js
 * with built-in type stripping imports the file directly (erasable syntax only). Otherwise
 * throws INVALID_ARGUMENT saying how to get a loader or to build the job.
 *
 * @param path - absolute path of the `.ts`/`.mts`/`.cts` file
 * @param shown - the path as the user gave it, for messages
 * @param loaders - how to find the loaders (tests replace them)
 * @param specifier - the URL to import (default: the file's URL); a caller whose plain import
 *   of the file already failed passes another (a query added), as the failure is cached per URL
 */
export async function importTypeScript(
  path: string,
  shown: string,
  loaders: TypeScriptLoaders = {},
  specifier: string = pathToFileURL(path).href,
): Promise<{ default?: unknown }> {
  const tsx = (loaders.resolveTsx ?? resolveTsx)(path);
  if (tsx !== null) {
    const api = (await import(pathToFileURL(tsx).href)) as { register?: () => unknown };
    if (typeof api.register === 'function') {
      // Registered for the whole process (not tsImport's private namespace): the job must share
      // the module instances of Sluice that the CLI runs, or its Column objects are foreign ones.
      api.register();
      try {
        return (await import(specifier)) as { default?: unknown };
      } catch (e) {
        if (!/require\(\)|ERR_REQUIRE/.test(e instanceof Error ? `${e.message} ${(e as { code?: string }).code}` : '')) throw e;
        throw new SluiceError(
          'INVALID_ARGUMENT',
          `Job file '${shown}' was loaded as CommonJS, which cannot import Sluice's ES modules. ` +
            'Put it in a package whose package.json has "type": "module", or name it .mts.',
          { cause: e },
        );
      }
    }
  }
  if ((loaders.nativeTypeStripping ?? hasNativeTypeStripping)()) return (await import(specifier)) as { default?: unknown };
  throw new SluiceError(
    'INVALID_ARGUMENT',
    `Job file '${shown}' is TypeScript and no TypeScript loader was found: Node.js ${process.versions.node} cannot strip types, and tsx is not installed. ` +
      'Install tsx next to the job (npm install --save-dev tsx), or compile the job (tsc) and pass the .js file.',
  );
}
