import type { ColumnarBatch } from '../../common/column-vector.js';
import { invalidArgument } from '../../common/errors.js';
import { columnText } from './redis-column-text.js';

/** A key template split into literal text and column references: `user:{user_id}` → `user:`, user_id. */
export interface KeyTemplate {
  /** Literal parts; `literals.length === columns.length + 1`. */
  readonly literals: readonly string[];
  /** Column names between the literals. */
  readonly columns: readonly string[];
}

/**
 * Parses a key template: `{name}` is the value of column `name`, `{{` and `}}` are literal
 * braces (for Redis Cluster hash tags: `{{user:{id}}}` → `{user:42}`). Throws
 * INVALID_ARGUMENT on an unclosed or empty `{}`.
 */
export function parseKeyTemplate(template: string): KeyTemplate {
  const literals: string[] = [];
  const columns: string[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c;
      i++;
    } else if (c === '{') {
      const close = template.indexOf('}', i + 1);
      const name = close < 0 ? '' : template.slice(i + 1, close);
      if (close < 0 || name === '' || name.includes('{'))
        throw invalidArgument(
          `Key template '${template}' of the redis sink has an unclosed or empty '{' at position ${i}. Write {column}, or {{ for a literal brace.`,
        );
      literals.push(text);
      columns.push(name);
      text = '';
      i = close;
    } else if (c === '}') {
      throw invalidArgument(`Key template '${template}' of the redis sink has a '}' without '{' at position ${i}. Write }} for a literal brace.`);
    } else text += c;
  }
  literals.push(text);
  return { literals, columns };
}

/**
 * The keys of rows `[from, to)` of a batch. Returns null for a row where a referenced
 * column is null (the row has no key; the sink skips it and counts it).
 */
export function templateKeys(template: KeyTemplate, batch: ColumnarBatch, columnIndex: readonly number[]): (i: number) => string | null {
  const texts = columnIndex.map((c) => columnText(batch.columns[c]!) as (i: number) => string | null);
  const lits = template.literals;
  if (texts.length === 0) {
    const constant = lits[0] as string;
    return () => constant;
  }
  if (texts.length === 1) {
    const [a, b] = lits as [string, string];
    const t = texts[0]!;
    return (i) => {
      const v = t(i);
      return v === null ? null : a + v + b;
    };
  }
  return (i) => {
    let key = lits[0] as string;
    for (let k = 0; k < texts.length; k++) {
      const v = texts[k]!(i);
      if (v === null) return null;
      key += v + (lits[k + 1] as string);
    }
    return key;
  };
}
