import { readFile } from 'node:fs/promises';
import { SluiceError } from '../../common/errors.js';

/** One file of the dashboard page, ready to serve. */
export interface DashboardAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

/** The page's files (in `assets/` next to this module; the build copies them into dist/). */
const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'format.js': 'text/javascript; charset=utf-8',
};

/**
 * Reads the dashboard's static files once, by file name. Fails with IO_ERROR naming the
 * folder when they are missing (a `dist/` built by `tsc` alone, without `npm run build`).
 */
export async function loadDashboardAssets(): Promise<ReadonlyMap<string, DashboardAsset>> {
  const dir = new URL('./assets/', import.meta.url);
  const out = new Map<string, DashboardAsset>();
  for (const [name, contentType] of Object.entries(FILES)) {
    try {
      out.set(name, { contentType, body: await readFile(new URL(name, dir)) });
    } catch (e) {
      throw new SluiceError(
        'IO_ERROR',
        `The dashboard's page file '${decodeURIComponent(new URL(name, dir).pathname)}' is missing. ` +
          'Build with `npm run build` (it copies engine/ui/assets/ into dist/), not with tsc alone.',
        { domain: 'internal', cause: e },
      );
    }
  }
  return out;
}
