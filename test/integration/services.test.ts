import { Redis } from 'ioredis';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaBootstrap, redisUrl, uniqueName } from '../helpers/services.js';

describe('test services started by scripts/services/with-services.sh', () => {
  it('a real Kafka broker takes and returns records', async () => {
    const kafka = new Kafka({ clientId: 'services-test', brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
    const topic = uniqueName('services');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'a', value: 'one', partition: 0 },
        { key: 'b', value: 'two', partition: 1 },
      ],
    });
    await producer.disconnect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.map((o) => [o.partition, o.high]).sort()).toEqual([
      [0, '1'],
      [1, '1'],
    ]);
  });

  it('a real Redis server answers', async () => {
    const redis = new Redis(redisUrl(), { lazyConnect: true });
    await redis.connect();
    const key = uniqueName('services');
    await redis.set(key, 'v', 'EX', 60);
    expect(await redis.get(key)).toBe('v');
    expect((await redis.info('server')).includes('redis_version')).toBe(true);
    await redis.quit();
  });
});
