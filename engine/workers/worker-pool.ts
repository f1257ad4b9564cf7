import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { SluiceError } from '../../common/errors.js';
import type { StageResult, StageTask } from './stage-task.js';
import type { StageSuccess, TaskRunner } from './task-runner.js';

function workerFile(): string {
  const here = import.meta.url;
  const js = new URL('./worker-entry.js', here);
  if (here.endsWith('.js') && existsSync(fileURLToPath(js))) return fileURLToPath(js);
  return fileURLToPath(new URL('./worker-bootstrap.mjs', here));
}

/**
 * The session's pool of worker threads (piscina), a fixed number of threads that live
 * until `destroy()`. Stage tasks go in as plain data; results come back with their buffers
 * transferred. A task that fails inside the worker rejects with the rebuilt SluiceError.
 */
export class WorkerPool implements TaskRunner {
  /** Number of worker threads. */
  readonly size: number;
  /** Tasks run in this process's threads: shuffle blocks on shared memory reach them. */
  readonly sharedMemory = true;
  private readonly piscina: Piscina;
  private destroyed = false;

  constructor(size: number) {
    this.size = size;
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: size,
      maxThreads: size,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
    });
  }

  /** `N worker(s)`. */
  describe(): string {
    return `${this.size} worker(s)`;
  }

  /** Runs one stage task on some worker. */
  async run(task: StageTask, signal?: AbortSignal): Promise<StageSuccess> {
    if (this.destroyed) throw new SluiceError('SESSION_STOPPED', 'The Sluice session was stopped. Create a new one with Sluice.builder().getOrCreate().');
    let result: StageResult;
    try {
      result = (await this.piscina.run(task, signal ? { signal } : {})) as StageResult;
    } catch (e) {
      throw new SluiceError('WORKER_FAILED', `A worker thread failed: ${e instanceof Error ? e.message : String(e)}`, { domain: 'internal', cause: e });
    }
    if (!result.ok) throw SluiceError.fromPlain(result.error);
    return result;
  }

  /** Stops every worker thread. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await this.piscina.destroy();
  }
}
