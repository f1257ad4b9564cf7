import { SluiceError } from '../../common/errors.js';

/** What a sink's marker key says: the last batch it touched, and how far. */
export interface MarkerState {
  /** The batch id, or -1 when no batch was written yet. */
  readonly batchId: number;
  /** True when the batch was written completely. */
  readonly done: boolean;
  /** For a batch in progress: the last transaction written (0-based). */
  readonly chunk: number;
}

/** The marker value after writing `chunk` of `batchId`; `final` marks the batch complete. */
export function markerValue(batchId: number, chunk: number, final: boolean): string {
  return final ? String(batchId) : `${batchId}:${chunk}`;
}

/**
 * Parses a marker value: `N` (batch N complete) or `N:c` (transactions 0..c of batch N
 * written); null (no key) is "nothing written". Anything else is CHECKPOINT_CORRUPT naming
 * the key, since guessing could write a batch twice or skip one.
 */
export function parseMarker(key: string, value: string | null): MarkerState {
  if (value === null) return { batchId: -1, done: true, chunk: -1 };
  const m = /^(\d+)(?::(\d+))?$/.exec(value);
  if (m === null)
    throw new SluiceError(
      'CHECKPOINT_CORRUPT',
      `The redis sink's marker key '${key}' holds '${value.slice(0, 60)}', which is not a batch marker ('N' or 'N:c'). ` +
        `Another program wrote it: pick another key with option 'markerKey', or delete this one if no query uses it.`,
    );
  return { batchId: Number(m[1]), done: m[2] === undefined, chunk: m[2] === undefined ? -1 : Number(m[2]) };
}

/** True when the marker shows `batchId` (or a later batch) written completely. */
export function isCommitted(state: MarkerState, batchId: number): boolean {
  return state.batchId > batchId || (state.batchId === batchId && state.done);
}
