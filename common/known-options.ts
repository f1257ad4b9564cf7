import { didYouMean } from './closest-name.js';
import type { ScanOptions } from './connector-options.js';
import { invalidArgument } from './errors.js';

/**
 * Throws INVALID_ARGUMENT when `options` holds a key outside `accepted`, naming the key, the
 * closest accepted key when one is close, the connector and the accepted keys. Used by
 * connectors whose options form a closed set, so a misspelt option fails when the query is
 * built instead of being silently ignored. Keys that start with one of `prefixes` (such as
 * `kafka.` for options passed through to a client) are accepted as they are.
 */
export function checkKnownOptions(options: ScanOptions, accepted: readonly string[], owner: string, prefixes: readonly string[] = []): void {
  for (const key of Object.keys(options)) {
    if (accepted.includes(key) || prefixes.some((prefix) => key.startsWith(prefix))) continue;
    throw invalidArgument(`Unknown option '${key}' for the ${owner}.${didYouMean(key, accepted)} Accepted options: ${accepted.join(', ')}.`);
  }
}
