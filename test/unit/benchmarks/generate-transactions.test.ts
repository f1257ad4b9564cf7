import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTRIES, countryShares } from '../../../benchmarks/data/countries.js';
import type { TransactionColumns } from '../../../benchmarks/data/generate-transactions.js';
import { generateTransactions } from '../../../benchmarks/data/generate-transactions.js';
import { START_MS, transactionOptions } from '../../../benchmarks/data/transaction-options.js';
import { generateTransactionTable, transactionTable } from '../../../benchmarks/data/transaction-table.js';

const ROWS = 100_000;
let tx: TransactionColumns;

beforeAll(() => {
  tx = generateTransactions(transactionOptions({ rows: ROWS }));
});

describe('generateTransactions (100k rows, seed 42)', () => {
  it('gives each country a share close to 1/rank / H_40', () => {
    const counts = new Float64Array(COUNTRIES.length);
    for (let i = 0; i < ROWS; i++) {
      const k = tx.countryIdx[i] as number;
      counts[k] = (counts[k] as number) + 1;
    }
    const shares = countryShares();
    expect(shares[0]).toBeCloseTo(0.2337, 3);
    for (let k = 0; k < COUNTRIES.length; k++) expect(Math.abs((counts[k] as number) / ROWS - (shares[k] as number))).toBeLessThan(0.006);
  });

  it('orders rows by arrival, puts event time 0..30 s before it, and makes about 0.5 % late (30 s..10 min)', () => {
    let late = 0;
    let bad = 0;
    for (let i = 0; i < ROWS; i++) {
      const arrival = tx.arrivalMs[i] as number;
      if (i > 0 && arrival < (tx.arrivalMs[i - 1] as number)) bad++;
      const delay = arrival - (tx.eventTimeMs[i] as number);
      if (delay < 0 || delay > 600_001) bad++;
      if (delay > 30_001) late++;
    }
    expect(bad).toBe(0);
    expect(late).toBe(tx.stats.lateEvents);
    expect(late / ROWS).toBeGreaterThan(0.004);
    expect(late / ROWS).toBeLessThan(0.006);
    expect(tx.stats.outOfOrderRows / ROWS).toBeGreaterThan(0.45);
    expect(tx.stats.outOfOrderRows / ROWS).toBeLessThan(0.55);
  });

  it('starts at 2024-01-01 with about 200 arrivals per second', () => {
    expect(tx.arrivalMs[0]).toBeGreaterThan(START_MS);
    expect(tx.arrivalMs[0]).toBeLessThan(START_MS + 100);
    // Measured mid-stream: bursts seeded near the end arrive up to 100 s after the last base event.
    const spanSeconds = ((tx.arrivalMs[75_000] as number) - (tx.arrivalMs[25_000] as number)) / 1000;
    expect(50_000 / spanSeconds).toBeGreaterThan(194);
    expect(50_000 / spanSeconds).toBeLessThan(206);
  });

  it('draws lognormal amounts in cents with mean near 60 and about 15.7 % above 100', () => {
    let sum = 0;
    let above = 0;
    let bad = 0;
    for (let i = 0; i < ROWS; i++) {
      const a = tx.amount[i] as number;
      if (a < 0.01 || Math.abs(a * 100 - Math.round(a * 100)) > 1e-6) bad++;
      sum += a;
      if (a > 100) above++;
    }
    expect(bad).toBe(0);
    expect(sum / ROWS).toBeGreaterThan(57);
    expect(sum / ROWS).toBeLessThan(64);
    expect(above / ROWS).toBeGreaterThan(0.15);
    expect(above / ROWS).toBeLessThan(0.165);
  });

  it('makes 35 % of rows online', () => {
    let online = 0;
    for (let i = 0; i < ROWS; i++) online += tx.isOnline[i] as number;
    expect(online).toBe(tx.stats.fingerprint.nOnline);
    expect(online / ROWS).toBeGreaterThan(0.34);
    expect(online / ROWS).toBeLessThan(0.36);
  });

  it('skews cards (hottest card about 1.3 % of rows) and sends most purchases to home merchants', () => {
    const perCard = new Map<number, number>();
    let home = 0;
    for (let i = 0; i < ROWS; i++) {
      const c = tx.cardId[i] as number;
      perCard.set(c, (perCard.get(c) ?? 0) + 1);
      const m = tx.merchantIdx[i] as number;
      for (let pick = 1; pick <= 3; pick++) if ((c * 2654435761 + pick * 97531) % 50_000 === m) home++;
    }
    expect(perCard.size).toBe(tx.stats.distinctCards);
    const hottest = Math.max(...perCard.values()) / ROWS;
    expect(hottest).toBeGreaterThan(0.011);
    expect(hottest).toBeLessThan(0.016);
    expect(home / ROWS).toBeGreaterThan(0.59);
    expect(home / ROWS).toBeLessThan(0.62);
  });

  it('injects 0.1 % of rows as 5..8-purchase fraud bursts', () => {
    expect(tx.stats.fraudBursts).toBe(Math.round((ROWS * 0.001) / 6.5));
    expect(tx.stats.fraudBurstRows).toBeGreaterThanOrEqual(5 * tx.stats.fraudBursts);
    expect(tx.stats.fraudBurstRows).toBeLessThanOrEqual(8 * tx.stats.fraudBursts);
  });

  it('is deterministic per seed', () => {
    const a = generateTransactions(transactionOptions({ rows: 2000, seed: 9 }));
    const b = generateTransactions(transactionOptions({ rows: 2000, seed: 9 }));
    const c = generateTransactions(transactionOptions({ rows: 2000, seed: 10 }));
    expect(b.stats).toEqual(a.stats);
    expect(b.eventTimeMs).toEqual(a.eventTimeMs);
    expect(c.stats.fingerprint).not.toEqual(a.stats.fingerprint);
  });

  it('handles zero rows and rejects sizes too small for the bursts', () => {
    const empty = generateTransactions(transactionOptions({ rows: 0 }));
    expect(empty.rows).toBe(0);
    expect(transactionTable(empty).numRows).toBe(0);
    expect(() => generateTransactions(transactionOptions({ rows: 10, burstFrac: 1 }))).toThrow(/too few/);
    expect(() => transactionOptions({ rows: -1 })).toThrow(/non-negative/);
  });
});

describe('transactionTable', () => {
  it('builds the benchmark schema with the generated values', () => {
    const t = generateTransactionTable({ rows: 1000, seed: 3 });
    const cols = generateTransactions(transactionOptions({ rows: 1000, seed: 3 }));
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'event_time:Timestamp<MILLISECOND, UTC>',
      'card_id:Int64',
      'merchant_id:Utf8',
      'amount:Float64',
      'country:Utf8',
      'is_online:Bool',
    ]);
    const row = t.get(17)?.toJSON();
    expect(row?.event_time).toBe(cols.eventTimeMs[17]);
    expect(row?.card_id).toBe(BigInt(cols.cardId[17] as number));
    expect(row?.merchant_id).toBe(`m${cols.merchantIdx[17]}`);
    expect(row?.amount).toBe(cols.amount[17]);
    expect(row?.country).toBe(COUNTRIES[cols.countryIdx[17] as number]);
    expect(row?.is_online).toBe(cols.isOnline[17] === 1);
  });

  it('slices rows [begin, end)', () => {
    const cols = generateTransactions(transactionOptions({ rows: 1000, seed: 3 }));
    const t = transactionTable(cols, 990, 1000);
    expect(t.numRows).toBe(10);
    expect(t.get(0)?.toJSON().merchant_id).toBe(`m${cols.merchantIdx[990]}`);
  });
});
