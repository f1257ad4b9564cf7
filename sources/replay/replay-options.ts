import { invalidArgument } from '../../common/errors.js';
import type { Field, Schema } from '../../common/schema.js';
import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';
import { parseInterval } from '../../scheduler/parse-interval.js';

/** Default reorder bound of a replay: 1 hour of event time. */
export const DEFAULT_REORDER_BOUND_MS = 3_600_000;

/** Options of the replay source. */
export const REPLAY_OPTIONS: readonly string[] = ['eventTime', 'reorderBound'];

/** Validated options of the replay source. */
export interface ReplayOptions {
  /** The event-time column (a timestamp). */
  readonly eventTime: Field;
  /** Its index in the schema. */
  readonly eventIndex: number;
  /** How far (ms) a file's rows may be older than the newest event of the files before it and still be released in order. */
  readonly reorderBoundMs: number;
}

/**
 * Parses the replay options against the source's schema: `eventTime` names a timestamp
 * column (optional when the schema has exactly one), `reorderBound` is a duration
 * (`'1 hour'`, `'10 minutes'` or ms; default 1 hour). Unknown options are errors, since the
 * replay source reads Parquet only and has no reader options.
 */
export function replayOptions(options: ScanOptions, schema: Schema): ReplayOptions {
  for (const k of Object.keys(options))
    if (!REPLAY_OPTIONS.includes(k)) throw invalidArgument(`Unknown option '${k}' of the replay source. Options: ${REPLAY_OPTIONS.join(', ')}.`);
  const timestamps = schema.fields.filter((f) => f.type.kind === 'timestamp');
  let eventTime: Field | undefined;
  if (options.eventTime !== undefined) {
    eventTime = schema.fields.find((f) => f.name === String(options.eventTime));
    if (eventTime === undefined)
      throw invalidArgument(
        `The replay source's eventTime column '${String(options.eventTime)}' is not in the schema (${schema.fields.map((f) => f.name).join(', ')}).`,
      );
    if (eventTime.type.kind !== 'timestamp') throw invalidArgument(`The replay source's eventTime column '${eventTime.name}' must be a timestamp.`);
  } else if (timestamps.length === 1) eventTime = timestamps[0];
  else
    throw invalidArgument(
      `The replay source needs its event-time column: set option eventTime to one of the timestamp columns (${timestamps.map((f) => f.name).join(', ') || 'none in the schema'}).`,
    );
  const rawBound = options.reorderBound;
  const reorderBoundMs = rawBound === undefined ? DEFAULT_REORDER_BOUND_MS : typeof rawBound === 'number' ? rawBound : parseInterval(String(rawBound));
  if (!Number.isFinite(reorderBoundMs) || reorderBoundMs < 0)
    throw invalidArgument(`Option 'reorderBound' of the replay source must be a duration such as '1 hour' or a number of ms >= 0, got '${String(rawBound)}'.`);
  const field = eventTime as Field;
  return { eventTime: field, eventIndex: schema.fields.indexOf(field), reorderBoundMs };
}
