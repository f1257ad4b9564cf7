import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { LocalFileManager } from '../../common/log/local-file-manager.js';
import type { JsValue } from '../../common/vector-from-values.js';
import { RedisSink } from '../../sinks/redis/redis-sink.js';
import { RedisStreamSource } from '../../sources/redis-stream/redis-stream-source.js';
import { redisUrl, uniqueName } from '../helpers/services.js';
import { tempDir } from './contract-fixtures.js';
import { SINK_SCHEMA, sinkContract } from './sink-contract.js';
import { sourceContract } from './source-contract.js';

// The Redis connectors in the shared contract suites, against the test Redis (REDIS_URL).
const redis = new Redis(redisUrl());
afterAll(async () => {
  await redis.quit();
});

sinkContract('redis (type stream, XADD)', async () => {
  const key = uniqueName('contract-sink');
  const markerKey = uniqueName('contract-marker');
  return {
    create: () => new RedisSink({ url: redisUrl(), type: 'stream', key, markerKey, rowsPerTransaction: 1 }, SINK_SCHEMA),
    written: async () =>
      (await redis.xrange(key, '-', '+')).map(([, kv]) => {
        const f = (name: string): string | undefined => {
          const i = kv.indexOf(name);
          return i < 0 ? undefined : kv[i + 1];
        };
        return [BigInt(f('id') as string), f('name') ?? null, f('score') === undefined ? null : Number(f('score'))];
      }),
    expected: (rows: readonly (readonly JsValue[])[]) => rows.map((r) => [...r]),
    dedupesAcrossRestart: true,
    cleanup: async () => {
      await redis.del(key, markerKey);
    },
  };
});

sourceContract('redis-stream', async () => {
  const { dir, cleanup } = await tempDir('redis-stream');
  // One stream: the contract compares rows in order, and a range over several streams lists them stream by stream.
  const streams = [uniqueName('contract-a')];
  let n = 0;
  return {
    create: async () =>
      new RedisStreamSource({ url: redisUrl(), streams: streams.join(',') }, null, {
        metadataPath: join(dir, 'sources', '0'),
        fileManager: new LocalFileManager(),
      }),
    addData: async () => {
      for (let i = 0; i < 3; i++, n++) await redis.xadd(streams[0] as string, '*', 'n', String(n), 'odd', String(n % 2 === 1));
    },
    limit: { limit: { maxRows: 2 }, maxRows: 2 },
    cleanup: async () => {
      await redis.del(...streams);
      await cleanup();
    },
  };
});
