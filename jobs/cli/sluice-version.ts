import { readFileSync } from 'node:fs';

/**
 * The version in Sluice's package.json, found relative to this module (`dist/jobs/cli/` when
 * built, `jobs/cli/` in the sources).
 */
export function sluiceVersion(): string {
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'sluice' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not at this level: try the next.
    }
  }
  return 'unknown';
}
