import type { StageResult, StageTask } from './stage-task.js';

/** A stage task's successful result, as a runner hands it back. */
export type StageSuccess = Extract<StageResult, { ok: true }>;

/**
 * Where stage tasks run: the level at which a worker stage dispatches its tasks. Two
 * implementations exist: the session's in-process pool of worker threads
 * ({@link WorkerPool}) and a queue on Redis served by `sluice worker` processes on any
 * machine (`BullMqTaskRunner`). Operators only see this interface, so a stage's tasks (and
 * later an exchange's) run the same way on either.
 *
 * Contract: `run` resolves with the task's result exactly once, or rejects with the task's
 * own SluiceError (rebuilt from the worker's plain error) or a `WORKER_FAILED` /
 * `SESSION_STOPPED` error. A runner may run a task more than once (a retry after a worker
 * died, a speculative copy); tasks are deterministic, so the caller only ever sees one result.
 */
export interface TaskRunner {
  /** How many tasks can run at once (worker threads, or task slots of the live worker processes). */
  readonly size: number;
  /**
   * True when tasks run in this process's worker threads and can read SharedArrayBuffer
   * blocks (the in-process pool). Exchanges (shuffles) hand blocks on shared memory from one
   * stage's tasks to the next, so they are planned only on such a runner; a remote runner
   * keeps the final merges on the driver until shuffle blocks move through shared storage.
   */
  readonly sharedMemory: boolean;
  /** A short description for plans: `4 worker(s)`, `redis queue sluice (6 slot(s) on 3 worker process(es))`. */
  describe(): string;
  /** Runs one stage task somewhere and resolves with its result. */
  run(task: StageTask, signal?: AbortSignal): Promise<StageSuccess>;
  /** Releases the runner's threads or connections; `run` fails afterwards. */
  destroy(): Promise<void>;
}
