import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The source offsets logged for each batch in `<checkpoint>/offsets/N`, parsed (source index 0). */
export function loggedSourceOffsets(checkpoint: string, source = 0): Map<number, unknown> {
  const dir = join(checkpoint, 'offsets');
  const out = new Map<number, unknown>();
  for (const name of readdirSync(dir)) {
    if (!/^\d+$/.test(name)) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    const body = text.slice(text.indexOf('{'));
    const entry = JSON.parse(body) as { offsets: (string | null)[] };
    const o = entry.offsets[source];
    out.set(Number(name), o === null || o === undefined ? null : JSON.parse(o));
  }
  return out;
}
