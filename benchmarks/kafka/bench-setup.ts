import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { poolFileText, TransactionPool } from './tx-json.js';

const run = promisify(execFile);

/** The project root (this file is dist/benchmarks/kafka/bench-setup.js when run). */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');
const SERVICES = join(PROJECT_ROOT, 'scripts/services');

/** A broker the benchmark uses: given, or started here (then `stop` stops it and removes its state). */
export interface Broker {
  readonly bootstrap: string;
  readonly libsDir: string;
  stop(): Promise<void>;
}

/** The Kafka jars folder (install-kafka.sh installs it when missing and prints it). */
async function kafkaLibs(): Promise<string> {
  const { stdout } = await run(join(SERVICES, 'install-kafka.sh'), [], { env: process.env });
  return join(stdout.trim().split('\n').pop() as string, 'libs');
}

/** Uses `bootstrap` when given, else starts a single-node broker on a free loopback port with scripts/services. */
export async function ensureBroker(bootstrap: string | undefined): Promise<Broker> {
  const libsDir = await kafkaLibs();
  if (bootstrap !== undefined && bootstrap !== '') return { bootstrap, libsDir, stop: async () => undefined };
  const state = await mkdtemp(join(tmpdir(), 'kafka-e2e-broker-'));
  const env = { ...process.env, KAFKA_HEAP_OPTS: process.env.KAFKA_HEAP_OPTS ?? '-Xms512m -Xmx1g' };
  const { stdout } = await run(join(SERVICES, 'start-kafka.sh'), [state], { env });
  return {
    bootstrap: stdout.trim(),
    libsDir,
    stop: async () => {
      await run(join(SERVICES, 'stop-kafka.sh'), [state, '--clean']).catch(() => undefined);
      await rm(state, { recursive: true, force: true });
    },
  };
}

/** The Spark peer's venv (scripts/spark-kafka/env.sh creates it when missing: pyspark 4.2.0 + Kafka jars). */
export async function sparkVenv(): Promise<string> {
  const { stdout } = await run(join(PROJECT_ROOT, 'scripts/spark-kafka/env.sh'), [], { env: process.env, maxBuffer: 1 << 20 });
  return stdout.trim().split('\n').pop() as string;
}

/** Compiles LoadGenerator.java into `dir/classes` and writes the transaction pool to `dir/pool.txt`. */
export async function prepareGenerator(dir: string, libsDir: string, poolSize: number, seed: number): Promise<{ classes: string; pool: string }> {
  const classes = join(dir, 'classes');
  await mkdir(classes, { recursive: true });
  await run('javac', ['-cp', `${libsDir}/*`, '-d', classes, join(PROJECT_ROOT, 'benchmarks/kafka/LoadGenerator.java')]);
  const pool = join(dir, 'pool.txt');
  await writeFile(pool, poolFileText(new TransactionPool(poolSize, seed)));
  return { classes, pool };
}

/** Creates topics (partitions each) and waits for their leaders. */
export async function createTopics(bootstrap: string, topics: readonly { readonly topic: string; readonly partitions: number }[]): Promise<void> {
  const admin = new Kafka({ clientId: 'kafka-e2e-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((t) => ({ topic: t.topic, numPartitions: t.partitions })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics (best effort: the broker's disk is freed between measurements). */
export async function deleteTopics(bootstrap: string, topics: readonly string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'kafka-e2e-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [...topics], timeout: 30_000 }).catch(() => undefined);
  await admin.disconnect();
}
