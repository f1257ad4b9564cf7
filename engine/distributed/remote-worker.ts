import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type Job, Worker } from 'bullmq';
import { SluiceError } from '../../common/errors.js';
import type { StageResult } from '../workers/stage-task.js';
import { WorkerPool } from '../workers/worker-pool.js';
import { connectRedis } from './bullmq-task-runner.js';
import { FolderStorage } from './folder-storage.js';
import { queueKeys, RESULT_TTL_S, WORKER_TTL_MS } from './redis-keys.js';
import { decodeTask, encodeEnvelope, encodeResult } from './task-codec.js';
import type { TaskJobData } from './task-job.js';
import { heartbeat, unregister } from './worker-registry.js';

/** Options of {@link startRemoteWorker} (`sluice worker`). */
export interface RemoteWorkerOptions {
  /** `redis://host:port[/db]`. */
  readonly redisUrl: string;
  /** Tasks run at once, each on its own worker thread. */
  readonly slots: number;
  /** The queue name (default `sluice`); drivers use the same name. */
  readonly queue?: string;
  /**
   * How long (ms) a running task's lock lives without renewal (BullMQ `lockDuration`; renewed
   * every half of it). When a worker process dies, its tasks are taken over by another worker
   * after at most about this long plus the stalled-check interval (half of it).
   */
  readonly lockMs?: number;
  /** Called when a task starts here (for logs); the task runs once a returned promise settles. */
  readonly onTake?: (info: { taskId: string; jobId: string }) => void | Promise<void>;
  /** Called with each finished task (for logs). */
  readonly onTask?: (info: { taskId: string; ms: number; ok: boolean; bytes: number }) => void;
}

/** A running worker process's handle. */
export interface RemoteWorker {
  readonly id: string;
  /** Stops taking tasks, lets running ones finish, unregisters and disconnects. */
  close(): Promise<void>;
}

/**
 * Serves a queue's stage tasks in this process: takes jobs from BullMQ (`slots` at a time),
 * reads each task's bytes from its Redis side key, runs it on a worker thread, and writes
 * the result back to its side key (inline when small, in the driver's shared storage when
 * larger than the driver asked for), then tells the driver on its done list. The main thread
 * only moves bytes, so BullMQ's lock renewal keeps running while tasks compute. A task
 * failure is sent back as the task's result (the driver throws it); only a dead process
 * leaves a job behind, which BullMQ's stalled-job check hands to another worker.
 */
export async function startRemoteWorker(options: RemoteWorkerOptions): Promise<RemoteWorker> {
  const queue = options.queue ?? 'sluice';
  const keys = queueKeys(queue);
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const redis = await connectRedis(options.redisUrl, 'sluice worker');
  const pool = new WorkerPool(options.slots);
  const lockMs = options.lockMs ?? 10_000;

  const process1 = async (job: Job<TaskJobData>): Promise<void> => {
    const t0 = performance.now();
    const { driver, taskId, storage, inlineMaxBytes } = job.data;
    const bytes = await redis.getBuffer(keys.task(taskId));
    // No task bytes: the driver already has this task's result (or gave up on it).
    if (bytes === null) return;
    await options.onTake?.({ taskId, jobId: job.id ?? '' });
    let result: StageResult;
    try {
      result = await pool.run(decodeTask(bytes));
    } catch (e) {
      result = { ok: false, error: SluiceError.toPlainAny(e) };
    }
    const encoded = encodeResult(result);
    let envelope: Buffer;
    if (storage !== null && encoded.length > inlineMaxBytes) {
      const key = `results/${taskId}`;
      await new FolderStorage(storage).put(key, encoded);
      envelope = encodeEnvelope({ kind: 'stored', key });
    } else envelope = encodeEnvelope({ kind: 'inline', bytes: encoded });
    await redis.multi().set(keys.result(taskId), envelope, 'EX', RESULT_TTL_S).lpush(keys.done(driver), taskId).expire(keys.done(driver), RESULT_TTL_S).exec();
    options.onTask?.({ taskId, ms: performance.now() - t0, ok: result.ok, bytes: encoded.length });
  };

  const workerConnection = redis.duplicate({ maxRetriesPerRequest: null });
  workerConnection.on('error', () => undefined);
  const worker = new Worker<TaskJobData>(queue, process1, {
    connection: workerConnection,
    concurrency: options.slots,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
    maxStalledCount: 10,
  });
  worker.on('error', () => undefined);
  await heartbeat(redis, queue, id, options.slots);
  const beat = setInterval(() => void heartbeat(redis, queue, id, options.slots).catch(() => undefined), Math.floor(WORKER_TTL_MS / 5));
  let closed = false;
  return {
    id,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(beat);
      await worker.close();
      await unregister(redis, queue, id).catch(() => undefined);
      await pool.destroy();
      workerConnection.disconnect();
      redis.disconnect();
    },
  };
}
