/**
 * The Redis keys of one task queue (`queue`, default `sluice`). The BullMQ queue itself is
 * named `queue` (BullMQ's own keys are `bull:<queue>:*`); Sluice's side keys are
 * `sluice:<queue>:*`, all with an expiry except the worker registry.
 */
export const queueKeys = (queue: string) =>
  Object.freeze({
    /** A task's encoded bytes (set by the driver; read by the worker that runs it). */
    task: (taskId: string) => `sluice:${queue}:task:${taskId}`,
    /** A task's result envelope (set by the worker; read and deleted by the driver). */
    result: (taskId: string) => `sluice:${queue}:result:${taskId}`,
    /** A driver's list of finished task ids (workers push, the driver pops). */
    done: (driverId: string) => `sluice:${queue}:done:${driverId}`,
    /** Sorted set of live worker ids, scored by when their registration expires (ms). */
    workers: `sluice:${queue}:workers`,
    /** Hash of worker id -> task slots. */
    slots: `sluice:${queue}:slots`,
  });

/** Seconds a task's bytes stay in Redis (long enough for a task to wait behind a backlog). */
export const TASK_TTL_S = 3600;
/** Seconds a result stays in Redis when its driver never reads it (the driver died). */
export const RESULT_TTL_S = 600;
/** How long (ms) a worker's registration lives without a heartbeat. */
export const WORKER_TTL_MS = 5000;
