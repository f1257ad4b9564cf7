/**
 * The Sluice side of the kafka-e2e benchmark: a long-lived process with one Sluice session
 * (`--workers`, default 2) that runs the benchmark's pipeline on command, speaking the same
 * JSON-lines protocol as the Spark peer (spark_engine.py, which documents it).
 *
 *   node dist/benchmarks/kafka/sluice-engine.js [--workers 2]
 *
 * The pipeline (the same as the Spark side):
 *   readStream.format('kafka') subscribe input, startingOffsets earliest
 *   -> fromJson(value as string, TX_SCHEMA_DDL), all fields -> withWatermark(event_time, '11 minutes')
 *   -> groupBy(window(event_time, '1 minute'), partition).count()
 *   -> value = '{"w":<window start ms>,"p":<partition>,"n":<count>}'
 *   -> writeStream.format('kafka') topic output, outputMode update, processingTime trigger.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { QueryProgressEvent, StreamingQueryListener } from '../../engine/execution/query-listener.js';
import type { Column, DataFrame, StreamingQuery } from '../../index.js';
import * as api from '../../index.js';
import type { StartCommand } from './engine-process.js';
import { TX_SCHEMA_DDL } from './tx-json.js';

const { values: a } = parseArgs({ options: { workers: { type: 'string', default: '2' } }, strict: true });

/** The value's fields, in TX_SCHEMA_DDL order. */
const TX_FIELDS = ['card_id', 'merchant_id', 'amount', 'country', 'is_online', 'event_time'] as const;

/** `fromJson` comes with the Kafka source (issue 8); looked up at run time so this file builds before it lands. */
function fromJson(c: Column, ddl: string): Column {
  const fn = (api as unknown as { fromJson?: (c: Column, schema: string) => Column }).fromJson;
  if (fn === undefined) throw new Error('this Sluice build has no fromJson (the Kafka source of issue 8 is not merged yet).');
  return fn(c, ddl);
}

/** The benchmark's pipeline over the Kafka source `src` (key, value, topic, partition, ...). */
function pipeline(src: DataFrame): DataFrame {
  const { col, concat, count, lit, unixMillis, window } = api;
  const tx = col('tx');
  const parsed = src
    .select(fromJson(col('value').cast('string'), TX_SCHEMA_DDL).alias('tx'), col('partition'))
    .select(...TX_FIELDS.map((f) => tx.getField(f).alias(f)), col('partition'));
  const counts = parsed
    .withWatermark('event_time', '11 minutes')
    .groupBy(window(col('event_time'), '1 minute'), col('partition'))
    .agg(count().alias('n'));
  return counts.select(
    concat(
      lit('{"w":'),
      unixMillis(col('window').getField('start')).cast('string'),
      lit(',"p":'),
      col('partition').cast('string'),
      lit(',"n":'),
      col('n').cast('string'),
      lit('}'),
    ).alias('value'),
  );
}

/** Keeps `[inputRows, triggerExecution, addBatch]` of every batch of every query, by query name. */
class BatchLog implements StreamingQueryListener {
  readonly byQuery = new Map<string, [number, number, number][]>();
  onQueryProgress(event: QueryProgressEvent): void {
    const p = event.progress;
    const name = p.name ?? '';
    let list = this.byQuery.get(name);
    if (list === undefined) this.byQuery.set(name, (list = []));
    list.push([p.numInputRows, p.durationMs.triggerExecution, p.durationMs.addBatch]);
  }
}

const emit = (o: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

const sluice = await api.Sluice.builder().appName('kafka-e2e-sluice').workers(Number(a.workers)).getOrCreate();
const batches = new BatchLog();
sluice.streams.addListener(batches);
const queries = new Map<string, StreamingQuery>();
emit({ event: 'ready', workers: Number(a.workers) });

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const c = JSON.parse(line) as StartCommand | { cmd: 'stop' | 'exit'; id?: string };
  try {
    if (c.cmd === 'start') {
      let reader = sluice.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', c.bootstrap)
        .option('subscribe', c.input)
        .option('startingOffsets', 'earliest');
      if (c.maxOffsetsPerTrigger !== null) reader = reader.option('maxOffsetsPerTrigger', String(c.maxOffsetsPerTrigger));
      const q = await pipeline(await reader.load())
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', c.bootstrap)
        .option('topic', c.output)
        .option('checkpointLocation', c.checkpoint)
        .outputMode('update')
        .queryName(c.id)
        .trigger({ kind: 'processingTime', intervalMs: c.triggerMs })
        .start();
      queries.set(c.id, q);
      emit({ event: 'started', id: c.id });
    } else if (c.cmd === 'stop') {
      const q = queries.get(c.id ?? '');
      if (q === undefined) throw new Error(`no query '${c.id}'`);
      queries.delete(c.id ?? '');
      const error = q.exception?.message ?? null;
      await q.stop();
      emit({ event: 'stopped', id: c.id, batches: (batches.byQuery.get(c.id ?? '') ?? []).filter((b) => b[0] > 0 || b[2] > 0), error });
    } else break;
  } catch (e) {
    emit({ event: 'error', id: c.id, message: e instanceof Error ? e.message : String(e) });
  }
}
for (const q of queries.values()) await q.stop();
await sluice.stop();
process.exit(0);
