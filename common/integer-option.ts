import { invalidArgument } from './errors.js';
import type { ScanOptions } from './connector-options.js';

/** Bounds and default of an integer connector option. */
export interface IntegerOptionSpec {
  /** Smallest accepted value (inclusive). */
  readonly min: number;
  /** Value when the option is absent; undefined makes the option required. */
  readonly fallback?: number;
  /** The connector, for messages: `rate source`, `console sink`. */
  readonly owner: string;
}

/**
 * Reads an integer connector option given as a number or a decimal string (options set
 * with `.option(key, '10')` arrive as strings). Throws INVALID_ARGUMENT naming the option,
 * the connector and the accepted values when it is missing (and required), not an integer,
 * or below `min`.
 */
export function integerOption(options: ScanOptions, key: string, spec: IntegerOptionSpec): number {
  const raw = options[key];
  const accepted = spec.min === 1 ? 'a positive integer' : spec.min === 0 ? 'a non-negative integer' : `an integer >= ${spec.min}`;
  if (raw === undefined) {
    if (spec.fallback !== undefined) return spec.fallback;
    throw invalidArgument(`The ${spec.owner} needs option '${key}': ${accepted}, e.g. .option('${key}', 10).`);
  }
  const text = String(raw).trim();
  const value = typeof raw === 'number' ? raw : /^-?[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < spec.min)
    throw invalidArgument(`Option '${key}' of the ${spec.owner} must be ${accepted}, got '${String(raw)}'.`);
  return value;
}
