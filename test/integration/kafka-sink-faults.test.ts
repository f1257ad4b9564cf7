import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import { col } from '../../dataframe/expr/functions.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';
import { Sluice } from '../../engine/session/sluice.js';
import { MemoryStream } from '../../sources/memory/memory-stream.js';
import { createTopics, readTopic } from '../helpers/kafka-read.js';
import type { PrivateServer } from '../helpers/services.js';
import { startPrivateKafka, uniqueName } from '../helpers/services.js';

let sluice: Sluice;
let broker: PrivateServer;
let dir: string;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  broker = await startPrivateKafka();
  dir = mkdtempSync(join(tmpdir(), 'sluice-kafka-faults-'));
}, 120_000);

afterAll(async () => {
  await sluice.stop();
  await broker?.dispose();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('kafka sink: the broker stops for ~10 s mid-stream', () => {
  it('the exactly-once query rides through with bounded retries; every row is committed once', async () => {
    const topic = uniqueName('faults');
    await createTopics(broker.address, [topic]);
    const input = new MemoryStream(schemaOf([field('n', types.int64)]));
    const ckpt = join(dir, 'ckpt');
    const start = (): Promise<StreamingQuery> =>
      sluice.readStream
        .fromSource(input)
        .select(col('n').cast('string').alias('key'), col('n').cast('string').alias('value'))
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', broker.address)
        .option('topic', topic)
        .option('exactlyOnce', true)
        .option('checkpointLocation', ckpt)
        .trigger({ kind: 'processingTime', intervalMs: 100 })
        .start();
    const q = await start();
    let n = 0;
    const feed = async (ms: number): Promise<void> => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        input.addData(Array.from({ length: 10 }, () => ({ n: BigInt(n++) })));
        await sleep(50);
      }
    };
    await feed(1500);
    // Mid-stream: a few batches committed before the broker goes away.
    for (let waited = 0; (q.lastProgress?.batchId ?? -1) < 2 && waited < 30_000; waited += 100) await feed(100);
    expect(q.lastProgress?.batchId ?? -1).toBeGreaterThanOrEqual(2);
    await broker.stop();
    const downAt = Date.now();
    await feed(10_000);
    await broker.start();
    process.stderr.write(`Kafka faults: broker down ${((Date.now() - downAt) / 1000).toFixed(1)} s\n`);
    await feed(1500);
    // kafkajs's retries, then the sink's batch retries (up to kafka.delivery.timeout.ms, 120 s), carry the query over the outage.
    expect(q.exception?.message ?? null).toBeNull();
    expect(q.isActive).toBe(true);
    await q.processAllAvailable();
    await q.stop();
    process.stderr.write(`Kafka faults: ${n} rows fed\n`);
    const got = (await readTopic(broker.address, topic, { atLeast: n })).map((r) => Number(r.value));
    expect(got.length).toBe(n);
    expect(new Set(got).size).toBe(n);
    expect(Math.max(...got)).toBe(n - 1);
  }, 180_000);
});
