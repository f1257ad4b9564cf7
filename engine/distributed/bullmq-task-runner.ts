import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { invalidArgument, SluiceError } from '../../common/errors.js';
import type { StageTask } from '../workers/stage-task.js';
import type { StageSuccess, TaskRunner } from '../workers/task-runner.js';
import { FolderStorage } from './folder-storage.js';
import { queueKeys, TASK_TTL_S } from './redis-keys.js';
import { decodeEnvelope, decodeResult, encodeTask } from './task-codec.js';
import type { TaskJobData } from './task-job.js';
import { TaskWatch } from './task-watch.js';
import type { LiveWorkers } from './worker-registry.js';
import { liveWorkers } from './worker-registry.js';

/** Options of {@link BullMqTaskRunner.connect}. */
export interface BullMqRunnerOptions {
  /** `redis://host:port[/db]` (or `rediss://`). */
  readonly redisUrl: string;
  /** The queue name the `sluice worker` processes serve (default `sluice`). */
  readonly queue?: string;
  /** A folder every worker process reaches at the same path, for results over `inlineMaxBytes`; null keeps all results in Redis. */
  readonly storage?: string | null;
  /** Largest encoded result kept inline in its Redis side key (default 1 MiB). */
  readonly inlineMaxBytes?: number;
  /** Speculative copies of slow tasks (default on; see {@link TaskWatch}). */
  readonly speculation?: boolean;
}

/** One task the driver waits for. */
export interface PendingTask {
  readonly taskId: string;
  readonly bytes: Buffer;
  readonly resolve: (r: StageSuccess) => void;
  readonly reject: (e: unknown) => void;
  /** Jobs submitted for the task (the first, resubmissions, a speculative copy). */
  readonly jobIds: string[];
  /** When the task was first submitted (ms). */
  readonly submittedAt: number;
  /** When the task was first seen running (ms), or 0. */
  activeSince: number;
  speculated: boolean;
  collecting: boolean;
}

/** Checks a `--redis` / `.master()` URL; a clear error for anything that is not `redis://` or `rediss://`. */
export function checkRedisUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidArgument(`${what} needs a Redis URL such as redis://127.0.0.1:6379, got '${url}'.`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw invalidArgument(`${what} needs a redis:// or rediss:// URL, got '${url}'. Example: redis://127.0.0.1:6379.`);
  return url;
}

/** Opens an ioredis connection and waits until it is ready; CONNECTION_FAILED naming the URL otherwise. */
export async function connectRedis(url: string, what: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 5000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return redis;
  } catch (e) {
    redis.disconnect();
    throw new SluiceError(
      'CONNECTION_FAILED',
      `${what} could not connect to Redis at ${url}: ${e instanceof Error ? e.message : String(e)}. Start redis-server there or fix the URL.`,
      {
        domain: 'external',
        retryable: true,
        cause: e,
      },
    );
  }
}

/**
 * Runs stage tasks on `sluice worker` processes through a BullMQ queue on Redis. Each task
 * is encoded once (see task-codec.ts) into a side key with an expiry; the job carries only
 * ids. Workers write results to a side key (or to shared storage when large) and push the
 * task id on this driver's done list, which one blocking connection pops. A watch loop
 * (task-watch.ts) resubmits tasks whose job vanished (a Redis restart without persistence)
 * or failed, and starts a speculative copy of a task running far longer than its peers.
 * A worker process that dies mid-task is BullMQ's stalled-job case: its lock expires and
 * another worker takes the job. The driver keeps everything else (trigger, logs, sinks).
 */
export class BullMqTaskRunner implements TaskRunner {
  readonly queueName: string;
  readonly driverId = randomBytes(6).toString('hex');
  /** @internal */ readonly redis: Redis;
  /** @internal */ readonly queue: Queue<TaskJobData>;
  /** @internal */ readonly keys: ReturnType<typeof queueKeys>;
  /** @internal */ readonly inflight = new Map<string, PendingTask>();
  /** @internal */ live: LiveWorkers = { processes: 0, slots: 0 };
  private readonly blocking: Redis;
  private readonly queueConnection: Redis;
  private readonly storage: string | null;
  private readonly inlineMaxBytes: number;
  /** @internal The watch loop (its counts show resubmissions and speculative copies). */
  readonly watch: TaskWatch;
  private seq = 0;
  private destroyed = false;
  private warnedNoWorkers = false;
  private readonly loopDone: Promise<void>;

  private constructor(redis: Redis, blocking: Redis, options: BullMqRunnerOptions) {
    this.queueName = options.queue ?? 'sluice';
    this.keys = queueKeys(this.queueName);
    this.redis = redis;
    this.blocking = blocking;
    this.storage = options.storage ?? null;
    this.inlineMaxBytes = options.inlineMaxBytes ?? 1 << 20;
    this.queueConnection = redis.duplicate();
    this.queueConnection.on('error', () => undefined);
    this.queue = new Queue<TaskJobData>(this.queueName, { connection: this.queueConnection });
    this.queue.on('error', () => undefined);
    this.watch = new TaskWatch(this, options.speculation ?? true);
    this.loopDone = this.loop();
  }

  /** Connects to Redis and reads which workers are live. */
  static async connect(options: BullMqRunnerOptions): Promise<BullMqTaskRunner> {
    checkRedisUrl(options.redisUrl, 'The session master');
    const redis = await connectRedis(options.redisUrl, 'The session master');
    const blocking = redis.duplicate();
    blocking.on('error', () => undefined);
    const runner = new BullMqTaskRunner(redis, blocking, options);
    runner.live = await liveWorkers(redis, runner.queueName);
    return runner;
  }

  /** Task slots of the live worker processes (at least 1, so plans still split when none is up yet). */
  /** Tasks run in other processes: shuffle blocks on shared memory cannot reach them, so no exchanges are planned. */
  readonly sharedMemory = false;

  get size(): number {
    return Math.max(1, this.live.slots);
  }

  describe(): string {
    return `redis queue ${this.queueName} (${this.live.slots} slot(s) on ${this.live.processes} worker process(es))`;
  }

  async run(task: StageTask, signal?: AbortSignal): Promise<StageSuccess> {
    if (this.destroyed) throw new SluiceError('SESSION_STOPPED', 'The Sluice session was stopped. Create a new one with Sluice.builder().getOrCreate().');
    if (this.live.processes === 0 && !this.warnedNoWorkers) {
      this.warnedNoWorkers = true;
      process.emitWarning(
        `Sluice: no sluice worker serves queue '${this.queueName}' on this Redis yet; tasks wait until one starts (sluice worker --redis <url> --queue ${this.queueName}).`,
        { code: 'SLUICE_NO_WORKERS' },
      );
    }
    const taskId = `${this.driverId}-${++this.seq}`;
    const bytes = encodeTask(task);
    const result = new Promise<StageSuccess>((resolve, reject) => {
      this.inflight.set(taskId, { taskId, bytes, resolve, reject, jobIds: [], submittedAt: Date.now(), activeSince: 0, speculated: false, collecting: false });
    });
    const onAbort = (): void => this.abandon(taskId, new SluiceError('WORKER_FAILED', 'The task was cancelled.', { domain: 'internal' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.submit(taskId, taskId);
      return await result;
    } finally {
      this.inflight.delete(taskId);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** @internal Stores the task's bytes (again) and adds a job for it under `jobId`. */
  async submit(taskId: string, jobId: string): Promise<void> {
    const p = this.inflight.get(taskId);
    if (p === undefined) return;
    p.jobIds.push(jobId);
    await this.redis.set(this.keys.task(taskId), p.bytes, 'EX', TASK_TTL_S);
    const data: TaskJobData = { driver: this.driverId, taskId, storage: this.storage, inlineMaxBytes: this.inlineMaxBytes };
    await this.queue.add('task', data, { jobId, attempts: 1, removeOnComplete: true, removeOnFail: { age: 3600 } });
  }

  /** @internal Rejects a task and forgets it (its jobs may still run; their results expire unread). */
  abandon(taskId: string, error: unknown): void {
    const p = this.inflight.get(taskId);
    if (p === undefined) return;
    this.inflight.delete(taskId);
    p.reject(error);
    void this.redis.del(this.keys.task(taskId)).catch(() => undefined);
  }

  /** @internal Reads a finished task's result and settles its promise (once; later copies are ignored). */
  async collect(taskId: string): Promise<boolean> {
    const p = this.inflight.get(taskId);
    if (p === undefined || p.collecting) return p !== undefined;
    p.collecting = true;
    try {
      const value = await this.redis.getBuffer(this.keys.result(taskId));
      if (value === null) {
        p.collecting = false;
        return false;
      }
      const envelope = decodeEnvelope(value);
      let bytes: Buffer;
      if (envelope.kind === 'inline') bytes = envelope.bytes;
      else {
        const store = new FolderStorage(this.storage ?? '');
        const stored = await store.get(envelope.key);
        if (stored === null)
          throw new SluiceError('IO_ERROR', `Task result ${envelope.key} is missing from shared storage ${this.storage}.`, { domain: 'external' });
        bytes = stored;
        await store.delete(envelope.key);
      }
      this.inflight.delete(taskId);
      void this.redis.del(this.keys.task(taskId), this.keys.result(taskId)).catch(() => undefined);
      this.watch.finished(p);
      const result = decodeResult(bytes);
      if (result.ok) p.resolve(result);
      else p.reject(SluiceError.fromPlain(result.error));
    } catch (e) {
      this.inflight.delete(taskId);
      p.reject(e);
    }
    return true;
  }

  private async loop(): Promise<void> {
    const done = this.keys.done(this.driverId);
    while (!this.destroyed) {
      try {
        const popped = await this.blocking.blpop(done, 0.5);
        if (popped !== null) {
          const more = (await this.redis.lpop(done, 256)) ?? [];
          for (const id of [popped[1], ...more]) void this.collect(id);
        }
        await this.watch.tick();
      } catch {
        if (this.destroyed) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const id of [...this.inflight.keys()]) this.abandon(id, new SluiceError('SESSION_STOPPED', 'The Sluice session was stopped while a task ran.'));
    this.blocking.disconnect();
    await this.loopDone;
    await this.queue.close().catch(() => undefined);
    this.queueConnection.disconnect();
    this.redis.disconnect();
  }
}
