import type { Redis } from 'ioredis';
import { queueKeys, WORKER_TTL_MS } from './redis-keys.js';

/** The live worker processes of a queue, as the driver sees them. */
export interface LiveWorkers {
  readonly processes: number;
  readonly slots: number;
}

/** Registers (or refreshes) a worker process with its task slots; it counts as live for {@link WORKER_TTL_MS}. */
export async function heartbeat(redis: Redis, queue: string, workerId: string, slots: number): Promise<void> {
  const k = queueKeys(queue);
  await redis
    .multi()
    .zadd(k.workers, Date.now() + WORKER_TTL_MS, workerId)
    .hset(k.slots, workerId, String(slots))
    .exec();
}

/** Removes a worker process from the registry (on a clean shutdown). */
export async function unregister(redis: Redis, queue: string, workerId: string): Promise<void> {
  const k = queueKeys(queue);
  await redis.multi().zrem(k.workers, workerId).hdel(k.slots, workerId).exec();
}

/** Counts the live worker processes and their slots, and drops registrations that expired. */
export async function liveWorkers(redis: Redis, queue: string): Promise<LiveWorkers> {
  const k = queueKeys(queue);
  const now = Date.now();
  const expired = await redis.zrangebyscore(k.workers, '-inf', now);
  if (expired.length > 0)
    await redis
      .multi()
      .zrem(k.workers, ...expired)
      .hdel(k.slots, ...expired)
      .exec();
  const ids = await redis.zrangebyscore(k.workers, now, '+inf');
  if (ids.length === 0) return { processes: 0, slots: 0 };
  const slots = await redis.hmget(k.slots, ...ids);
  return { processes: ids.length, slots: slots.reduce((s, v) => s + (Number(v) || 0), 0) };
}
