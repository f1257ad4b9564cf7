import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDataset } from '../../benchmarks/data/write-dataset.js';
import { Sluice } from '../../engine/session/sluice.js';
import fraud from '../../jobs/examples/fraud-alerts.js';
import fraudToKafka from '../../jobs/examples/fraud-alerts-to-kafka.js';
import { runJob } from '../../jobs/run-job.js';
import { batchRun } from '../helpers/example-runs.js';
import { createTopics, readTopic } from '../helpers/kafka-read.js';
import { kafkaBootstrap, uniqueName } from '../helpers/services.js';

/**
 * The fraud-alerts-to-kafka example on a real broker: streamed over the seeded generator's
 * transactions one file per micro-batch (exactly-once sink), the topic holds the batch
 * run's alerts once each, as JSON values keyed by card id; a replay and the batch mode
 * write the same records.
 */

let sluice: Sluice;
let dir: string;
let data: string;
let expected: string[];

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-fraud-kafka-'));
  data = join(dir, 'tx');
  await ensureDataset({
    out: data,
    rows: 12_000,
    files: 4,
    rowGroupRows: 4096,
    cards: 3_000,
    merchants: 2_000,
    rate: 3,
    burstFrac: 0.03,
    jitterMeanMs: 0,
    jitterMaxMs: 0,
    lateFrac: 0,
  });
  const alerts = await batchRun(sluice, fraud, { transactions: data }, join(dir, 'parquet'));
  expected = alerts.map((a) => `${a.card_id}|{"card_id":${a.card_id},"event_time_ms":${a.event_time_ms},"n":${a.n},"n_merchants":${a.n_merchants}}`).sort();
}, 120_000);

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

const records = (rs: { key: string | null; value: string | null }[]): string[] => rs.map((r) => `${r.key}|${r.value}`).sort();

describe('fraud-alerts-to-kafka example', () => {
  it('the stream writes every alert once, keyed by card, as the batch run finds them', async () => {
    expect(expected.length).toBeGreaterThan(50);
    const topic = uniqueName('fraud-alerts');
    await createTopics(kafkaBootstrap(), [topic], 3);
    const run = await runJob(sluice, fraudToKafka, {
      mode: 'available-now',
      inputPaths: { transactions: data },
      checkpoint: join(dir, 'ckpt'),
      maxFilesPerTrigger: 1,
      sinkOptions: { 'kafka.bootstrap.servers': kafkaBootstrap(), topic },
    });
    expect(run.query?.exception).toBeNull();
    expect(run.query?.recentProgress.filter((p) => p.numInputRows > 0).length).toBe(4);
    const got = await readTopic(kafkaBootstrap(), topic, { atLeast: expected.length });
    expect(records(got)).toEqual(expected);
  }, 120_000);

  it('a replay (event-time order, simulated clock) writes the same records', async () => {
    const topic = uniqueName('fraud-alerts-replay');
    await createTopics(kafkaBootstrap(), [topic], 3);
    const run = await runJob(sluice, fraudToKafka, {
      mode: 'replay',
      inputPaths: { transactions: data },
      checkpoint: join(dir, 'ckpt-replay'),
      speed: 'max',
      trigger: { kind: 'processingTime', intervalMs: 300_000 },
      sinkOptions: { 'kafka.bootstrap.servers': kafkaBootstrap(), topic },
    });
    expect(run.query?.lastProgress?.batchId).toBeGreaterThan(10);
    const got = await readTopic(kafkaBootstrap(), topic, { atLeast: expected.length });
    expect(records(got)).toEqual(expected);
  }, 120_000);

  it('batch mode writes the same records', async () => {
    const topic = uniqueName('fraud-alerts-batch');
    await createTopics(kafkaBootstrap(), [topic], 1);
    await runJob(sluice, fraudToKafka, {
      mode: 'batch',
      inputPaths: { transactions: data },
      sinkOptions: { 'kafka.bootstrap.servers': kafkaBootstrap(), topic },
    });
    const got = await readTopic(kafkaBootstrap(), topic, { atLeast: expected.length });
    expect(records(got)).toEqual(expected);
  }, 120_000);
});
