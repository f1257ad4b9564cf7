/**
 * Numbers as text the way Spark (Java) writes and reads them: doubles print as
 * `1.0`, `0.001`, `1.5E10`, `1.0E-4`, `NaN`, `Infinity`; strings parse leniently
 * (surrounding whitespace allowed) and anything else is null.
 */

/** Spark's (Java's Double.toString) text of a double, with the shortest round-trip digits. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Number.POSITIVE_INFINITY) return 'Infinity';
  if (d === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const a = Math.abs(d);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split('e') as [string, string];
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

const DOUBLE_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/;
const INT_RE = /^([+-]?\d+)(\.\d*)?$/;

/** Parses a double as Spark's cast does (also `NaN`, `Infinity`, `inf`); null when invalid. */
export function parseDouble(text: string): number | null {
  const s = text.trim();
  if (DOUBLE_RE.test(s)) return Number.parseFloat(s);
  switch (s.toLowerCase()) {
    case 'nan':
      return Number.NaN;
    case 'infinity':
    case '+infinity':
    case 'inf':
    case '+inf':
      return Number.POSITIVE_INFINITY;
    case '-infinity':
    case '-inf':
      return Number.NEGATIVE_INFINITY;
    default:
      return null;
  }
}

/** Parses an integer as Spark's cast does (a fraction is truncated); null when invalid or outside `bits`-bit range. */
export function parseInteger(text: string, bits: 32 | 64): bigint | null {
  const m = INT_RE.exec(text.trim());
  if (!m) return null;
  const v = BigInt(m[1] as string);
  return BigInt.asIntN(bits, v) === v ? v : null;
}

/** Parses a boolean as Spark's cast does: t/true/y/yes/1 and f/false/n/no/0, any case; null otherwise. */
export function parseBoolean(text: string): boolean | null {
  switch (text.trim().toLowerCase()) {
    case 't':
    case 'true':
    case 'y':
    case 'yes':
    case '1':
      return true;
    case 'f':
    case 'false':
    case 'n':
    case 'no':
    case '0':
      return false;
    default:
      return null;
  }
}

/**
 * Rounds a double HALF_UP to `scale` decimal places the way Spark does: on the double's
 * shortest decimal text, so `round(1.005, 2)` is 1.01 and `round(-2.5)` is -3.
 */
export function roundHalfUp(x: number, scale: number): number {
  if (!Number.isFinite(x)) return x;
  if (scale === 0) {
    const t = Math.trunc(x);
    if (Math.abs(x - t) >= 0.5) return t + Math.sign(x);
    return t === 0 ? 0 : t;
  }
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  // The value is 0.digits * 10^(exp + 1); keep (exp + 1 + scale) digits.
  const keep = Number(expText) + 1 + scale;
  if (keep < 0) return 0;
  if (keep >= digits.length) return x;
  let kept = keep === 0 ? 0n : BigInt(digits.slice(0, keep));
  if ((digits.charCodeAt(keep) as number) >= 53) kept += 1n;
  const r = Number(`${kept}e${-scale}`);
  return neg && r !== 0 ? -r : r;
}

/** Rounds an integer HALF_UP to `scale` decimal places (only negative scales change it): round(1250, -2) = 1300. */
export function roundIntegerHalfUp(v: bigint, scale: number): bigint {
  if (scale >= 0) return v;
  const p = 10n ** BigInt(-scale);
  const q = v / p;
  const r = v - q * p;
  const twice = (r < 0n ? -r : r) * 2n;
  return (twice >= p ? q + (v < 0n ? -1n : 1n) : q) * p;
}
