import { performance } from 'node:perf_hooks';
import type { Consumer } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import type { OutputRow } from './latency-attribution.js';

/**
 * A consumer of the pipeline's output topic that records every row with the instant it
 * became visible: the consumer's clock (epoch ms, sub-ms) when kafkajs handed it the
 * fetched batch. It joins its group before the query starts and reads from the beginning,
 * so it misses nothing; it runs in the runner's process, which does nothing else heavy
 * while a measurement runs.
 */
export class OutputWatcher {
  readonly rows: OutputRow[] = [];
  private consumer: Consumer | null = null;
  private bad = 0;

  constructor(
    private readonly bootstrap: string,
    private readonly topic: string,
  ) {}

  /** Joins the group and starts consuming; resolves once the consumer is running. */
  async start(): Promise<void> {
    const kafka = new Kafka({ clientId: 'kafka-e2e-watch', brokers: [this.bootstrap], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${this.topic}-watch`, maxWaitTimeInMs: 100, sessionTimeout: 30_000 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    let joined!: () => void;
    const ready = new Promise<void>((r) => {
      joined = r;
    });
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        const visibleMs = performance.timeOrigin + performance.now();
        for (const m of batch.messages) {
          const text = m.value?.toString('utf8') ?? '';
          try {
            const o = JSON.parse(text) as { w: number; p: number; n: number };
            this.rows.push({ w: Number(o.w), p: Number(o.p), n: Number(o.n), visibleMs });
          } catch {
            this.bad++;
          }
        }
      },
    });
    await ready;
  }

  /** Output values that were not the pipeline's JSON (0 when all is well). */
  get unparsed(): number {
    return this.bad;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
