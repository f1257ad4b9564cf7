import type { Redis } from 'ioredis';

/** A lease held on one state partition: who holds it and its fencing token. */
export interface Lease {
  readonly partition: number;
  /** Grows with every grant of this partition; a write carrying an older token is stale. */
  readonly token: number;
}

// KEYS[1] lease key, KEYS[2] epoch key; ARGV owner, ttl ms. Grants when free: {token} or {0, holder}.
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur then return {0, cur} end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return {token, ''}`;
// KEYS[1] lease key; ARGV owner|token, ttl ms. Extends only the caller's own lease.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
// KEYS[1] lease key; ARGV owner|token. Deletes only the caller's own lease.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Leases on state partitions in Redis, so one process at a time owns a partition: a lease
 * is a key holding `owner|token` with a time to live, granted only when absent (so a
 * partition whose owner died becomes free once its lease runs out), extended only by its
 * holder, and numbered by a per-partition counter (a fencing token: state written under an
 * older token than the newest grant is from a previous owner and must be discarded). Each
 * call is one Redis round trip (a Lua script).
 *
 * Status: the primitive the planned remote state executors need; streaming aggregation
 * state still lives on the driver's state executor threads (docs/ARCHITECTURE.md,
 * "Running across machines").
 */
export class PartitionLeases {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly owner: string;
  private readonly ttlMs: number;
  /** Holder of the partition seen by the last failed {@link acquire}. */
  heldBy: string | null = null;

  constructor(redis: Redis, options: { readonly queue: string; readonly owner: string; readonly ttlMs: number }) {
    this.redis = redis;
    this.prefix = `sluice:${options.queue}:lease`;
    this.owner = options.owner;
    this.ttlMs = options.ttlMs;
  }

  private key(partition: number): string {
    return `${this.prefix}:${partition}`;
  }

  /** Takes the partition when nobody holds it; otherwise null (and who holds it, in `heldBy`). */
  async acquire(partition: number): Promise<Lease | null> {
    const [token, holder] = (await this.redis.eval(ACQUIRE, 2, this.key(partition), `${this.key(partition)}:epoch`, this.owner, this.ttlMs)) as [
      number,
      string,
    ];
    if (token === 0) {
      this.heldBy = holder.slice(0, holder.lastIndexOf('|'));
      return null;
    }
    return { partition, token };
  }

  /** Extends the caller's lease by the time to live; false when it was lost (expired or taken over). */
  async renew(lease: Lease): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key(lease.partition), `${this.owner}|${lease.token}`, this.ttlMs)) === 1;
  }

  /** Gives the partition up; false when the lease was no longer the caller's. */
  async release(lease: Lease): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key(lease.partition), `${this.owner}|${lease.token}`)) === 1;
  }
}
