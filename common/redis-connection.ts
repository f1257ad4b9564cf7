import type { Redis as RedisType } from 'ioredis';
import { SluiceError } from './errors.js';

/** How a connector connects to Redis. */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  readonly url: string;
  /** The connector, for messages: `redis sink`. */
  readonly owner: string;
  /** How long one operation keeps retrying while the server is unreachable or loading, ms. */
  readonly retryMillis: number;
}

/** The URL without a password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** True for failures another attempt may get past: no connection, a dropped connection, a server still loading its data. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return /^(LOADING|TRYAGAIN|BUSY|MASTERDOWN)\b/.test(error.message);
  return true;
}

/** Thrown while waiting for a connection; the client's own error says why. */
class NotReady extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One connection to a Redis server for a connector, with bounded retries.
 *
 * ioredis is loaded when the first connection opens, so Sluice users without Redis never
 * load it. The client reconnects on its own (50 ms backoff growing to 500 ms), but neither
 * queues commands while disconnected nor re-sends commands that were in flight when the
 * connection dropped: a re-sent EXEC on a new connection would run without the WATCH that
 * guarded it. Instead {@link RedisConnection.run} re-runs a whole operation (which callers
 * make idempotent) until it succeeds or `retryMillis` has passed; then it throws
 * CONNECTION_FAILED naming the server, the operation and the last error. Redis errors
 * other than LOADING/TRYAGAIN/BUSY (WRONGTYPE, syntax errors) are not retried.
 */
export class RedisConnection {
  private lastError: unknown = null;

  private constructor(
    /** The ioredis client; use it only inside {@link RedisConnection.run}. */
    readonly client: RedisType,
    private readonly options: RedisConnectionOptions,
  ) {}

  /** Creates the client and starts connecting; the first `run` waits for the connection. */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    let RedisClass: typeof RedisType;
    try {
      RedisClass = (await import('ioredis')).Redis;
    } catch (cause) {
      throw new SluiceError('INVALID_ARGUMENT', `The ${options.owner} needs the ioredis package; install it with 'npm install ioredis'.`, { cause });
    }
    let client: RedisType;
    try {
      client = new RedisClass(options.url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        maxRetriesPerRequest: 0,
        connectTimeout: 2000,
        retryStrategy: (times: number) => Math.min(50 * times, 500),
      });
    } catch (cause) {
      throw new SluiceError(
        'INVALID_ARGUMENT',
        `Option 'url' of the ${options.owner} is not a Redis URL: '${redactedUrl(options.url)}'. Use redis://host:port.`,
        {
          cause,
        },
      );
    }
    const connection = new RedisConnection(client, options);
    client.on('error', (e: unknown) => {
      connection.lastError = e;
    });
    client.connect().catch((e: unknown) => {
      connection.lastError = e;
    });
    return connection;
  }

  /**
   * Runs `operation` with the client, retrying it from the start after a transient failure
   * (see the class comment) until `retryMillis` has passed since the first attempt.
   * `operation` must be safe to run again after a partial run.
   */
  async run<T>(what: string, operation: (client: RedisType) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.options.retryMillis;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ready(deadline);
        return await operation(this.client);
      } catch (error) {
        if (error instanceof SluiceError) throw error;
        if (!isTransient(error)) {
          throw new SluiceError(
            'INVALID_ARGUMENT',
            `Redis at ${redactedUrl(this.options.url)} refused ${what}: ${(error as Error).message}. Check the URL's credentials and database, and that the keys hold the types the connector reads or writes.`,
            {
              domain: 'external',
              cause: error,
            },
          );
        }
        if (!(error instanceof NotReady) || this.lastError === null) this.lastError = error;
        if (Date.now() >= deadline) throw this.unavailable(what);
        await sleep(Math.min(50 * (attempt + 1), 500));
      }
    }
  }

  private async ready(deadline: number): Promise<void> {
    while (this.client.status !== 'ready') {
      if (this.client.status === 'end') this.client.connect().catch(() => {});
      if (Date.now() >= deadline) throw new NotReady('not connected');
      await sleep(25);
    }
  }

  private unavailable(what: string): SluiceError {
    const last = this.lastError instanceof Error ? this.lastError.message : String(this.lastError);
    return new SluiceError(
      'CONNECTION_FAILED',
      `The ${this.options.owner} could not reach Redis at ${redactedUrl(this.options.url)} for ${this.options.retryMillis} ms while ${what} ` +
        `(last error: ${last}). Check that the server is up; a restarted query resumes from its checkpoint. ` +
        `Option 'retryMillis' sets how long an outage is ridden through.`,
      { domain: 'external', retryable: true, cause: this.lastError },
    );
  }

  /** Closes the connection (pending replies are awaited when the server is reachable). */
  async close(): Promise<void> {
    try {
      if (this.client.status === 'ready') await this.client.quit();
      else this.client.disconnect();
    } catch {
      this.client.disconnect();
    }
  }
}
