import { invalidArgument } from '../../common/errors.js';

/** 2024-01-01T00:00:00Z in epoch milliseconds: the arrival time of the first event. */
export const START_MS = 1_704_067_200_000;

/** Rows per Parquet row group in the generated files. */
export const ROW_GROUP_ROWS = 131_072;

/**
 * Bumped whenever the generated data for the same options changes, so that datasets on disk
 * written by an older generator are regenerated.
 */
export const GENERATOR_VERSION = 1;

/**
 * Parameters of the synthetic card-transaction stream (the peer generator's options).
 * Every field except `rows` has a default in {@link DEFAULT_TRANSACTION_OPTIONS}.
 */
export interface TransactionOptions {
  /** Number of rows. */
  readonly rows: number;
  /** PRNG seed: the same seed and options give the same rows. */
  readonly seed: number;
  /** Mean arrivals per second (Poisson process). */
  readonly rate: number;
  /** Number of distinct card ids (0..cards-1). */
  readonly cards: number;
  /** Number of merchants (`m0`..`m{merchants-1}`). */
  readonly merchants: number;
  /** Zipf exponent of card popularity: P(rank k) proportional to k^-zipfS. */
  readonly zipfS: number;
  /** Share of a card's purchases that go to one of its 3 home merchants. */
  readonly homeFrac: number;
  /** Share of rows that belong to injected fraud bursts. */
  readonly burstFrac: number;
  /** Mean of the exponential arrival delay, in ms. */
  readonly jitterMeanMs: number;
  /** Cap of the normal arrival delay, in ms (also the lower bound of a late delay). */
  readonly jitterMaxMs: number;
  /** Share of late events. */
  readonly lateFrac: number;
  /** Upper bound of a late event's delay, in ms. */
  readonly lateMaxMs: number;
}

/** The defaults of every option but `rows` (the peer generator's defaults). */
export const DEFAULT_TRANSACTION_OPTIONS: Readonly<Omit<TransactionOptions, 'rows'>> = Object.freeze({
  seed: 42,
  rate: 200,
  cards: 1_000_000,
  merchants: 50_000,
  zipfS: 0.8,
  homeFrac: 0.6,
  burstFrac: 0.001,
  jitterMeanMs: 3_000,
  jitterMaxMs: 30_000,
  lateFrac: 0.005,
  lateMaxMs: 600_000,
});

/** Complete options: the given fields over the defaults. */
export function transactionOptions(given: Partial<TransactionOptions> & { readonly rows: number }): TransactionOptions {
  if (!Number.isSafeInteger(given.rows) || given.rows < 0) throw invalidArgument(`rows must be a non-negative integer, got ${given.rows}.`);
  return Object.freeze({ ...DEFAULT_TRANSACTION_OPTIONS, ...given });
}
