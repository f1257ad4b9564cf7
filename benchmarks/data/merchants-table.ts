import type * as arrow from 'apache-arrow';
import { float64Data, stringTable, tableOf, utf8DataFromCodes } from './arrow-columns.js';
import { merchantNames } from './merchant-names.js';
import { SeededRandom } from './seeded-random.js';

/** The 20 merchant categories of the merchants dimension table. */
export const MERCHANT_CATEGORIES: readonly string[] = Object.freeze(
  (
    'grocery restaurants fuel travel airlines hotels electronics clothing pharmacy entertainment ' +
    'utilities digital_goods home_improvement sporting_goods jewelry gambling education healthcare automotive subscriptions'
  ).split(' '),
);

/** Offset mixed into the seed so the dimension's stream differs from the transactions' stream. */
const SEED_SALT = 0x6d657263;

/**
 * The merchants dimension for the join workload: one row per merchant id `m0`..`m{n-1}` with
 * a `category` (uniform over {@link MERCHANT_CATEGORIES}) and a `risk_score` in [0, 1)
 * (u^2 rounded to 4 decimals, so most merchants are low-risk). Seeded, deterministic.
 */
export function merchantsTable(merchants: number, seed: number): arrow.Table {
  const rng = new SeededRandom(seed + SEED_SALT);
  const ids = new Int32Array(merchants);
  const category = new Uint8Array(merchants);
  const risk = new Float64Array(merchants);
  for (let i = 0; i < merchants; i++) {
    ids[i] = i;
    category[i] = rng.intBelow(MERCHANT_CATEGORIES.length);
    const u = rng.nextDouble();
    risk[i] = Math.round(u * u * 10_000) / 10_000;
  }
  return tableOf(
    {
      merchant_id: utf8DataFromCodes(stringTable(merchantNames(merchants)), ids, 0, merchants),
      category: utf8DataFromCodes(stringTable(MERCHANT_CATEGORIES), category, 0, merchants),
      risk_score: float64Data(risk, 0, merchants),
    },
    merchants,
  );
}
