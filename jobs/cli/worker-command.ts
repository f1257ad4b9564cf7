import { availableParallelism } from 'node:os';
import { checkRedisUrl } from '../../engine/distributed/bullmq-task-runner.js';
import { startRemoteWorker } from '../../engine/distributed/remote-worker.js';
import type { CommandSpec, ParsedArgs } from './cli-flags.js';
import { positiveIntFlag, UsageError } from './cli-flags.js';

/** `sluice worker`: the flags and examples shown by `sluice worker --help`. */
export const WORKER_SPEC: CommandSpec = {
  name: 'worker',
  positionals: [],
  short: 'Serve the stage tasks of sessions running with --redis / .master() (run one per machine).',
  summary:
    'Takes stage tasks from a BullMQ queue on Redis and runs them on worker threads, for drivers started with ' +
    '`sluice run --redis <url>` or `Sluice.builder().master(url)`. Runs until SIGINT/SIGTERM, then finishes its running tasks and exits 0. ' +
    'A worker that dies loses nothing: its tasks go to another worker once their lock expires (--lock-ms). ' +
    'Input files and the shared-storage folder must be reachable at the same paths as on the driver. One JSON line per event on stderr.',
  flags: [
    { name: 'redis', kind: 'value', placeholder: '<url>', help: 'The Redis the drivers use, e.g. redis://10.0.0.5:6379.', required: true },
    { name: 'slots', kind: 'value', placeholder: '<n>', help: 'Tasks run at once (worker threads).', defaultText: 'number of cores' },
    { name: 'queue', kind: 'value', placeholder: '<name>', help: "The queue to serve (the drivers' sluice.distributed.queue).", defaultText: 'sluice' },
    {
      name: 'lock-ms',
      kind: 'value',
      placeholder: '<ms>',
      help: "How long a running task's lock lives without renewal; a dead worker's tasks move after about 1.5x this.",
      defaultText: '10000',
    },
  ],
  examples: ['sluice worker --redis redis://127.0.0.1:6379', 'sluice worker --redis redis://10.0.0.5:6379 --slots 8 --lock-ms 5000'],
};

/** Runs `sluice worker` until SIGINT/SIGTERM. */
export async function workerCommand(args: ParsedArgs): Promise<void> {
  if (args.positionals.length > 0) throw new UsageError(`sluice worker takes only flags; unexpected '${args.positionals[0]}'.`, WORKER_SPEC.name);
  const v = args.values;
  if (typeof v.redis !== 'string') throw new UsageError('sluice worker needs --redis <url>, e.g. --redis redis://127.0.0.1:6379.', WORKER_SPEC.name);
  let redisUrl: string;
  try {
    redisUrl = checkRedisUrl(v.redis, '--redis');
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e), WORKER_SPEC.name);
  }
  const slots = typeof v.slots === 'string' ? positiveIntFlag(WORKER_SPEC, 'slots', v.slots) : availableParallelism();
  const lockMs = typeof v['lock-ms'] === 'string' ? positiveIntFlag(WORKER_SPEC, 'lock-ms', v['lock-ms']) : 10_000;
  const queue = typeof v.queue === 'string' ? v.queue : 'sluice';
  if (!/^[A-Za-z0-9_-]+$/.test(queue)) throw new UsageError(`--queue must be letters, digits, '_' or '-', got '${queue}'.`, WORKER_SPEC.name);
  const log = (event: string, fields: Record<string, unknown>): void => {
    process.stderr.write(`${JSON.stringify({ event, time: new Date().toISOString(), ...fields })}\n`);
  };
  const worker = await startRemoteWorker({ redisUrl, slots, queue, lockMs, onTake: (t) => log('take', t), onTask: (t) => log('task', t) });
  log('started', { worker: worker.id, redis: redisUrl, queue, slots, lockMs });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  log('stopping', { worker: worker.id });
  await worker.close();
}
