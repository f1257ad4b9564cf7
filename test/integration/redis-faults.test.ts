import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnarBatch } from '../../common/column-vector.js';
import { sliceBatch } from '../../common/columnar-batch.js';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';
import { RedisSink } from '../../sinks/redis/redis-sink.js';
import { localFrame } from '../contract/local-query-executor.js';
import { Sluice } from '../../engine/session/sluice.js';
import type { PrivateServer } from '../helpers/services.js';
import { startPrivateRedis } from '../helpers/services.js';

let sluice: Sluice;
let server: PrivateServer;
let redis: Redis;
const dirs: string[] = [];

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  server = await startPrivateRedis({ persist: 'aof' });
  redis = new Redis(server.address, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  redis.on('error', () => {});
}, 60_000);

afterAll(async () => {
  redis.disconnect();
  await sluice.stop();
  await server.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function addEntries(key: string, from: number, to: number): Promise<void> {
  const p = redis.pipeline();
  for (let i = from; i < to; i++) p.xadd(key, '*', 'n', String(i));
  await p.exec();
}

/** The `n` field of every entry of the output stream, in order. */
async function outputs(key: string): Promise<number[]> {
  return (await redis.xrange(key, '-', '+')).map(([, kv]) => Number(kv[kv.indexOf('n') + 1]));
}

/** redis-stream source → select → redis sink (XADD), both on the private server. */
async function startPipeline(input: string, output: string, checkpoint: string, retryMillis: number): Promise<StreamingQuery> {
  const df = await sluice.readStream
    .format('redis-stream')
    .schema('n BIGINT')
    .option('url', server.address)
    .option('streams', input)
    .option('maxEntriesPerTrigger', 50)
    .option('retryMillis', retryMillis)
    .load();
  return df
    .select('id', 'n')
    .writeStream.format('redis')
    .queryName(`copy-${output}`)
    .option('checkpointLocation', checkpoint)
    .option('url', server.address)
    .option('type', 'stream')
    .option('key', output)
    .option('retryMillis', retryMillis)
    .trigger({ kind: 'processingTime', intervalMs: 20 })
    .start();
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('Redis restarts (private redis-server with AOF)', () => {
  it('rides through a short outage with bounded retries; every entry is copied once', async () => {
    const checkpoint = mkdtempSync(join(tmpdir(), 'sluice-redis-fault-'));
    dirs.push(checkpoint);
    await addEntries('in1', 0, 120);
    const q = await startPipeline('in1', 'out1', checkpoint, 15_000);
    await q.processAllAvailable();
    await server.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await server.start();
    await addEntries('in1', 120, 300);
    await q.processAllAvailable();
    expect(q.exception).toBeNull();
    await q.stop();
    expect(await outputs('out1')).toEqual(range(0, 300));
  }, 60_000);

  it('fails with CONNECTION_FAILED when the outage outlasts retryMillis, and a restart resumes exactly once', async () => {
    const checkpoint = mkdtempSync(join(tmpdir(), 'sluice-redis-fault-'));
    dirs.push(checkpoint);
    await addEntries('in2', 0, 170);
    const q = await startPipeline('in2', 'out2', checkpoint, 400);
    await q.processAllAvailable();
    await server.stop();
    await expect(q.awaitTermination(20_000)).rejects.toThrow(/could not reach Redis at redis:\/\/127\.0\.0\.1:\d+\/? for 400 ms.*ECONNREFUSED/);
    expect(q.isActive).toBe(false);
    expect(q.exception?.cause).toMatchObject({ code: 'CONNECTION_FAILED' });
    await server.start();
    await addEntries('in2', 170, 260);
    const again = await startPipeline('in2', 'out2', checkpoint, 5000);
    await again.processAllAvailable();
    await again.stop();
    expect(await outputs('out2')).toEqual(range(0, 260));
  }, 60_000);

  it('a batch write interrupted by a restart between transactions completes with every entry once', async () => {
    const schema = schemaOf([field('n', types.int64, false)]);
    const whole = localFrame(
      schema,
      range(0, 6000).map((i) => [BigInt(i)]),
    );
    // Yields 300-row slices 40 ms apart, so the server can be stopped while the batch is being written.
    const slow = {
      schema,
      async *batches(): AsyncGenerator<ColumnarBatch> {
        for await (const b of whole.batches())
          for (let at = 0; at < b.numRows; at += 300) {
            await new Promise((r) => setTimeout(r, 40));
            yield sliceBatch(b, at, Math.min(b.numRows, at + 300));
          }
      },
    } as unknown as DataFrame;
    const sink = new RedisSink({ url: server.address, type: 'stream', key: 'out3', rowsPerTransaction: 500, markerKey: 'm3', retryMillis: 20_000 }, schema);
    const writing = sink.addBatch(0, slow, 'append');
    while (!/^0:[2-9]/.test((await redis.get('m3')) ?? '')) await new Promise((r) => setTimeout(r, 10));
    await server.stop();
    await new Promise((r) => setTimeout(r, 800));
    await server.start();
    await writing;
    await sink.stop();
    expect(await redis.get('m3')).toBe('0');
    expect(await outputs('out3')).toEqual(range(0, 6000));
  }, 60_000);
});
