import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { castValue } from './cast-value.js';
import type { LiteralValue } from './expr.js';

/**
 * Spark's `format_string(fmt, args...)`, which is Java's `String.format`: specifiers
 * `%[index$][flags][width][.precision]conversion` with conversions b, s, c, d, o, x, e, f,
 * g (upper-case forms too), `%%` and `%n`; flags `-`, `0`, `+`, space, `,`, `(`, `#`;
 * `%<s` reuses the previous argument. Floating-point digits round HALF_UP on the shortest
 * decimal form of the double, as Java does. A null argument prints `null` (`false` for %b).
 */

interface Spec {
  readonly text: string;
  readonly arg: number;
  readonly flags: string;
  readonly width: number;
  readonly precision: number;
  readonly conv: string;
}

const SPEC_RE = /%(\d+\$|<)?([-#+ 0,(]*)(\d+)?(?:\.(\d+))?([bBsScCdoxXeEfgGn%])/y;
const parsed = new Map<string, readonly Spec[] | string>();

/** Parses a format string into literal texts and specifiers, or returns an error message. */
export function parseFormat(fmt: string): readonly Spec[] | string {
  const hit = parsed.get(fmt);
  if (hit !== undefined) return hit;
  const out: Spec[] = [];
  let text = '';
  let next = 0;
  let prev = -1;
  let i = 0;
  let result: readonly Spec[] | string = out;
  while (i < fmt.length) {
    const c = fmt[i] as string;
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    SPEC_RE.lastIndex = i;
    const m = SPEC_RE.exec(fmt);
    if (m === null) {
      result = `unknown or incomplete format specifier at '${fmt.slice(i, i + 6)}'`;
      break;
    }
    i = SPEC_RE.lastIndex;
    const conv = m[5] as string;
    if (conv === '%' || conv === 'n') {
      text += conv === '%' ? '%' : '\n';
      continue;
    }
    const arg = m[1] === '<' ? prev : m[1] !== undefined ? Number(m[1].slice(0, -1)) - 1 : next++;
    if (arg < 0) {
      result = `'%<${conv}' has no previous argument`;
      break;
    }
    prev = arg;
    out.push({ text, arg, flags: m[2] ?? '', width: m[3] === undefined ? -1 : Number(m[3]), precision: m[4] === undefined ? -1 : Number(m[4]), conv });
    text = '';
  }
  if (typeof result !== 'string') out.push({ text, arg: -1, flags: '', width: -1, precision: -1, conv: '' });
  if (parsed.size >= 256) parsed.delete(parsed.keys().next().value as string);
  parsed.set(fmt, result);
  return result;
}

/** Checks a parsed format against the argument types: a message naming the problem, or null. */
export function checkFormat(fmt: string, argTypes: readonly DataType[]): string | null {
  const specs = parseFormat(fmt);
  if (typeof specs === 'string') return specs;
  for (const s of specs) {
    if (s.arg < 0) continue;
    const t = argTypes[s.arg];
    if (t === undefined) return `'%${s.conv}' refers to argument ${s.arg + 1}, but only ${argTypes.length} are given`;
    const k = t.kind;
    const c = s.conv.toLowerCase();
    if ((c === 'd' || c === 'o' || c === 'x' || c === 'c') && k !== 'int32' && k !== 'int64' && k !== 'null')
      return `'%${s.conv}' needs an integer argument, but argument ${s.arg + 1} is ${k === 'float64' ? 'double' : k}`;
    if ((c === 'e' || c === 'f' || c === 'g') && k !== 'float64' && k !== 'null')
      return `'%${s.conv}' needs a double argument, but argument ${s.arg + 1} is ${k === 'int32' ? 'int' : k === 'int64' ? 'bigint' : k} (cast it to double)`;
  }
  return null;
}

/** Shortest decimal digits and exponent of a finite non-zero |x|: x = 0.D * 10^(exp+1). */
function decimal(x: number): { digits: string; exp: number } {
  const [mant, e] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: mant.replace('.', ''), exp: Number(e) };
}

/** round(|x| * 10^scale) HALF_UP on the shortest decimal digits, as a bigint. */
function scaled(x: number, scale: number): bigint {
  if (x === 0) return 0n;
  const { digits, exp } = decimal(x);
  const shift = exp + 1 - digits.length + scale;
  if (shift >= 0) return BigInt(digits) * 10n ** BigInt(shift);
  const p = 10n ** BigInt(-shift);
  const d = BigInt(digits);
  const q = d / p;
  return (d - q * p) * 2n >= p ? q + 1n : q;
}

function fixed(x: number, precision: number): string {
  const n = scaled(x, precision)
    .toString()
    .padStart(precision + 1, '0');
  return precision === 0 ? n : `${n.slice(0, -precision)}.${n.slice(-precision)}`;
}

function scientific(x: number, precision: number, upper: boolean): string {
  let mant: bigint;
  let exp: number;
  if (x === 0) {
    mant = 0n;
    exp = 0;
  } else {
    const d = decimal(x);
    exp = d.exp;
    mant = scaled(x, precision - exp);
    if (mant >= 10n ** BigInt(precision + 1)) {
      exp++;
      mant = scaled(x, precision - exp);
    }
  }
  const m = mant.toString().padStart(precision + 1, '0');
  const body = precision === 0 ? m : `${m.slice(0, 1)}.${m.slice(1)}`;
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${body}${upper ? 'E' : 'e'}${e}`;
}

function general(x: number, precision: number, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const a = Math.abs(x);
  if (a === 0) return fixed(0, p - 1);
  const rounded = Number(scientific(a, p - 1, false));
  if (rounded >= 1e-4 && rounded < 10 ** p) {
    const e = Math.floor(Math.log10(rounded));
    return fixed(a, Math.max(0, p - 1 - e));
  }
  return scientific(a, p - 1, upper);
}

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function applyNumberFlags(body: string, negative: boolean, s: Spec): string {
  const f = s.flags;
  let b = body;
  if (f.includes(',')) {
    const dot = b.indexOf('.');
    b = dot < 0 ? group(b) : group(b.slice(0, dot)) + b.slice(dot);
  }
  const prefix = negative ? (f.includes('(') ? '(' : '-') : f.includes('+') ? '+' : f.includes(' ') ? ' ' : '';
  const suffix = negative && f.includes('(') ? ')' : '';
  if (f.includes('0') && s.width > 0) b = b.padStart(s.width - prefix.length - suffix.length, '0');
  return prefix + b + suffix;
}

function formatOne(s: Spec, v: LiteralValue, t: DataType): string {
  const c = s.conv.toLowerCase();
  const upper = s.conv !== c;
  let out: string;
  if (c === 'b') out = v === null ? 'false' : typeof v === 'boolean' ? String(v) : 'true';
  else if (v === null) out = 'null';
  else if (c === 's') out = String(castValue(v, t, types.utf8));
  else if (c === 'c') out = String.fromCodePoint(Number(v));
  else if (c === 'd') {
    const n = BigInt(v as number | bigint);
    out = applyNumberFlags((n < 0n ? -n : n).toString(), n < 0n, s);
  } else if (c === 'o' || c === 'x') {
    const n = BigInt.asUintN(t.kind === 'int32' ? 32 : 64, BigInt(v as number | bigint));
    const digits = n.toString(c === 'o' ? 8 : 16);
    const alt = s.flags.includes('#') ? (c === 'o' ? '0' : '0x') : '';
    out = s.flags.includes('0') && s.width > 0 ? alt + digits.padStart(s.width - alt.length, '0') : alt + digits;
  } else {
    const x = v as number;
    if (!Number.isFinite(x))
      out = Number.isNaN(x) ? 'NaN' : x > 0 ? (s.flags.includes('+') ? '+Infinity' : 'Infinity') : s.flags.includes('(') ? '(Infinity)' : '-Infinity';
    else {
      const p = s.precision < 0 ? 6 : s.precision;
      const body = c === 'f' ? fixed(x, p) : c === 'e' ? scientific(x, p, upper) : general(x, p, upper);
      out = applyNumberFlags(body, x < 0 || Object.is(x, -0), s);
    }
  }
  if (s.precision >= 0 && (c === 's' || c === 'b')) out = Array.from(out).slice(0, s.precision).join('');
  if (upper) out = out.toUpperCase();
  if (s.width > 0) out = s.flags.includes('-') ? out.padEnd(s.width, ' ') : out.padStart(s.width, ' ');
  return out;
}

/** Formats `args` (of `argTypes`) with a Java format string; null when the format is invalid for them. */
export function formatString(fmt: string, args: readonly LiteralValue[], argTypes: readonly DataType[]): string | null {
  const specs = parseFormat(fmt);
  if (typeof specs === 'string' || checkFormat(fmt, argTypes) !== null) return null;
  let out = '';
  for (const s of specs) {
    out += s.text;
    if (s.arg >= 0) out += formatOne(s, args[s.arg] ?? null, argTypes[s.arg] as DataType);
  }
  return out;
}
