import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame, Row } from '../../dataframe/data-frame.js';
import { col, fromJson } from '../../dataframe/expr/functions.js';
import { Sluice } from '../../index.js';
import { KafkaTestData } from '../helpers/kafka-test-data.js';
import { loggedSourceOffsets } from '../helpers/offset-log-files.js';
import { kafkaBootstrap, uniqueName } from '../helpers/services.js';
import { StreamTest } from '../helpers/stream-test.js';
import { ManualClock } from '../../scheduler/manual-clock.js';
import { KafkaSource } from '../../sources/kafka/kafka-source.js';

let sluice: Sluice;
let data: KafkaTestData;
beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  data = new KafkaTestData(kafkaBootstrap());
});
afterAll(async () => {
  await data.close();
  await sluice.stop();
});

function stream(topic: string, extra: Record<string, string | number | boolean> = {}): Promise<DataFrame> {
  return sluice.readStream
    .format('kafka')
    .option('kafka.bootstrap.servers', kafkaBootstrap())
    .option('subscribe', topic)
    .option('startingOffsets', 'earliest')
    .options(extra)
    .load();
}

const decoded = (df: DataFrame): DataFrame => df.select(col('value').cast('string').alias('v'), col('partition'), col('offset'));
const values = (rows: readonly Row[]): string[] => rows.map((r) => String(r.v)).sort();
/** Processes until `ok()` holds (metadata of new partitions reaches clients after a moment), at most ~15 s. */
async function processUntil(t: StreamTest, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 75 && !ok(); i++) {
    await t.processAllAvailable();
    if (!ok()) await new Promise((r) => setTimeout(r, 200));
  }
}
const seq = (prefix: string, from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${from + i}`);

describe('kafka source (real broker)', () => {
  it('reads every record once with Spark offsets in the offset log; maxOffsetsPerTrigger splits by backlog', async () => {
    const topic = uniqueName('ks-rate');
    await data.createTopic(topic, 3);
    await data.sendSeq(topic, 0, 'a', 0, 30);
    await data.sendSeq(topic, 1, 'b', 0, 10);
    await data.sendSeq(topic, 2, 'c', 0, 20);
    const t = new StreamTest(decoded(await stream(topic, { maxOffsetsPerTrigger: 12 })));
    await t.start();
    await t.processAllAvailable();
    const logged = loggedSourceOffsets(t.checkpointLocation);
    // 12 offsets split 30:10:20 -> 6, 2, 4 (Spark's proportional rate limit).
    expect(logged.get(0)).toEqual({ [topic]: { '0': 6, '1': 2, '2': 4 } });
    expect(logged.get(1)).toEqual({ [topic]: { '0': 12, '1': 4, '2': 8 } });
    expect((t.batches.get(0) ?? []).length).toBe(12);
    expect(values(t.answer())).toEqual([...seq('a', 0, 30), ...seq('b', 0, 10), ...seq('c', 0, 20)].sort());
    // Offsets in each batch are exactly the logged range.
    const b0 = t.batches.get(0) ?? [];
    expect(b0.filter((r) => r.partition === 1).map((r) => Number(r.offset))).toEqual([0, 1]);
    await data.sendSeq(topic, 1, 'b', 10, 3);
    await t.processAllAvailable();
    expect(values(t.lastBatch())).toEqual(seq('b', 10, 3));
    await t.stop();
    await t.cleanup();
  });

  it('startingOffsets latest, per-partition JSON (-2/-1) and startingTimestamp', async () => {
    const topic = uniqueName('ks-start');
    await data.createTopic(topic, 2);
    await data.send(topic, [
      { partition: 0, value: 'old0', timestamp: 1_000 },
      { partition: 0, value: 'mid0', timestamp: 5_000 },
      { partition: 1, value: 'old1', timestamp: 1_000 },
    ]);
    const latest = new StreamTest(decoded(await stream(topic, { startingOffsets: 'latest' })));
    await latest.start();
    await latest.processAllAvailable();
    await data.send(topic, [{ partition: 1, value: 'new1' }]);
    await latest.processAllAvailable();
    expect(values(latest.answer())).toEqual(['new1']);
    await latest.stop();
    await latest.cleanup();

    const json = new StreamTest(decoded(await stream(topic, { startingOffsets: JSON.stringify({ [topic]: { '0': 1, '1': -2 } }) })));
    await json.start();
    await json.processAllAvailable();
    expect(values(json.answer())).toEqual(['mid0', 'new1', 'old1']);
    await json.stop();
    await json.cleanup();

    const ts = new StreamTest(decoded(await stream(topic, { startingTimestamp: 4_000 })));
    await ts.start();
    await ts.processAllAvailable();
    // Partition 0 from its first record at or after 4000; partition 1 has only newer records ('new1' now).
    expect(values(ts.answer())).toEqual(['mid0', 'new1']);
    await ts.stop();
    await ts.cleanup();
  });

  it('a restart replays exactly the logged range of an uncommitted batch', async () => {
    const topic = uniqueName('ks-replay');
    await data.createTopic(topic, 2);
    await data.sendSeq(topic, 0, 'x', 0, 5);
    await data.sendSeq(topic, 1, 'y', 0, 4);
    const t = new StreamTest(decoded(await stream(topic)));
    await t.start();
    await t.processAllAvailable();
    await data.sendSeq(topic, 0, 'x', 5, 3);
    await t.processAllAvailable();
    const ids = [...t.batches.keys()].sort((a, b) => a - b);
    const last = ids[ids.length - 1] as number;
    const before = values(t.batches.get(last) ?? []);
    expect(before).toEqual(seq('x', 5, 3));
    await t.stop();
    // Crash before the commit of the last batch: its offsets stay logged, its commit is gone.
    rmSync(join(t.checkpointLocation, 'commits', String(last)));
    await data.sendSeq(topic, 0, 'x', 8, 2);
    t.batches.clear();
    await t.start();
    await t.processAllAvailable();
    expect(values(t.batches.get(last) ?? [])).toEqual(before);
    expect(values(t.answer())).toEqual([...before, ...seq('x', 8, 2)].sort());
    await t.stop();
    await t.cleanup();
  });

  it('picks up partitions added while running, from their earliest offset', async () => {
    const topic = uniqueName('ks-grow');
    await data.createTopic(topic, 1);
    await data.sendSeq(topic, 0, 'p0', 0, 2);
    const t = new StreamTest(decoded(await stream(topic)));
    await t.start();
    await t.processAllAvailable();
    await data.addPartitions(topic, 3);
    await data.sendSeq(topic, 2, 'p2', 0, 3);
    await data.sendSeq(topic, 1, 'p1', 0, 1);
    await processUntil(t, () => t.answer().length >= 6);
    expect(values(t.answer())).toEqual([...seq('p0', 0, 2), ...seq('p1', 0, 1), ...seq('p2', 0, 3)].sort());
    await t.stop();
    await t.cleanup();
  });

  it('deleted records fail the query naming topic, partition and offsets, or are skipped with failOnDataLoss=false', async () => {
    const topic = uniqueName('ks-loss');
    await data.createTopic(topic, 1);
    await data.sendSeq(topic, 0, 'd', 0, 5);
    for (const failOnDataLoss of [true, false]) {
      const t = new StreamTest(decoded(await stream(topic, { failOnDataLoss })));
      await t.start();
      await t.processAllAvailable();
      await t.stop();
      t.batches.clear();
      // Records 5..9 arrive while the query is down; 5..7 are deleted before it reads them.
      const base = failOnDataLoss ? 5 : 10;
      await data.sendSeq(topic, 0, 'd', base, 5);
      await data.deleteRecords(topic, 0, base + 3);
      const q = await t.start();
      if (failOnDataLoss) {
        await expect(t.processAllAvailable()).rejects.toThrow(new RegExp(`topic '${topic}', partition 0.*offsets 5 to 7`));
        expect(q.exception?.message).toMatch(/failOnDataLoss/);
      } else {
        await t.processAllAvailable();
        expect(values(t.answer())).toEqual(seq('d', 13, 2));
      }
      await t.stop();
      await t.cleanup();
    }
  });

  it('batch read with endingOffsets and includeHeaders; the stream reads the same rows as the batch', async () => {
    const topic = uniqueName('ks-batch');
    await data.createTopic(topic, 2);
    await data.send(topic, [
      { partition: 0, value: 'v0', key: 'k0', headers: { h: 'one' } },
      { partition: 0, value: null, key: 'k1' },
      { partition: 1, value: '{"a":1}', key: null, headers: { h: 'two', g: 'x' } },
      { partition: 1, value: 'v3' },
    ]);
    const read = () =>
      sluice.read.format('kafka').option('kafka.bootstrap.servers', kafkaBootstrap()).option('subscribe', topic).option('includeHeaders', true);
    const firstOnly = await read()
      .option('endingOffsets', JSON.stringify({ [topic]: { '0': 1, '1': -1 } }))
      .load();
    const rows = await firstOnly.select(col('value').cast('string').alias('v'), col('key').cast('string').alias('k'), col('headers')).toArray();
    expect(rows.map((r) => r.v).sort()).toEqual(['v0', 'v3', '{"a":1}']);
    const h = rows.find((r) => r.v === '{"a":1}')?.headers as { key: string; value: Uint8Array }[];
    expect(h.map((x) => [x.key, Buffer.from(x.value).toString()])).toEqual([
      ['h', 'two'],
      ['g', 'x'],
    ]);
    expect(rows.find((r) => r.v === '{"a":1}')?.k).toBeNull();

    const all = await read().load();
    expect(all.schema.fields.map((f) => f.name)).toEqual(['key', 'value', 'topic', 'partition', 'offset', 'timestamp', 'timestampType', 'headers']);
    const batchRows = await all.select(col('topic'), col('partition'), col('offset'), col('value').cast('string').alias('v'), col('timestampType')).toArray();
    expect(batchRows).toHaveLength(4);
    const t = new StreamTest(
      (await stream(topic, { includeHeaders: true })).select(
        col('topic'),
        col('partition'),
        col('offset'),
        col('value').cast('string').alias('v'),
        col('timestampType'),
      ),
    );
    await t.start();
    await t.processAllAvailable();
    const key = (r: Row): string => `${r.partition}/${r.offset}/${r.v}/${r.topic}/${r.timestampType}`;
    expect(t.answer().map(key).sort()).toEqual(batchRows.map(key).sort());
    await t.stop();
    await t.cleanup();
  });

  it('commits processed offsets to a consumer group after each batch when asked', async () => {
    const topic = uniqueName('ks-group');
    const group = uniqueName('ks-group-id');
    await data.createTopic(topic, 2);
    await data.sendSeq(topic, 0, 'g', 0, 4);
    await data.sendSeq(topic, 1, 'h', 0, 2);
    const t = new StreamTest(decoded(await stream(topic, { 'kafka.group.id': group, commitOffsetsToGroup: true })));
    await t.start();
    await t.processAllAvailable();
    const committed = await (await data.getAdmin()).fetchOffsets({ groupId: group, topics: [topic] });
    const parts = committed[0]?.partitions.map((p) => [p.partition, p.offset]).sort();
    expect(parts).toEqual([
      [0, '4'],
      [1, '2'],
    ]);
    await t.stop();
    await t.cleanup();
  });

  it('fromJson decodes values: malformed records are null and counted in progress, or FAILFAST names topic, partition and offset', async () => {
    const topic = uniqueName('ks-json');
    await data.createTopic(topic, 1);
    await data.send(topic, [
      { partition: 0, value: '{"id":1,"name":"a"}' },
      { partition: 0, value: '{"id":2' },
      { partition: 0, value: '{"id":3,"name":"c"}' },
      { partition: 0, value: 'nope' },
    ]);
    const parsed = (await stream(topic)).select(col('offset'), fromJson(col('value'), 'id INT, name STRING').alias('j'));
    const t = new StreamTest(parsed.select(col('offset'), col('j').getField('id').alias('id'), col('j').getField('name').alias('name')));
    const q = await t.start();
    await t.processAllAvailable();
    expect(t.answer().map((r) => [Number(r.offset), r.id, r.name])).toEqual([
      [0, 1, 'a'],
      [1, null, null],
      [2, 3, 'c'],
      [3, null, null],
    ]);
    expect(q.recentProgress.reduce((s, p) => s + (p.metrics?.malformedRecords ?? 0), 0)).toBe(2);
    await t.cleanup();

    const strict = new StreamTest(
      (await stream(topic)).select(col('topic'), col('partition'), col('offset'), fromJson(col('value'), 'id INT', { mode: 'FAILFAST' }).alias('j')),
    );
    await strict.start();
    await expect(strict.processAllAvailable()).rejects.toThrow(new RegExp(`topic '${topic}', partition 0, offset 1`));
    await strict.cleanup();
  });

  it('minOffsetsPerTrigger waits for enough offsets or maxTriggerDelay; subscribePattern finds new topics', async () => {
    const prefix = uniqueName('ks-pat');
    const first = `${prefix}-a`;
    await data.createTopic(first, 1);
    const clock = new ManualClock(1_000_000);
    const source = new KafkaSource(
      {
        'kafka.bootstrap.servers': kafkaBootstrap(),
        subscribePattern: `${prefix}-.*`,
        startingOffsets: 'earliest',
        minOffsetsPerTrigger: 5,
        maxTriggerDelay: '10s',
      },
      null,
      clock,
    );
    try {
      const start = await source.initialOffset();
      expect(start).toEqual({ [first]: { '0': 0 } });
      await data.sendSeq(first, 0, 'm', 0, 3);
      expect(await source.latestOffset(start, {})).toBe(start);
      clock.advance(10_001);
      const end = await source.latestOffset(start, {});
      expect(end).toEqual({ [first]: { '0': 3 } });
      const second = `${prefix}-b`;
      await data.createTopic(second, 1);
      await data.sendSeq(second, 0, 'n', 0, 5);
      expect(await source.latestOffset(end, {})).toEqual({ [first]: { '0': 3 }, [second]: { '0': 5 } });
    } finally {
      await source.stop();
    }
  });
});
