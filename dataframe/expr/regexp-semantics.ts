import { invalidArgument } from '../../common/errors.js';
import { javaRegex } from './java-regex.js';

/**
 * Per-value semantics of Spark's regular-expression functions (regexp_replace,
 * regexp_extract, rlike, split) over Java patterns (see `java-regex.ts`). Shared by
 * constant folding and the kernels.
 */

/** A parsed Java replacement string: literal text and group references. */
type Piece = string | number | { readonly name: string };

const replacements = new Map<number, Map<string, readonly Piece[]>>();

/** Parses Java's replacement syntax: `$n` and `${name}` refer to groups, a backslash quotes the next character. */
export function parseReplacement(rep: string, groupCount: number): readonly Piece[] {
  let byRep = replacements.get(groupCount);
  if (byRep === undefined) {
    byRep = new Map();
    replacements.set(groupCount, byRep);
  }
  const hit = byRep.get(rep);
  if (hit !== undefined) return hit;
  const out: Piece[] = [];
  let text = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i] as string;
    if (c === '\\') {
      if (i + 1 >= rep.length) throw invalidArgument(`regexpReplace: the replacement '${rep}' ends with a lone backslash. Write \\\\ for a backslash.`);
      text += rep[++i];
    } else if (c === '$') {
      if (rep[i + 1] === '{') {
        const end = rep.indexOf('}', i);
        if (end < 0) throw invalidArgument(`regexpReplace: the replacement '${rep}' has an unclosed \${.`);
        out.push(text, { name: rep.slice(i + 2, end) });
        text = '';
        i = end;
        continue;
      }
      let j = i + 1;
      if (!/[0-9]/.test(rep[j] ?? ''))
        throw invalidArgument(`regexpReplace: illegal group reference in the replacement '${rep}'. Write \\$ for a dollar sign.`);
      let g = Number(rep[j]);
      j++;
      // Java: further digits join the number while it stays a valid group.
      while (j < rep.length && /[0-9]/.test(rep[j] as string) && g * 10 + Number(rep[j]) <= groupCount) g = g * 10 + Number(rep[j++]);
      if (g > groupCount) throw invalidArgument(`regexpReplace: the replacement '${rep}' refers to group ${g}, but the pattern has ${groupCount} group(s).`);
      out.push(text, g);
      text = '';
      i = j - 1;
    } else text += c;
  }
  out.push(text);
  const pieces = out.filter((p) => p !== '');
  if (byRep.size >= 256) byRep.delete(byRep.keys().next().value as string);
  byRep.set(rep, pieces);
  return pieces;
}

const groupCounts = new WeakMap<RegExp, number>();

/** Number of capturing groups of a compiled pattern (computed once per pattern). */
export function groupCount(re: RegExp): number {
  let n = groupCounts.get(re);
  if (n === undefined) {
    n = (new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('') as RegExpExecArray).length - 1;
    groupCounts.set(re, n);
  }
  return n;
}

/** Index in UTF-16 units of the 1-based code-point position `pos` of `s`. */
function unitIndex(s: string, pos: number): number {
  let k = 0;
  let p = 1;
  while (p < pos && k < s.length) {
    const c = s.charCodeAt(k);
    k += c >= 0xd800 && c <= 0xdbff && k + 1 < s.length ? 2 : 1;
    p++;
  }
  return k;
}

/** Spark's `regexp_replace(str, regexp, rep, position)`: every match from 1-based `position` on replaced. */
export function regexpReplace(s: string, pattern: string, rep: string, position = 1): string {
  const re = javaRegex(pattern);
  const pieces = parseReplacement(rep, groupCount(re));
  const from = unitIndex(s, position);
  if (from > s.length) return s;
  let out = s.slice(0, from);
  let last = from;
  re.lastIndex = from;
  for (;;) {
    const m = re.exec(s);
    if (m === null) break;
    out += s.slice(last, m.index);
    for (const p of pieces) out += typeof p === 'string' ? p : typeof p === 'number' ? (m[p] ?? '') : (m.groups?.[p.name] ?? '');
    last = m.index + m[0].length;
    if (m[0].length === 0) {
      if (last >= s.length) break;
      const step = (s.codePointAt(last) as number) > 0xffff ? 2 : 1;
      out += s.slice(last, last + step);
      last += step;
      re.lastIndex = last;
    }
  }
  return out + s.slice(last);
}

/** Spark's `regexp_extract(str, regexp, idx)`: group `idx` of the first match; '' when nothing matches or the group did not take part. */
export function regexpExtract(s: string, pattern: string, idx: number): string {
  const re = javaRegex(pattern);
  const groups = groupCount(re);
  if (idx < 0 || idx > groups) throw invalidArgument(`regexpExtract: the pattern '${pattern}' has ${groups} group(s), but group ${idx} was asked for.`);
  re.lastIndex = 0;
  const m = re.exec(s);
  return m === null ? '' : (m[idx] ?? '');
}

/** Spark's `rlike`: true when the pattern matches anywhere in the string. */
export function rlike(s: string, pattern: string): boolean {
  const re = javaRegex(pattern);
  re.lastIndex = 0;
  return re.test(s);
}

/**
 * Spark's `split(str, regex, limit)`, Java's `String.split`: limit > 0 gives at most
 * `limit` parts (the last holds the rest); limit <= 0 gives all parts, trailing empty ones
 * kept. A zero-width match at the start yields no leading empty part.
 */
export function splitRegex(s: string, pattern: string, limit: number): string[] {
  const re = javaRegex(pattern);
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  while (limit <= 0 || out.length < limit - 1) {
    const m = re.exec(s);
    if (m === null) break;
    const end = m.index + m[0].length;
    if (m[0].length === 0) {
      if (m.index >= s.length) break;
      if (m.index === 0) {
        re.lastIndex = (s.codePointAt(0) as number) > 0xffff ? 2 : 1;
        continue;
      }
      out.push(s.slice(last, m.index));
      last = m.index;
      re.lastIndex = m.index + ((s.codePointAt(m.index) as number) > 0xffff ? 2 : 1);
      continue;
    }
    out.push(s.slice(last, m.index));
    last = end;
  }
  out.push(s.slice(last));
  return out;
}
