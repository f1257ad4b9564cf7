/** The merchant ids `m0`..`m{n-1}`: row i of the merchant dimension is `m{i}`. */
export function merchantNames(n: number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = `m${i}`;
  return out;
}
