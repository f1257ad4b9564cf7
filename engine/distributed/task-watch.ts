import { SluiceError } from '../../common/errors.js';
import type { BullMqTaskRunner, PendingTask } from './bullmq-task-runner.js';
import { liveWorkers } from './worker-registry.js';

/** How often (ms) the driver looks at its in-flight tasks' jobs. */
const CHECK_EVERY_MS = 1000;
/** Jobs one task may use (first run, resubmissions, one speculative copy) before it fails. */
const MAX_JOBS = 6;
/** A running task is speculated after this many times the median task time... */
const SLOW_FACTOR = 4;
/** ...and never before it ran this long (ms). */
const MIN_SLOW_MS = 2000;

/**
 * The driver's once-a-second look at its in-flight tasks (run from the runner's receive
 * loop): refreshes the live worker count; resubmits a task none of whose jobs is left
 * waiting or running and whose result is not there (its job vanished with a Redis restart,
 * or failed); and, when no task waits for a slot, adds one speculative copy of a task that
 * has run more than 4x the median task time (at least 2 s). The first result wins; copies
 * are harmless because tasks are deterministic and the runner takes one result per task.
 */
export class TaskWatch {
  private readonly runner: BullMqTaskRunner;
  private readonly speculation: boolean;
  private lastCheck = 0;
  private readonly durations: number[] = [];
  /** Tasks resubmitted and speculative copies started, for tests and metrics. */
  readonly counts = { resubmitted: 0, speculated: 0 };

  constructor(runner: BullMqTaskRunner, speculation: boolean) {
    this.runner = runner;
    this.speculation = speculation;
  }

  /** Records a finished task's time (from when it was first seen running, else from its submission). */
  finished(p: PendingTask): void {
    this.durations.push(Date.now() - (p.activeSince > 0 ? p.activeSince : p.submittedAt));
    if (this.durations.length > 64) this.durations.shift();
  }

  private slowAfterMs(): number {
    if (this.durations.length < 3) return Number.POSITIVE_INFINITY;
    const sorted = [...this.durations].sort((a, b) => a - b);
    return Math.max(MIN_SLOW_MS, SLOW_FACTOR * (sorted[sorted.length >> 1] as number));
  }

  /** Runs a check when the last one is over a second old. */
  async tick(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCheck < CHECK_EVERY_MS) return;
    this.lastCheck = now;
    const r = this.runner;
    r.live = await liveWorkers(r.redis, r.queueName);
    let waiting: number | null = null;
    for (const p of [...r.inflight.values()]) {
      if (p.collecting || !r.inflight.has(p.taskId)) continue;
      const states = await Promise.all(p.jobIds.map((id) => r.queue.getJobState(id)));
      if (p.activeSince === 0 && states.includes('active')) p.activeSince = now;
      const alive = states.some((s) => s !== 'unknown' && s !== 'failed' && s !== 'completed');
      if (!alive) {
        if (await r.collect(p.taskId)) continue;
        if (p.jobIds.length >= MAX_JOBS) {
          r.abandon(
            p.taskId,
            new SluiceError('WORKER_FAILED', `Task ${p.taskId} was lost or failed on ${MAX_JOBS} workers; see the sluice worker logs.`, { domain: 'internal' }),
          );
          continue;
        }
        this.counts.resubmitted++;
        p.activeSince = 0;
        await r.submit(p.taskId, `${p.taskId}-r${p.jobIds.length}`);
        continue;
      }
      if (this.speculation && !p.speculated && states.includes('active') && now - p.activeSince > this.slowAfterMs()) {
        waiting ??= await r.queue.getWaitingCount();
        if (waiting > 0) continue;
        p.speculated = true;
        this.counts.speculated++;
        await r.submit(p.taskId, `${p.taskId}-s`);
      }
    }
  }
}
