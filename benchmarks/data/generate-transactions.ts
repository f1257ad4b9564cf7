import { invalidArgument } from '../../common/errors.js';
import { countryShares } from './countries.js';
import { DiscreteSampler } from './discrete-sampler.js';
import { SeededRandom } from './seeded-random.js';
import type { TransactionOptions } from './transaction-options.js';
import { START_MS } from './transaction-options.js';

/** Column sums and counts that identify a generated dataset (written to `_manifest.json`). */
export interface TransactionFingerprint {
  readonly sumCardId: number;
  readonly sumEventOffsetMs: number;
  readonly sumAmount: number;
  readonly sumMerchantIdx: number;
  readonly sumCountryIdx: number;
  readonly nOnline: number;
}

/** What the generator did: counts of the modelled effects plus the fingerprint. */
export interface TransactionStats {
  readonly lateEvents: number;
  readonly fraudBursts: number;
  readonly fraudBurstRows: number;
  readonly outOfOrderRows: number;
  readonly distinctCards: number;
  readonly fingerprint: TransactionFingerprint;
}

/**
 * Generated transactions as plain typed arrays, rows in arrival order. Event times are
 * integral epoch milliseconds held in doubles (exact below 2^53); merchants and countries
 * are indices (`m{merchantIdx}`, `COUNTRIES[countryIdx]`); `isOnline` is 0/1 per row.
 */
export interface TransactionColumns {
  readonly rows: number;
  /** Arrival time in (fractional) epoch ms: non-decreasing; the rows' order. */
  readonly arrivalMs: Float64Array;
  readonly eventTimeMs: Float64Array;
  readonly cardId: Int32Array;
  readonly merchantIdx: Int32Array;
  readonly amount: Float64Array;
  readonly countryIdx: Uint8Array;
  readonly isOnline: Uint8Array;
  readonly stats: TransactionStats;
}

/** Base (non-burst) events in arrival order, before merging in the bursts. */
interface BaseEvents {
  arrival: Float64Array;
  card: Int32Array;
  merchant: Int32Array;
  amount: Float64Array;
}

/**
 * Generates the card-transaction stream of the peer benchmarks (same model as
 * gen_transactions.py, not the same bytes): Poisson arrivals at `rate`/s from 2024-01-01,
 * event time = arrival - min(Exp(jitterMeanMs), jitterMaxMs) or, for `lateFrac` of the rows,
 * arrival - U(jitterMaxMs, lateMaxMs); Zipf-skewed cards mapped through a seeded permutation;
 * 3 home merchants per card taking `homeFrac` of its purchases; lognormal(3.5, 1.1) amounts
 * in cents; 40 countries with P proportional to 1/rank; 35 % online; plus fraud bursts (a
 * random card buying 5..8 times at random merchants within 100 s) making `burstFrac` of rows.
 */
export function generateTransactions(o: TransactionOptions): TransactionColumns {
  const n = o.rows;
  const rng = new SeededRandom(o.seed);
  const nBursts = Math.round((n * o.burstFrac) / 6.5);
  const burstSizes = new Int32Array(nBursts);
  let nExtra = 0;
  for (let b = 0; b < nBursts; b++) nExtra += burstSizes[b] = 5 + rng.intBelow(4);
  const nBase = n - nExtra;
  if (nBase <= 0 && n > 0) throw invalidArgument(`${n} rows are too few for burstFrac ${o.burstFrac}; generate more rows or lower burstFrac.`);

  const base = generateBaseEvents(rng, o, nBase);
  const burstRows = generateBursts(rng, o, base.arrival, burstSizes, nExtra);
  const out = mergeByArrival(base, burstRows, n);

  const eventTimeMs = new Float64Array(n);
  let lateEvents = 0;
  for (let i = 0; i < n; i++) {
    let delay = Math.min(rng.exponential(o.jitterMeanMs), o.jitterMaxMs);
    if (rng.nextDouble() < o.lateFrac) {
      delay = rng.uniform(o.jitterMaxMs, o.lateMaxMs);
      lateEvents++;
    }
    eventTimeMs[i] = Math.floor((out.arrival[i] as number) - delay);
  }
  const countries = new DiscreteSampler(countryShares());
  const countryIdx = new Uint8Array(n);
  const isOnline = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    countryIdx[i] = countries.sample(rng.nextDouble());
    isOnline[i] = rng.nextDouble() < 0.35 ? 1 : 0;
  }
  const cols = { rows: n, arrivalMs: out.arrival, eventTimeMs, cardId: out.card, merchantIdx: out.merchant, amount: out.amount, countryIdx, isOnline };
  return { ...cols, stats: computeStats(cols, o, lateEvents, nBursts, nExtra) };
}

function generateBaseEvents(rng: SeededRandom, o: TransactionOptions, nBase: number): BaseEvents {
  const arrival = new Float64Array(nBase);
  const meanGap = 1000 / o.rate;
  let t = START_MS;
  for (let i = 0; i < nBase; i++) arrival[i] = t += rng.exponential(meanGap);
  const zipf = DiscreteSampler.zipf(o.cards, o.zipfS);
  const perm = rng.permutation(o.cards);
  const card = new Int32Array(nBase);
  const merchant = new Int32Array(nBase);
  const amount = new Float64Array(nBase);
  for (let i = 0; i < nBase; i++) {
    const c = perm[zipf.sample(rng.nextDouble())] as number;
    card[i] = c;
    const homePick = rng.intBelow(3);
    const uniform = rng.intBelow(o.merchants);
    merchant[i] = rng.nextDouble() < o.homeFrac ? (c * 2654435761 + (homePick + 1) * 97531) % o.merchants : uniform;
    amount[i] = rng.lognormal(3.5, 1.1);
  }
  return { arrival, card, merchant, amount };
}

/** Burst rows sorted by arrival (stable). */
function generateBursts(rng: SeededRandom, o: TransactionOptions, baseArrival: Float64Array, sizes: Int32Array, nExtra: number): BaseEvents {
  const seeds = distinctSortedPositions(rng, baseArrival.length, sizes.length);
  const arrival = new Float64Array(nExtra);
  const card = new Int32Array(nExtra);
  const merchant = new Int32Array(nExtra);
  const amount = new Float64Array(nExtra);
  let k = 0;
  for (let b = 0; b < sizes.length; b++) {
    const start = baseArrival[seeds[b] as number] as number;
    const c = rng.intBelow(o.cards);
    for (let j = 0; j < (sizes[b] as number); j++, k++) {
      arrival[k] = start + rng.uniform(0, 100_000);
      card[k] = c;
      merchant[k] = rng.intBelow(o.merchants);
      amount[k] = rng.lognormal(2.5, 1.0);
    }
  }
  const order = Array.from({ length: nExtra }, (_, i) => i).sort((a, b) => (arrival[a] as number) - (arrival[b] as number));
  const pick = <T extends Float64Array | Int32Array>(src: T, dst: T): T => {
    order.forEach((from, to) => {
      dst[to] = src[from] as number;
    });
    return dst;
  };
  return {
    arrival: pick(arrival, new Float64Array(nExtra)),
    card: pick(card, new Int32Array(nExtra)),
    merchant: pick(merchant, new Int32Array(nExtra)),
    amount: pick(amount, new Float64Array(nExtra)),
  };
}

function distinctSortedPositions(rng: SeededRandom, n: number, k: number): Int32Array {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rng.intBelow(n));
  return Int32Array.from(chosen).sort();
}

/** Merges two arrival-sorted event sets (base first on ties) and rounds amounts to cents (at least 0.01). */
function mergeByArrival(a: BaseEvents, b: BaseEvents, n: number): BaseEvents {
  const out: BaseEvents = { arrival: new Float64Array(n), card: new Int32Array(n), merchant: new Int32Array(n), amount: new Float64Array(n) };
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const fromA = j >= b.arrival.length || (i < a.arrival.length && (a.arrival[i] as number) <= (b.arrival[j] as number));
    const src = fromA ? a : b;
    const r = fromA ? i++ : j++;
    out.arrival[k] = src.arrival[r] as number;
    out.card[k] = src.card[r] as number;
    out.merchant[k] = src.merchant[r] as number;
    out.amount[k] = Math.max(Math.round((src.amount[r] as number) * 100) / 100, 0.01);
  }
  return out;
}

function computeStats(
  c: Omit<TransactionColumns, 'stats'>,
  o: TransactionOptions,
  lateEvents: number,
  fraudBursts: number,
  fraudBurstRows: number,
): TransactionStats {
  const seen = new Uint8Array(o.cards);
  let distinctCards = 0;
  let outOfOrderRows = 0;
  let sumCardId = 0;
  let sumEventOffsetMs = 0;
  let sumAmount = 0;
  let sumMerchantIdx = 0;
  let sumCountryIdx = 0;
  let nOnline = 0;
  for (let i = 0; i < c.rows; i++) {
    const card = c.cardId[i] as number;
    if (seen[card] === 0) {
      seen[card] = 1;
      distinctCards++;
    }
    if (i > 0 && (c.eventTimeMs[i] as number) < (c.eventTimeMs[i - 1] as number)) outOfOrderRows++;
    sumCardId += card;
    sumEventOffsetMs += (c.eventTimeMs[i] as number) - START_MS;
    sumAmount += c.amount[i] as number;
    sumMerchantIdx += c.merchantIdx[i] as number;
    sumCountryIdx += c.countryIdx[i] as number;
    nOnline += c.isOnline[i] as number;
  }
  return {
    lateEvents,
    fraudBursts,
    fraudBurstRows,
    outOfOrderRows,
    distinctCards,
    fingerprint: { sumCardId, sumEventOffsetMs, sumAmount: Math.round(sumAmount * 100) / 100, sumMerchantIdx, sumCountryIdx, nOnline },
  };
}
