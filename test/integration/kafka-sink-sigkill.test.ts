import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../engine/session/sluice.js';
import job from '../../jobs/examples/transactions-to-kafka.js';
import { runJob } from '../../jobs/run-job.js';
import { kafkaLogCreator } from '../../sinks/kafka/kafka-log.js';
import { readBatchMarker } from '../../sinks/kafka/kafka-batch-marker.js';
import { createTopics, readTopic } from '../helpers/kafka-read.js';
import { kafkaBootstrap, uniqueName } from '../helpers/services.js';
import { assertDistBuilt, runSigkillHarness } from '../helpers/sigkill-harness.js';
import { writeTransactionFiles } from '../helpers/transaction-files.js';

const KILLS = 30;
const MAX_KILLS = 45;
const FILES = 80;
const JOB_FILE = 'dist/jobs/examples/transactions-to-kafka.js';

let dir: string;
let sluice: Sluice;

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  dir = mkdtempSync(join(tmpdir(), 'sluice-kafka-sigkill-'));
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

function newest(folder: string): number {
  if (!existsSync(folder)) return -1;
  return Math.max(
    -1,
    ...readdirSync(folder)
      .filter((n) => /^\d+$/.test(n))
      .map(Number),
  );
}

/**
 * Where a kill landed, from the checkpoint and the sink's Kafka marker: `betweenBatches`
 * (the newest batch is in the commit log), `kafkaCommitted` (its transaction committed in
 * Kafka, the commit log entry missing: the restart must write nothing), `beforeKafkaCommit`
 * (the batch is logged, its transaction not committed: open or never begun, aborted by the
 * restart's fencing), `starting`.
 */
async function classify(kafka: Kafka, topic: string, ckpt: string): Promise<string> {
  if (!existsSync(join(ckpt, 'offsets'))) return 'starting';
  const logged = newest(join(ckpt, 'offsets'));
  if (logged === newest(join(ckpt, 'commits'))) return 'betweenBatches';
  const queryId = (JSON.parse(readFileSync(join(ckpt, 'metadata'), 'utf8')) as { id: string }).id;
  const marker = await readBatchMarker(kafka, `sluice-sink-${queryId}`, topic);
  return marker >= logged ? 'kafkaCommitted' : 'beforeKafkaCommit';
}

describe('exactly-once Kafka sink under SIGKILL', () => {
  it(`read_committed output after ${KILLS}+ kills and restarts equals the batch run: 0 lost, 0 duplicated`, async () => {
    const bootstrap = kafkaBootstrap();
    const topic = uniqueName('eos-sigkill');
    const batchTopic = uniqueName('eos-sigkill-batch');
    await createTopics(bootstrap, [topic, batchTopic]);
    const kafka = new Kafka({ brokers: [bootstrap], logCreator: kafkaLogCreator });
    const input = join(dir, 'in');
    let nextId = writeTransactionFiles(input, 42, FILES, 6);
    const run = await runSigkillHarness({
      jobFile: JOB_FILE,
      inputs: { transactions: input },
      output: join(dir, 'unused'),
      checkpoint: join(dir, 'ckpt'),
      extraArgs: ['--max-files-per-trigger', '1', '--workers', '1', '--sink-option', `kafka.bootstrap.servers=${bootstrap}`, '--sink-option', `topic=${topic}`],
      kills: KILLS,
      maxKills: MAX_KILLS,
      requiredMoments: ['kafkaCommitted', 'beforeKafkaCommit'],
      seed: 5,
      moreInput: (round) => {
        nextId = writeTransactionFiles(input, 100 + round, FILES / 4, 6, nextId);
      },
      classify: (ckpt) => classify(kafka, topic, ckpt),
    });
    expect(run.finalExitCode).toBe(0);
    expect(run.kills).toBeGreaterThanOrEqual(KILLS);
    expect(run.covered).toBe(true);

    await runJob(sluice, job, { mode: 'batch', inputPaths: { transactions: input }, sinkOptions: { 'kafka.bootstrap.servers': bootstrap, topic: batchTopic } });
    const expected = (await readTopic(bootstrap, batchTopic)).map((r) => `${r.key}|${r.value}`).sort();
    const committed = (await readTopic(bootstrap, topic, { atLeast: expected.length })).map((r) => `${r.key}|${r.value}`).sort();
    const everything = await readTopic(bootstrap, topic, { isolation: 'read_uncommitted', atLeast: expected.length });
    const aborted = everything.length - committed.length;
    process.stderr.write(
      `Kafka SIGKILL: ${run.kills} kills, ${expected.length} rows expected, ${committed.length} committed, ${aborted} aborted records (kills during produce)\n`,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(committed).size).toBe(committed.length);
    expect(committed).toEqual(expected);
    // Kills landed inside open transactions: their records exist in the log but no read_committed reader sees them.
    expect(aborted).toBeGreaterThan(0);
  }, 240_000);
});
