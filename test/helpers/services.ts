import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPTS = resolve(import.meta.dirname, '../../scripts/services');

function required(name: string, what: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(
      `${name} is not set, so there is no ${what} to test against. Run the tests through 'npm test', or one file through ` +
        `'scripts/services/with-services.sh npx vitest run <file>', which start a ${what} on loopback and stop it afterwards.`,
    );
  return value;
}

/** The shared test broker's bootstrap address (`127.0.0.1:PORT`), started by scripts/services/with-services.sh. */
export function kafkaBootstrap(): string {
  return required('KAFKA_BOOTSTRAP', 'Kafka broker');
}

/** The shared test Redis URL (`redis://127.0.0.1:PORT`), started by scripts/services/with-services.sh. */
export function redisUrl(): string {
  return required('REDIS_URL', 'Redis server');
}

/** A name unique to this test run (topics, groups, keys, transactional ids never collide between tests or runs). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** A server this test started for itself (fault tests stop and restart it without disturbing other tests). */
export interface PrivateServer {
  /** The address clients use; stays the same across stop/start. */
  readonly address: string;
  /** Stops the server (SIGTERM, then SIGKILL after a timeout); its data is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the kept data. */
  start(): Promise<void>;
  /** Stops it and removes its state folder. */
  dispose(): Promise<void>;
}

/** Starts a private single-node Kafka broker on a free loopback port (about 5-15 s). */
export async function startPrivateKafka(): Promise<PrivateServer> {
  const state = mkdtempSync(join(tmpdir(), 'sluice-kafka-'));
  const first = await run(join(SCRIPTS, 'start-kafka.sh'), [state], { env: process.env });
  const address = first.stdout.trim();
  const port = address.split(':')[1] as string;
  const controllerPort = /controller\.quorum\.voters=1@127\.0\.0\.1:(\d+)/.exec(readFileSync(join(state, 'config/server.properties'), 'utf8'))?.[1] ?? '0';
  return {
    address,
    stop: async () => {
      await run(join(SCRIPTS, 'stop-kafka.sh'), [state]);
    },
    start: async () => {
      await run(join(SCRIPTS, 'start-kafka.sh'), [state, port, controllerPort], { env: process.env });
    },
    dispose: async () => {
      await run(join(SCRIPTS, 'stop-kafka.sh'), [state, '--clean']);
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** Starts a private redis-server on a free loopback port; `persist: 'aof'` keeps its data across stop/start. */
export async function startPrivateRedis(options: { readonly persist?: 'aof' } = {}): Promise<PrivateServer> {
  const state = mkdtempSync(join(tmpdir(), 'sluice-redis-'));
  const env = { ...process.env, REDIS_PERSIST: options.persist ?? 'none' };
  const first = await run(join(SCRIPTS, 'start-redis.sh'), [state], { env });
  const address = first.stdout.trim();
  const port = new URL(address).port;
  return {
    address,
    stop: async () => {
      await run(join(SCRIPTS, 'stop-redis.sh'), [state]);
    },
    start: async () => {
      await run(join(SCRIPTS, 'start-redis.sh'), [state, port], { env });
    },
    dispose: async () => {
      await run(join(SCRIPTS, 'stop-redis.sh'), [state, '--clean']);
      rmSync(state, { recursive: true, force: true });
    },
  };
}
