import { Kafka, type Message, type Producer, Partitioners, type Transaction } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { ColumnarBatch } from '../../common/column-vector.js';
import type { ScanOptions } from '../../common/connector-options.js';
import { invalidArgument, SluiceError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import type { OutputMode, Sink, SinkRunInfo } from '../sink.js';
import { batchToMessages } from './kafka-messages.js';
import type { KafkaSinkColumns } from './kafka-sink-schema.js';
import { kafkaSinkColumns } from './kafka-sink-schema.js';
import type { KafkaSinkOptions } from './kafka-sink-options.js';
import { kafkaSinkOptions } from './kafka-sink-options.js';
import { markerOffsets, readBatchMarker } from './kafka-batch-marker.js';
import { isFenced, isTransient } from './kafka-errors.js';

/**
 * Messages per produce call. kafkajs groups a call's messages by partition in time quadratic
 * in their number (it copies the partition's list per message): 10k-message calls spent ~27 %
 * of the CPU there, 2k-message calls ~20 % with no loss in throughput.
 */
const CHUNK = 2_000;

/**
 * The Kafka sink (`writeStream.format('kafka')`): each row becomes a record (columns key,
 * value, topic, partition, headers; see {@link kafkaSinkColumns}). Output modes append,
 * update and complete (complete re-sends the whole result each batch, as in Spark).
 *
 * **At-least-once (default, as Spark).** An idempotent producer (acks=all, one request in
 * flight) writes the batch and `addBatch` returns once every record is acknowledged. The
 * producer's sequence numbers stop duplicates from its own retries; but when the query
 * dies after the records were written and before the engine's commit log has the batch,
 * the restart re-runs the batch and writes its records again.
 *
 * **Exactly-once (`exactlyOnce: true`).** The sink has one writer ("sink partition 0", the
 * driver), with transactional id `<transactionalIdPrefix>-<queryId>-0`, stable across
 * restarts of the same checkpoint. Batch N is written in one Kafka transaction that also
 * commits, to the consumer group `<transactionalIdPrefix>-sink-<queryId>`, the offset N+1
 * on partition 0 of the marker topic (`markerTopic`, default the `topic` option): the
 * marker commits atomically with the records, so "the marker is at N" means exactly
 * "batch N's records are committed". Argument:
 * 1. Fencing first. The first `addBatch` of a run initialises the transactional producer
 *    before anything else; the broker then bumps the producer epoch, aborts a transaction
 *    a killed run left open (its records are never visible to read_committed readers) or
 *    finishes one that was already committing, and rejects any later write of an older
 *    instance (INVALID_PRODUCER_EPOCH). So when the marker is read, no other writer of
 *    this query can change it.
 * 2. Marker check. The engine re-runs only its newest logged batch N, after committing
 *    every earlier one, and starts N+1 only after N is in its commit log. So the marker is
 *    never ahead of N, and it is N exactly when N's transaction committed before the crash
 *    (between the Kafka commit and the engine's commit log): then `addBatch(N)` writes
 *    nothing. Otherwise N's earlier attempt was aborted and N is written now, once.
 * 3. Any failure aborts the transaction and fails the batch; a commit whose outcome is
 *    unknown (the connection broke during EndTxn) is settled by steps 1-2 on the restart.
 * Readers must use isolation level read_committed (Spark's and kafkajs's consumers
 * default to it; the Java client defaults to read_uncommitted). An empty batch writes no
 * transaction. Limits: one writer per query (rows are not produced in parallel), and a
 * batch must fit in `kafka.transaction.timeout.ms` (default 60 s).
 */
export class KafkaSink implements Sink {
  readonly description: string;
  /** Output modes this sink accepts. */
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  private readonly opts: KafkaSinkOptions;
  private readonly kafka: Kafka;
  private queryId: string | null = null;
  private columns: KafkaSinkColumns | null = null;
  private schema: Schema | null = null;
  private producer: Producer | null = null;
  /** The newest batch id known written (from this run, or the marker), -1 when none; null when unknown. */
  private lastWritten: number | null = null;

  /** @param options - the writer options (see {@link kafkaSinkOptions}) */
  constructor(options: ScanOptions) {
    this.opts = kafkaSinkOptions(options);
    if (this.opts.exactlyOnce && this.opts.markerTopic === null)
      throw invalidArgument(
        "The kafka sink's exactlyOnce mode needs a topic for its batch marker: set .option('topic', ...) or, when rows carry their own topic, .option('markerTopic', <one of the output topics>).",
      );
    this.kafka = new Kafka(this.opts.client);
    this.description = `KafkaSink[${this.opts.topic ?? 'topic column'}${this.opts.exactlyOnce ? ', exactly-once' : ''}]`;
  }

  /** Validates the result schema and learns the query id (the transactional id derives from it). */
  async open(run: Pick<SinkRunInfo, 'queryId' | 'schema'>): Promise<void> {
    this.queryId = run.queryId;
    this.columnsFor(run.schema);
  }

  /** The transactional id of this query's writer (exactly-once mode). */
  get transactionalId(): string {
    return `${this.opts.transactionalIdPrefix}-${this.requireQueryId()}-0`;
  }

  /** The consumer group whose committed offset marks the newest written batch (exactly-once mode). */
  get markerGroupId(): string {
    return `${this.opts.transactionalIdPrefix}-sink-${this.requireQueryId()}`;
  }

  /**
   * Writes batch `batchId` (see the class comment). When the broker is unreachable or
   * restarting, kafkajs's own retries run first; if they give up, the sink drops its
   * producer and tries the whole batch again (fencing and the marker check included, so
   * exactly-once holds) until `kafka.delivery.timeout.ms` passed since the batch began;
   * then the batch fails with an error saying how to resume.
   */
  async addBatch(batchId: number, data: DataFrame, _mode: OutputMode): Promise<void> {
    if (this.lastWritten !== null && batchId <= this.lastWritten) return;
    const columns = this.columnsFor(data.schema);
    const began = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        if (this.opts.exactlyOnce) await this.writeTransaction(batchId, data, columns);
        else {
          const producer = await this.connect();
          await this.produce(data.batches(), columns, (topicMessages) =>
            producer.sendBatch({ topicMessages, acks: this.opts.acks, compression: this.opts.compression }),
          );
          this.lastWritten = batchId;
        }
        return;
      } catch (e) {
        await this.reset();
        if (!isTransient(e) || Date.now() - began >= this.opts.deliveryTimeoutMs) throw this.wrap(batchId, e, attempt);
        await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2000)));
      }
    }
  }

  /**
   * The batch write (`df.write.format('kafka').save()`): sends every row once through an
   * idempotent producer, or with `exactlyOnce` in one transaction (a random transactional
   * id: readers see all rows or, if the write fails, none). Returns the rows written.
   */
  async writeAll(batches: AsyncIterable<ColumnarBatch>, schema: Schema): Promise<number> {
    const columns = this.columnsFor(schema);
    const transactionalId = this.opts.exactlyOnce ? { transactionalId: `${this.opts.transactionalIdPrefix}-batch-${randomUUID()}` } : {};
    const producer = this.kafka.producer({ ...this.opts.producer, ...transactionalId, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      if (!this.opts.exactlyOnce)
        return await this.produce(batches, columns, (topicMessages) =>
          producer.sendBatch({ topicMessages, acks: this.opts.acks, compression: this.opts.compression }),
        );
      const tx = await producer.transaction();
      try {
        const rows = await this.produce(batches, columns, (topicMessages) => tx.sendBatch({ topicMessages, acks: -1, compression: this.opts.compression }));
        await tx.commit();
        return rows;
      } catch (e) {
        await tx.abort().catch(() => undefined);
        throw e;
      }
    } catch (e) {
      throw this.wrap(null, e);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    await this.reset();
  }

  private async writeTransaction(batchId: number, data: DataFrame, columns: KafkaSinkColumns): Promise<void> {
    const producer = await this.connect();
    // The first transaction() of a producer initialises it: this fences older instances (step 1).
    const tx: Transaction = await producer.transaction();
    try {
      if (this.lastWritten === null)
        this.lastWritten = await readBatchMarker(this.kafka, this.markerGroupId, this.opts.markerTopic as string, this.opts.producer.retry);
      if (batchId <= this.lastWritten) {
        await tx.abort();
        return;
      }
      const rows = await this.produce(data.batches(), columns, (topicMessages) =>
        tx.sendBatch({ topicMessages, acks: -1, compression: this.opts.compression }),
      );
      if (rows === 0) {
        await tx.abort();
        return;
      }
      await tx.sendOffsets(markerOffsets(this.markerGroupId, this.opts.markerTopic as string, this.requireQueryId(), batchId));
      await tx.commit();
      this.lastWritten = batchId;
    } catch (e) {
      await tx.abort().catch(() => undefined);
      throw e;
    }
  }

  /**
   * Sends the batch's rows through `send` in chunks of at most {@link CHUNK} messages and
   * about 80 % of `kafka.max.request.size` bytes (a request over the broker's limit is
   * refused whole); returns the row count.
   */
  private async produce(
    batches: AsyncIterable<ColumnarBatch>,
    columns: KafkaSinkColumns,
    send: (topicMessages: { topic: string; messages: Message[] }[]) => Promise<unknown>,
  ): Promise<number> {
    const budget = Math.floor(this.opts.maxRequestBytes * 0.8);
    let pending = new Map<string, Message[]>();
    let pendingRows = 0;
    let pendingBytes = 0;
    let rows = 0;
    const flush = async (): Promise<void> => {
      if (pendingRows === 0) return;
      await send([...pending].map(([topic, messages]) => ({ topic, messages })));
      pending = new Map();
      pendingRows = 0;
      pendingBytes = 0;
    };
    for await (const b of batches) {
      for (let at = 0; at < b.numRows; ) {
        const r = batchToMessages(b, columns, this.opts.topic, pending, at, Math.min(budget - pendingBytes, CHUNK * 1024));
        pendingRows += r.next - at;
        rows += r.next - at;
        pendingBytes += r.bytes;
        at = r.next;
        if (pendingBytes >= budget || pendingRows >= CHUNK) await flush();
      }
    }
    await flush();
    return rows;
  }

  private columnsFor(schema: Schema): KafkaSinkColumns {
    if (this.columns === null || this.schema !== schema) {
      this.columns = kafkaSinkColumns(schema, this.opts.topic);
      this.schema = schema;
    }
    return this.columns;
  }

  private async connect(): Promise<Producer> {
    if (this.producer !== null) return this.producer;
    const transactional = this.opts.exactlyOnce ? { transactionalId: this.transactionalId } : {};
    const producer = this.kafka.producer({ ...this.opts.producer, ...transactional, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  /** Drops the producer and what this run knew of the marker: the next batch starts from fencing again. */
  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    if (this.opts.exactlyOnce) this.lastWritten = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private requireQueryId(): string {
    if (this.queryId === null) throw new SluiceError('INTERNAL', 'The kafka sink was used before its query started (no query id).');
    return this.queryId;
  }

  private wrap(batchId: number | null, e: unknown, attempts = 1): SluiceError {
    const what = batchId === null ? 'the rows' : `batch ${batchId}`;
    if (e instanceof SluiceError) return e;
    const err = e as { message?: string };
    const brokers = this.opts.client.brokers as string[];
    if (isFenced(e) && this.queryId !== null)
      return new SluiceError(
        'QUERY_FAILED',
        `Kafka sink: another run of this query took over transactional id '${this.transactionalId}' while ${what} was written; this run stops and its transaction is aborted. Run one instance of a query per checkpoint.`,
        { domain: 'external', cause: e },
      );
    return new SluiceError(
      'QUERY_FAILED',
      `Kafka sink could not write ${what} to ${brokers.join(',')}${attempts > 1 ? ` (${attempts} attempts in ${this.opts.deliveryTimeoutMs} ms)` : ''}: ${err.message ?? String(e)}. ` +
        (batchId === null
          ? 'Nothing of a failed exactlyOnce write is visible to read_committed readers; without exactlyOnce some rows may have been written.'
          : this.opts.exactlyOnce
            ? 'Its transaction was aborted; restart the query on the same checkpoint and the batch is written once.'
            : 'Restart the query on the same checkpoint; the batch is written again (at-least-once).'),
      { domain: 'external', retryable: true, cause: e },
    );
  }
}
