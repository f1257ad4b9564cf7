import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitionLeases } from '../../engine/distributed/partition-lease.js';
import { redisUrl } from '../helpers/services.js';

let redis: Redis;
const queue = `lease-${randomBytes(4).toString('hex')}`;

beforeAll(() => {
  redis = new Redis(redisUrl());
});
afterAll(async () => {
  const keys = await redis.keys(`sluice:${queue}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('state partition leases in Redis', () => {
  it('one owner at a time; a dead owner loses the partition when its lease runs out, with a newer fencing token for the next', async () => {
    const a = new PartitionLeases(redis, { queue, owner: 'worker-a', ttlMs: 300 });
    const b = new PartitionLeases(redis, { queue, owner: 'worker-b', ttlMs: 300 });
    const la = await a.acquire(3);
    expect(la).not.toBeNull();
    expect(await b.acquire(3)).toBeNull();
    expect(b.heldBy).toBe('worker-a');
    // Another partition is independent.
    expect(await b.acquire(4)).not.toBeNull();
    // a renews while alive: b still cannot take it after the first TTL would have passed.
    await new Promise((r) => setTimeout(r, 200));
    expect(await a.renew(la as NonNullable<typeof la>)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await b.acquire(3)).toBeNull();
    // a stops renewing (it died): b gets the partition with a larger token, and a's renew and release fail.
    await new Promise((r) => setTimeout(r, 400));
    const lb = await b.acquire(3);
    expect(lb?.token).toBeGreaterThan((la as NonNullable<typeof la>).token);
    expect(await a.renew(la as NonNullable<typeof la>)).toBe(false);
    expect(await a.release(la as NonNullable<typeof la>)).toBe(false);
    expect(await b.release(lb as NonNullable<typeof lb>)).toBe(true);
    expect(await a.acquire(3)).not.toBeNull();
  });
});
