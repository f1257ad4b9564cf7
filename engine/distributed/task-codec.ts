import { deserialize, serialize } from 'node:v8';
import { internalError, SluiceError } from '../../common/errors.js';
import type { StageResult, StageTask } from '../workers/stage-task.js';
import { isStageTask } from '../workers/stage-task.js';

/**
 * Binary encoding of stage tasks and results for the Redis queue: Node's structured-clone
 * serializer (`v8.serialize`), the same format worker threads use, so typed arrays travel
 * as their raw bytes (SharedArrayBuffer-backed ones are copied out), bigints and nested
 * plans survive, and nothing is JSON-encoded. Driver and worker processes must run the
 * same Node major version (the format is versioned; newer readers accept older writers).
 */
export function encodeTask(task: StageTask): Buffer {
  return serialize(task);
}

/** Decodes {@link encodeTask}'s bytes; a malformed message is an internal error. */
export function decodeTask(bytes: Buffer): StageTask {
  const value: unknown = deserialize(bytes);
  if (!isStageTask(value)) throw internalError('a sluice worker received a malformed stage task from Redis');
  return value;
}

/** Encodes a task's result (batches or the task's plain error). */
export function encodeResult(result: StageResult): Buffer {
  return serialize(result);
}

/** Decodes {@link encodeResult}'s bytes. */
export function decodeResult(bytes: Buffer): StageResult {
  const value = deserialize(bytes) as StageResult;
  if (typeof value !== 'object' || value === null || typeof (value as { ok?: unknown }).ok !== 'boolean')
    throw internalError('the driver received a malformed stage result from Redis');
  return value;
}

/** First byte of a result side key: the result's bytes follow inline. */
const INLINE = 0;
/** First byte of a result side key: the UTF-8 key of the result in shared storage follows. */
const STORED = 1;

/** The value of a result side key: the result inline, or where in shared storage it lies. */
export type ResultEnvelope = { readonly kind: 'inline'; readonly bytes: Buffer } | { readonly kind: 'stored'; readonly key: string };

/** Wraps a result (or its storage key) as the value of its Redis side key. */
export function encodeEnvelope(e: ResultEnvelope): Buffer {
  return e.kind === 'inline' ? Buffer.concat([Buffer.of(INLINE), e.bytes]) : Buffer.concat([Buffer.of(STORED), Buffer.from(e.key, 'utf8')]);
}

/** Reads a result side key's value. */
export function decodeEnvelope(value: Buffer): ResultEnvelope {
  if (value.length > 0 && value[0] === INLINE) return { kind: 'inline', bytes: value.subarray(1) };
  if (value.length > 0 && value[0] === STORED) return { kind: 'stored', key: value.subarray(1).toString('utf8') };
  throw new SluiceError('INTERNAL', 'a stage result side key in Redis has an unknown format', { domain: 'internal' });
}
