import { invalidArgument } from '../../common/errors.js';
import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';

/**
 * Throws INVALID_ARGUMENT when `options` holds a key outside `accepted`, naming the key, the
 * connector and the accepted keys. Used by connectors whose options form a closed set, so
 * a misspelt option fails when the query is built instead of being silently ignored.
 */
export function checkKnownOptions(options: ScanOptions, accepted: readonly string[], owner: string): void {
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) throw invalidArgument(`Unknown option '${key}' for the ${owner}. Accepted options: ${accepted.join(', ')}.`);
  }
}
