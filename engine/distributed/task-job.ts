/**
 * The data of one BullMQ job: which task to run and where its result goes. The task itself
 * (plan fragment, input splits, broadcast rows) lies in a Redis side key as binary, never
 * JSON-encoded in the job; so does the result.
 */
export interface TaskJobData {
  /** The driver session that waits for the result (names its done list). */
  readonly driver: string;
  /** The task's id (also the BullMQ job id): `<driver>.<n>`. */
  readonly taskId: string;
  /** The shared storage folder for results larger than `inlineMaxBytes`, or null (all results inline in Redis). */
  readonly storage: string | null;
  /** Largest encoded result (bytes) kept inline in its Redis side key. */
  readonly inlineMaxBytes: number;
}
