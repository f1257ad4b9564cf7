/**
 * The 40 country codes of the transaction data, most frequent first: P(rank k) is
 * proportional to 1/k (US about 23 %, GB 12 %, DE 8 %), as in the peer generator.
 */
export const COUNTRIES: readonly string[] = Object.freeze(
  'US GB DE FR CA AU NL ES IT SE BR MX JP IN PL BE CH AT IE DK NO FI PT NZ SG HK KR ZA AR CL CO TR GR CZ HU RO IL AE TH PH'.split(' '),
);

/** The probability of the country at each index of {@link COUNTRIES}: (1/(k+1)) / H_40. */
export function countryShares(): Float64Array {
  const w = new Float64Array(COUNTRIES.length);
  let total = 0;
  for (let k = 0; k < w.length; k++) total += w[k] = 1 / (k + 1);
  for (let k = 0; k < w.length; k++) w[k] = (w[k] as number) / total;
  return w;
}
