import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../dataframe/data-frame.js';
import { col } from '../../dataframe/expr/functions.js';
import { Sluice } from '../../index.js';
import { KafkaTestData } from '../helpers/kafka-test-data.js';
import type { PrivateServer } from '../helpers/services.js';
import { startPrivateKafka, uniqueName } from '../helpers/services.js';
import { StreamTest } from '../helpers/stream-test.js';

let sluice: Sluice;
let broker: PrivateServer;
beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  broker = await startPrivateKafka();
}, 120_000);
afterAll(async () => {
  await sluice.stop();
  await broker.dispose();
}, 60_000);

const values = (rows: readonly Row[]): string[] => rows.map((r) => String(r.v));
const seq = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `r-${from + i}`);

describe('kafka source faults (private broker)', () => {
  it('rides through a ~10 s broker outage and resumes after a query restart with nothing lost or duplicated', async () => {
    const topic = uniqueName('ks-outage');
    let data = new KafkaTestData(broker.address);
    await data.createTopic(topic, 2);
    await data.sendSeq(topic, 0, 'r', 0, 50);
    await data.sendSeq(topic, 1, 'r', 50, 50);
    const df = await sluice.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', broker.address)
      .option('subscribe', topic)
      .option('startingOffsets', 'earliest')
      .option('maxOffsetsPerTrigger', 40)
      .option('fetchOffset.numRetries', 240)
      .option('fetchOffset.retryIntervalMs', 250)
      .load();
    const t = new StreamTest(df.select(col('value').cast('string').alias('v')), { trigger: { kind: 'processingTime', intervalMs: 100 } });
    const q = await t.start();
    await t.processAllAvailable();
    expect(values(t.answer()).sort()).toEqual(seq(0, 100).sort());

    await data.close();
    await broker.stop();
    await new Promise((r) => setTimeout(r, 10_000));
    expect(q.isActive).toBe(true);
    await broker.start();
    data = new KafkaTestData(broker.address);
    await data.sendSeq(topic, 0, 'r', 100, 30);
    await data.sendSeq(topic, 1, 'r', 130, 30);
    for (let i = 0; i < 150 && t.answer().length < 160; i++) await new Promise((r) => setTimeout(r, 200));
    expect(q.exception).toBeNull();
    expect(values(t.answer()).sort()).toEqual(seq(0, 160).sort());

    // A restarted query continues exactly after the last committed batch.
    await t.stop();
    await data.sendSeq(topic, 1, 'r', 160, 5);
    await t.start();
    await t.processAllAvailable();
    const all = values(t.answer());
    expect(all.sort()).toEqual(seq(0, 165).sort());
    expect(new Set(all).size).toBe(all.length);
    await t.cleanup();
    await data.close();
  }, 180_000);

  it('fails with a clear error naming the brokers when Kafka stays away longer than the retry budget', async () => {
    const topic = uniqueName('ks-gone');
    const data = new KafkaTestData(broker.address);
    await data.createTopic(topic, 1);
    await data.sendSeq(topic, 0, 'r', 0, 3);
    await data.close();
    const df = await sluice.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', broker.address)
      .option('subscribe', topic)
      .option('startingOffsets', 'earliest')
      .option('fetchOffset.numRetries', 3)
      .option('fetchOffset.retryIntervalMs', 200)
      .load();
    const t = new StreamTest(df.select(col('value').cast('string').alias('v')));
    const q = await t.start();
    await t.processAllAvailable();
    await broker.stop();
    try {
      await expect(q.awaitTermination(30_000)).rejects.toThrow(/did not answer/);
      expect(q.exception?.message).toMatch(new RegExp(`Kafka at ${broker.address.replace(/\./g, '\\.')} did not answer.*fetchOffset.numRetries`));
    } finally {
      // The last test: afterAll disposes of the stopped broker, so it is not started again.
      await t.cleanup();
    }
  }, 120_000);
});
