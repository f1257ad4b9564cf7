import { parseArgs } from 'node:util';
import type { EachBatchPayload } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { count, max } from '../../dataframe/expr/functions.js';
import { Sluice } from '../../engine/session/sluice.js';
import { appendStreamRecord } from '../stream/stream-record.js';
import { benchBroker } from './kafka-bench-broker.js';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

/** Fills `topic` with `rows` JSON records of ~100 bytes spread over its partitions; returns the seconds taken. */
async function fill(kafka: Kafka, topic: string, partitions: number, rows: number): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const t0 = performance.now();
  const chunk = 5000;
  const inFlight: Promise<unknown>[] = [];
  for (let from = 0; from < rows; from += chunk) {
    const messages = [];
    for (let i = from; i < Math.min(rows, from + chunk); i++)
      messages.push({
        partition: i % partitions,
        key: `card-${i % 9973}`,
        value: `{"id":${i},"card":"card-${i % 9973}","amount":${(i % 1000) / 10},"merchant":"m-${i % 317}","ok":true}`,
      });
    inFlight.push(producer.send({ topic, acks: 1, messages }));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await producer.disconnect();
  return (performance.now() - t0) / 1000;
}

/** The peer: kafkajs's own consumer reading the topic into message objects (one thread). Seconds from run() to the last record, and from the group join to it. */
async function kafkajsConsume(kafka: Kafka, topic: string, rows: number): Promise<{ total: number; fromJoin: number }> {
  const consumer = kafka.consumer({ groupId: `bench-${topic}-${Date.now()}`, maxBytes: 52_428_800, maxBytesPerPartition: 8_388_608 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let joined = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = performance.now();
  });
  const kept: unknown[] = [];
  const t0 = performance.now();
  const done = new Promise<void>((resolveDone) => {
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }: EachBatchPayload) => {
        // Into JS objects, as an application would hold them.
        for (const m of batch.messages) kept.push({ key: m.key, value: m.value, offset: m.offset, timestamp: m.timestamp, partition: batch.partition });
        seen += batch.messages.length;
        if (kept.length > 100_000) kept.length = 0;
        if (seen >= rows) resolveDone();
      },
    });
  });
  await done;
  const end = performance.now();
  await consumer.disconnect();
  return { total: (end - t0) / 1000, fromJoin: (end - (joined || t0)) / 1000 };
}

/**
 * `npm run bench -- kafka-source [--rows 500000] [--partitions 4] [--runs 3] [--workers 2] [--bootstrap host:port]`:
 * Kafka source decode throughput. Fills a topic, then reads it whole with
 * `read.format('kafka')` (every partition's range fetched and decoded into columns by the
 * workers, aggregated there to count/max) and with kafkajs's plain consumer reading into
 * JS objects, in the same run against the same broker. One JSON line.
 */
export async function runKafkaSourceBench(argv: readonly string[], commit: string | null): Promise<number> {
  const { values: a } = parseArgs({
    args: [...argv],
    options: {
      rows: { type: 'string', default: '500000' },
      partitions: { type: 'string', default: '4' },
      runs: { type: 'string', default: '3' },
      workers: { type: 'string', default: '2' },
      bootstrap: { type: 'string' },
      'results-dir': { type: 'string', default: 'benchmarks/results' },
    },
    strict: true,
  });
  const rows = Number(a.rows);
  const partitions = Number(a.partitions);
  const runs = Number(a.runs);
  const workers = Number(a.workers);
  const broker = await benchBroker(a.bootstrap);
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'sluice-bench' });
  const sluice = await Sluice.builder().workers(workers).getOrCreate();
  try {
    const topic = `bench-source-${Date.now()}`;
    const fillSeconds = await fill(kafka, topic, partitions, rows);
    process.stderr.write(`filled ${rows} records in ${fillSeconds.toFixed(1)} s\n`);
    const sluiceTimes: number[] = [];
    let counted = 0;
    for (let r = 0; r <= runs; r++) {
      const t0 = performance.now();
      const df = await sluice.read.format('kafka').option('kafka.bootstrap.servers', broker.bootstrap).option('subscribe', topic).load();
      const out = await df.agg(count('*').alias('n'), max('offset').alias('m')).toArray();
      const s = (performance.now() - t0) / 1000;
      counted = Number(out[0]?.n);
      if (r > 0) sluiceTimes.push(s);
    }
    const peer: { total: number; fromJoin: number }[] = [];
    for (let r = 0; r < runs; r++) peer.push(await kafkajsConsume(kafka, topic, rows));
    const sluiceSeconds = median(sluiceTimes);
    const peerSeconds = median(peer.map((p) => p.total));
    const record = {
      workload: 'kafka-source',
      rows,
      partitions,
      resultsMatch: counted === rows,
      sluiceSeconds: round(sluiceSeconds, 4),
      rowsPerSecond: Math.round(rows / sluiceSeconds),
      rowsPerSecondPerCore: Math.round(rows / sluiceSeconds / workers),
      peer: 'kafkajs-consumer',
      peerSeconds: round(peerSeconds, 4),
      peerSecondsAfterJoin: round(median(peer.map((p) => p.fromJoin)), 4),
      ratioAfterJoin: round(median(peer.map((p) => p.fromJoin)) / sluiceSeconds),
      peerRowsPerSecond: Math.round(rows / peerSeconds),
      ratio: round(peerSeconds / sluiceSeconds),
      ratioPerCore: round(peerSeconds / sluiceSeconds / workers),
      sluiceRunsSeconds: sluiceTimes.map((x) => round(x, 4)),
      peerRunsSeconds: peer.map((p) => round(p.total, 4)),
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
      workers,
      commit,
      timestamp: new Date().toISOString(),
    };
    process.stdout.write(`${JSON.stringify(record)}\n`);
    await appendStreamRecord(a['results-dir'] as string, record);
    return record.resultsMatch ? 0 : 1;
  } finally {
    await sluice.stop();
    await broker.close();
  }
}
