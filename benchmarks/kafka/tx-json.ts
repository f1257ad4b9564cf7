import { COUNTRIES } from '../data/countries.js';
import { generateTransactions } from '../data/generate-transactions.js';
import { transactionOptions } from '../data/transaction-options.js';

/** Length of a tumbling window of the kafka-e2e pipeline, ms. */
export const WINDOW_MS = 60_000;

/**
 * A pool of transactions from the seeded generator (benchmarks/data), kept as JSON text
 * without the event time: a live record takes pool row `i % size`, and its event time is
 * its produce time minus the row's generated arrival delay (so the stream keeps the model's
 * out-of-order and late rows: Exp(3 s) capped at 30 s, 0.5 % late by up to 10 min).
 */
export class TransactionPool {
  /** `{"card_id":..,"merchant_id":"m..","amount":..,"country":"..","is_online":..,"event_time":"` per pool row. */
  private readonly heads: string[];
  /** Arrival delay of each pool row (arrival - event time), ms. */
  readonly delayMs: Float64Array;

  constructor(
    readonly size: number,
    seed: number,
  ) {
    const t = generateTransactions(transactionOptions({ rows: size, seed }));
    this.heads = new Array<string>(size);
    this.delayMs = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const online = t.isOnline[i] === 1 ? 'true' : 'false';
      this.heads[i] =
        `{"card_id":${t.cardId[i]},"merchant_id":"m${t.merchantIdx[i]}","amount":${t.amount[i]},` +
        `"country":"${COUNTRIES[t.countryIdx[i] as number]}","is_online":${online},"event_time":"`;
      this.delayMs[i] = Math.max(0, Math.round((t.arrivalMs[i] as number) - (t.eventTimeMs[i] as number)));
    }
  }

  /** Event time (epoch ms) of record number `k` produced at `produceMs`. */
  eventTimeMs(k: number, produceMs: number): number {
    return produceMs - (this.delayMs[k % this.size] as number);
  }

  /** Every pool row as `delayMs<TAB>head`, in order. */
  lines(): string[] {
    return this.heads.map((h, i) => `${this.delayMs[i]}\t${h}`);
  }

  /** The JSON value of record number `k` with event time `eventMs` (ISO-8601 UTC with ms). */
  json(k: number, eventMs: number): string {
    return `${this.heads[k % this.size]}${new Date(eventMs).toISOString()}"}`;
  }
}

/** The value schema as a Spark DDL string (also what the Sluice side passes to fromJson). */
export const TX_SCHEMA_DDL = 'card_id BIGINT, merchant_id STRING, amount DOUBLE, country STRING, is_online BOOLEAN, event_time TIMESTAMP';

/** Writes pool rows as `delayMs<TAB>head` lines, the input of the Java load generator (LoadGenerator.java). */
export function poolFileText(pool: TransactionPool): string {
  return pool.lines().join('\n');
}
