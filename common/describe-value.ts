/**
 * A short, readable description of any JS value for error messages: never `[object Object]`.
 * Strings are quoted (and cut at 40 characters), bigints end in `n`, Dates show their ISO
 * time, arrays and plain objects show a cut JSON form, Maps/Sets/class instances their
 * constructor name. Prefixed with the kind (`string 'x'`, `object {"a":1}`, `number 1.5`).
 */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'string':
      return `string '${cut(v)}'`;
    case 'bigint':
      return `bigint ${v}n`;
    case 'number':
    case 'boolean':
      return `${typeof v} ${String(v)}`;
    case 'function':
      return `function ${(v as { name?: string }).name || '(anonymous)'}`;
    case 'symbol':
      return String(v);
    default:
      break;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'an invalid Date' : `Date ${v.toISOString()}`;
  if (Array.isArray(v)) return `array ${cut(json(v))}`;
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return `object ${cut(json(v))}`;
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name ? `${name} object` : 'object';
}

function json(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    return '(not printable)';
  }
}

function cut(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

/**
 * A value as it reads inside an error message: numbers, booleans and bigints as themselves,
 * strings as they are, anything else through {@link describeValue} (never `[object Object]`).
 */
export function valueText(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'string') return String(v);
  return describeValue(v);
}
