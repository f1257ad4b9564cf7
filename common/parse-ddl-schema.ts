import { parseTypeName } from './data-type.js';
import { invalidArgument, SluiceError } from './errors.js';
import type { Schema } from './schema.js';
import { field, schemaOf } from './schema.js';

/** Splits on commas outside brackets, so `timestamp[us, UTC]` stays one entry. */
function splitTopLevel(ddl: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < ddl.length; i++) {
    const c = ddl[i];
    if (c === '[' || c === '<' || c === '(') depth++;
    else if (c === ']' || c === '>' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(ddl.slice(start, i));
      start = i + 1;
    }
  }
  out.push(ddl.slice(start));
  return out;
}

/** Parses a DDL schema string such as `'id BIGINT, name STRING, ts TIMESTAMP'` (Spark's form). */
export function parseDdlSchema(ddl: string): Schema {
  const parts = splitTopLevel(ddl)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw invalidArgument(`Empty schema string. Write it as 'name TYPE, other TYPE'.`);
  return schemaOf(
    parts.map((p) => {
      const m = /^`?([^`\s]+)`?\s+(.+?)(\s+not\s+null)?$/i.exec(p);
      if (!m) throw invalidArgument(`Cannot read schema entry '${p}'. Write it as 'name TYPE', e.g. 'amount DOUBLE'.`);
      const type = parseTypeName(m[2] as string);
      if (!type && /^\s*(decimal|numeric|dec)\b/i.test(m[2] as string))
        throw new SluiceError(
          'UNSUPPORTED',
          `Column '${m[1]}' has type '${m[2]}': Sluice supports decimal(p,s) with 1 <= p <= 18 and 0 <= s <= p. Use a narrower decimal or double.`,
        );
      if (!type)
        throw invalidArgument(`Unknown type '${m[2]}' for column '${m[1]}'. Use boolean, int, bigint, double, decimal(p,s), string, date or timestamp.`);
      return field(m[1] as string, type, !m[3]);
    }),
  );
}
