import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import { col, lit } from '../../dataframe/expr/functions.js';
import type { DataStreamWriter } from '../../dataframe/data-stream-writer.js';
import { Sluice } from '../../engine/session/sluice.js';
import { KafkaSink } from '../../sinks/kafka/kafka-sink.js';
import { MemoryStream } from '../../sources/memory/memory-stream.js';
import { createTopics, readTopic } from '../helpers/kafka-read.js';
import { kafkaBootstrap, uniqueName } from '../helpers/services.js';

let sluice: Sluice;
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-kafka-sink-'));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const schema = schemaOf([field('k', types.utf8), field('v', types.int64)]);

describe('kafka sink: columns and options', () => {
  it('writes key, value and partition of each row (at-least-once stream)', async () => {
    const topic = uniqueName('sink-cols');
    await createTopics(kafkaBootstrap(), [topic], 3);
    const input = new MemoryStream(schemaOf([field('k', types.utf8), field('v', types.int64), field('p', types.int32), field('h', types.utf8)]));
    const df = sluice.readStream
      .fromSource(input)
      .select(
        col('k').alias('key'),
        col('v').cast('string').cast('binary').alias('value'),
        col('p').alias('partition'),
        lit(null).cast('array<struct<key:string,value:binary>>').alias('headers'),
      );
    const q = await df.writeStream
      .format('kafka')
      .option('kafka.bootstrap.servers', kafkaBootstrap())
      .option('topic', topic)
      .option('checkpointLocation', tempDir())
      .start();
    input.addData([
      { k: 'a', v: 1n, p: 0, h: 'x' },
      { k: 'b', v: 2n, p: 2, h: 'y' },
      { k: null, v: 3n, p: 1, h: 'z' },
    ]);
    await q.processAllAvailable();
    input.addData([{ k: 'c', v: 4n, p: 2, h: 'w' }]);
    await q.processAllAvailable();
    await q.stop();
    const got = await readTopic(kafkaBootstrap(), topic, { atLeast: 4 });
    const rows = got.map((r) => [r.key, r.value, r.partition]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(rows).toEqual([
      ['a', '1', 0],
      ['b', '2', 2],
      [null, '3', 1],
      ['c', '4', 2],
    ]);
  }, 60_000);

  it('writes headers from an array<struct<key, value>> column and rows to the topic of their topic column', async () => {
    const t1 = uniqueName('sink-t1');
    const t2 = uniqueName('sink-t2');
    await createTopics(kafkaBootstrap(), [t1, t2]);
    const df = sluice.createDataFrame(
      [
        {
          topic: t1,
          value: 'one',
          headers: [
            { key: 'trace', value: 'abc' },
            { key: 'trace', value: 'def' },
          ],
        },
        { topic: t2, value: 'two', headers: [{ key: 'n', value: '2' }] },
        { topic: t1, value: 'three', headers: [] },
      ],
      'topic STRING, value STRING, headers ARRAY<STRUCT<key:STRING,value:STRING>>',
    );
    await df.write.format('kafka').option('kafka.bootstrap.servers', kafkaBootstrap()).save();
    const a = await readTopic(kafkaBootstrap(), t1, { atLeast: 2 });
    const b = await readTopic(kafkaBootstrap(), t2, { atLeast: 1 });
    expect(a.map((r) => [r.value, r.headers])).toEqual([
      ['one', { trace: ['abc', 'def'] }],
      ['three', {}],
    ]);
    expect(b.map((r) => [r.value, r.headers])).toEqual([['two', { n: '2' }]]);
  }, 60_000);

  it('the topic option overrides a topic column, as in Spark; exactlyOnce batch writes commit once', async () => {
    const topic = uniqueName('sink-override');
    await createTopics(kafkaBootstrap(), [topic]);
    const df = sluice.createDataFrame(
      [
        { topic: 'not-this-one', value: 'x' },
        { topic: null, value: 'y' },
      ],
      'topic STRING, value STRING',
    );
    await df.write.format('kafka').option('kafka.bootstrap.servers', kafkaBootstrap()).option('topic', topic).option('exactlyOnce', true).save();
    const got = await readTopic(kafkaBootstrap(), topic, { atLeast: 2 });
    expect(got.map((r) => r.value).sort()).toEqual(['x', 'y']);
  }, 60_000);

  it('refuses bad schemas and options at start(), naming the column or the closest option', async () => {
    const input = new MemoryStream(schema);
    const base = (): DataStreamWriter<'kafka'> =>
      sluice.readStream
        .fromSource(input)
        .select(col('k').alias('key'), col('v').alias('value'))
        .writeStream.format('kafka')
        .option('checkpointLocation', tempDir());
    await expect(base().option('kafka.bootstrap.servers', kafkaBootstrap()).option('topic', 't').start()).rejects.toThrow(
      /column 'value' must be string or binary, it is bigint/,
    );
    const noValue = sluice.readStream.fromSource(input).select(col('k').alias('key')).writeStream.format('kafka');
    await expect(
      noValue.option('kafka.bootstrap.servers', kafkaBootstrap()).option('topic', 't').option('checkpointLocation', tempDir()).start(),
    ).rejects.toThrow(/no 'value' column \(it has: key string\)/);
    const ok = (): ReturnType<typeof base> =>
      sluice.readStream.fromSource(input).select(col('k').alias('value')).writeStream.format('kafka').option('checkpointLocation', tempDir());
    await expect(ok().option('kafka.bootstrap.servers', kafkaBootstrap()).start()).rejects.toThrow(/no 'topic' column and no 'topic' option/);
    // @ts-expect-error the misspelt key is also a compile error; this checks the runtime refusal.
    await expect(ok().option('kafka.bootstrap.servers', kafkaBootstrap()).option('topik', 't').start()).rejects.toThrow(/Unknown option 'topik'.*'topic'/);
    await expect(ok().option('kafka.bootstrap.servers', kafkaBootstrap()).option('kafka.retries.backoff.ms', 5).option('topic', 't').start()).rejects.toThrow(
      /Unknown Kafka producer option 'kafka.retries.backoff.ms'.*'kafka.retry.backoff.ms'/,
    );
    await expect(ok().option('topic', 't').start()).rejects.toThrow(/needs option 'kafka.bootstrap.servers'/);
    await expect(ok().option('kafka.bootstrap.servers', kafkaBootstrap()).option('kafka.acks', 1).option('topic', 't').start()).rejects.toThrow(
      /kafka.acks=all/,
    );
    const p = sluice.readStream.fromSource(input).select(col('k').alias('value'), col('v').alias('partition')).writeStream.format('kafka');
    await expect(p.option('kafka.bootstrap.servers', kafkaBootstrap()).option('topic', 't').option('checkpointLocation', tempDir()).start()).rejects.toThrow(
      /column 'partition' must be int, it is bigint/,
    );
    const batch = sluice
      .createDataFrame([{ value: 'x' }], 'value STRING')
      .write.format('kafka')
      .option('kafka.bootstrap.servers', kafkaBootstrap())
      .option('topic', 't');
    await expect(batch.mode('overwrite').save()).rejects.toThrow(/Save mode 'overwrite' is not allowed for Kafka/);
  }, 60_000);
});

/** Writes a, b (batch 0) and c (batch 1), "crashes" before commits/1, restarts, writes d (batch 2); returns the committed records. */
async function crashBetweenKafkaCommitAndCommitLog(exactlyOnce: boolean): Promise<string[]> {
  const topic = uniqueName(exactlyOnce ? 'sink-eos-rerun' : 'sink-alo-rerun');
  await createTopics(kafkaBootstrap(), [topic]);
  const ckpt = tempDir();
  const input = new MemoryStream(schema);
  const start = () =>
    sluice.readStream
      .fromSource(input)
      .select(col('k').alias('key'), col('v').cast('string').alias('value'))
      .writeStream.format('kafka')
      .option('kafka.bootstrap.servers', kafkaBootstrap())
      .option('topic', topic)
      .option('exactlyOnce', exactlyOnce)
      .option('checkpointLocation', ckpt)
      .start();
  let q = await start();
  input.addData([
    { k: 'a', v: 1n },
    { k: 'b', v: 2n },
  ]);
  await q.processAllAvailable();
  input.addData([{ k: 'c', v: 3n }]);
  await q.processAllAvailable();
  await q.stop();
  // The crash: batch 1's records are in Kafka, its commit-log entry was never written.
  rmSync(join(ckpt, 'commits', '1'));
  q = await start();
  await q.processAllAvailable();
  expect(q.lastProgress?.batchId).toBe(1);
  input.addData([{ k: 'd', v: 4n }]);
  await q.processAllAvailable();
  await q.stop();
  return (await readTopic(kafkaBootstrap(), topic, { atLeast: 4 })).map((r) => `${r.key}=${r.value}`);
}

describe('kafka sink: a batch re-run after a crash between the Kafka commit and the commit log', () => {
  it('exactly-once: the re-run adds nothing', async () => {
    expect(await crashBetweenKafkaCommitAndCommitLog(true)).toEqual(['a=1', 'b=2', 'c=3', 'd=4']);
  }, 60_000);

  it('at-least-once (default, as Spark): the re-run writes its rows again, nothing is lost', async () => {
    expect(await crashBetweenKafkaCommitAndCommitLog(false)).toEqual(['a=1', 'b=2', 'c=3', 'c=3', 'd=4']);
  }, 60_000);
});

describe('kafka sink: fencing', () => {
  it('a second writer of the same query fences the first; the zombie fails clearly and writes nothing', async () => {
    const topic = uniqueName('sink-fence');
    await createTopics(kafkaBootstrap(), [topic]);
    const options = { 'kafka.bootstrap.servers': kafkaBootstrap(), topic, exactlyOnce: true };
    const df = (v: string) => sluice.createDataFrame([{ value: v }], 'value STRING');
    const queryId = uniqueName('query');
    const zombie = new KafkaSink(options);
    await zombie.open({ queryId, schema: df('x').schema });
    await zombie.addBatch(0, df('zombie-0'), 'append');
    const successor = new KafkaSink(options);
    await successor.open({ queryId, schema: df('x').schema });
    await successor.addBatch(0, df('successor-0'), 'append'); // marker says 0 is committed: skipped
    await successor.addBatch(1, df('successor-1'), 'append');
    await expect(zombie.addBatch(1, df('zombie-1'), 'append')).rejects.toThrow(/another run of this query took over transactional id 'sluice-.*-0'/);
    await zombie.stop();
    await successor.stop();
    const got = await readTopic(kafkaBootstrap(), topic, { atLeast: 2 });
    expect(got.map((r) => r.value)).toEqual(['zombie-0', 'successor-1']);
  }, 60_000);
});
