import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SluiceError } from '../../../common/errors.js';
import type { FileManager } from '../../../common/log/file-manager.js';
import { LocalFileManager } from '../../../common/log/local-file-manager.js';
import type { ExecutorEnvelope, ExecutorReply, ExecutorRequest } from './state-executor-protocol.js';

function executorFile(): string {
  const here = import.meta.url;
  const js = new URL('./state-executor-worker.js', here);
  if (here.endsWith('.js') && existsSync(fileURLToPath(js))) return fileURLToPath(js);
  return fileURLToPath(new URL('./state-executor-bootstrap.mjs', here));
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

/** One executor thread and its outstanding requests (answered in order). */
class ExecutorThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: SluiceError | null = null;
  private exited = false;

  constructor(
    readonly index: number,
    file: string,
  ) {
    this.worker = new Worker(file);
    // Idle executors never keep the process alive; a thread is referenced only while a request is out.
    this.worker.unref();
    this.worker.on('message', (reply: ExecutorReply) => {
      const p = this.pending.get(reply.id);
      if (p === undefined) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(SluiceError.fromPlain(reply.error));
    });
    this.worker.on('error', (e) => this.fail(`failed: ${e instanceof Error ? e.message : String(e)}`, e));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.fail(`exited with code ${code}`, undefined);
    });
  }

  private fail(what: string, cause: unknown): void {
    this.failure ??= new SluiceError(
      'WORKER_FAILED',
      `State executor thread ${this.index} ${what}. The query fails; restart it to reload its state from the checkpoint.`,
      { domain: 'internal', cause },
    );
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(this.failure);
  }

  request(request: ExecutorRequest): Promise<unknown> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      try {
        this.worker.postMessage({ id, request } satisfies ExecutorEnvelope);
      } catch (e) {
        this.pending.delete(id);
        if (this.pending.size === 0) this.worker.unref();
        reject(e);
      }
    });
  }

  /** Closes the executor's stores (waiting for background snapshots), then stops the thread. */
  async stop(): Promise<void> {
    if (!this.exited && this.failure === null) await this.request({ kind: 'close' }).catch(() => undefined);
    if (!this.exited) await this.worker.terminate();
  }
}

/**
 * The state executors of one query run: `size` worker threads (node:worker_threads, not the
 * session's piscina pool, which has no thread affinity), executor `i` owning the state
 * partitions `p` with `p % size == i` for the life of the run. Threads start at first use
 * and are stopped by {@link close} (the micro-batch loop's close); an idle executor never
 * keeps the process alive.
 */
export class StateExecutors {
  private threads: ExecutorThread[] | null = null;
  private closed = false;

  constructor(readonly size: number) {}

  /** The executor that owns state partition `partition`. */
  ownerOf(partition: number): number {
    return partition % this.size;
  }

  /** The partitions among `numPartitions` that executor `executor` owns, ascending. */
  partitionsOf(executor: number, numPartitions: number): number[] {
    const out: number[] = [];
    for (let p = executor; p < numPartitions; p += this.size) out.push(p);
    return out;
  }

  /**
   * Starts the threads now (they load their code in the background), so the first batch
   * does not wait for them; a no-op once started or closed.
   */
  start(): void {
    if (this.closed || this.threads !== null) return;
    const file = executorFile();
    this.threads = Array.from({ length: this.size }, (_, i) => new ExecutorThread(i, file));
  }

  /** Sends a request to executor `executor` and resolves with its reply (errors come back as SluiceError). */
  request<T>(executor: number, request: ExecutorRequest): Promise<T> {
    if (this.closed)
      return Promise.reject(new SluiceError('SESSION_STOPPED', 'The streaming query was stopped; its state executors are gone. Start the query again.'));
    this.start();
    const thread = this.threads?.[executor];
    if (thread === undefined) return Promise.reject(new SluiceError('INTERNAL', `There is no state executor ${executor} (the query has ${this.size}).`));
    return thread.request(request) as Promise<T>;
  }

  /** Closes every executor's stores and stops the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const threads = this.threads ?? [];
    this.threads = null;
    await Promise.all(threads.map((t) => t.stop()));
  }
}

/**
 * True when state files can be written from another thread with the same effect: the query
 * uses a plain {@link LocalFileManager} (no injected hooks, which live in this thread only).
 */
export function canUseStateExecutors(fileManager: FileManager): boolean {
  return Object.getPrototypeOf(fileManager) === LocalFileManager.prototype && (fileManager as unknown as { hook?: unknown }).hook === undefined;
}
