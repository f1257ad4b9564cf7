import type { Field } from '../../common/schema.js';
import type { MalformedCallback } from './text-batch-builder.js';
import type { ParseMode } from './parse-mode.js';
import type { DataChunk } from './parquet-reader.js';
import type { TextValue } from './text-column-builder.js';
import { TextBatchBuilder } from './text-batch-builder.js';
import { textChunks } from './text-chunks.js';

/** Calls `onLine(text, start, end, lineNo)` for every non-blank line of a file, streaming. */
export async function* jsonLines(path: string): AsyncGenerator<{ text: string; start: number; end: number; line: number }> {
  let carry = '';
  let line = 0;
  const emit = function* (text: string, eof: boolean): Generator<{ text: string; start: number; end: number; line: number }, number> {
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0 && !eof) return pos;
      const end = nl < 0 ? text.length : nl;
      line++;
      let e = end;
      if (e > pos && text.charCodeAt(e - 1) === 13) e--;
      if (!/^\s*$/.test(text.slice(pos, e))) yield { text, start: pos, end: e, line };
      if (nl < 0) return text.length;
      pos = nl + 1;
    }
  };
  for await (const chunk of textChunks(path)) {
    const text = carry.length > 0 ? carry + chunk : chunk;
    const pos = yield* emit(text, false);
    carry = text.slice(pos);
  }
  if (carry.length > 0) yield* emit(carry, true);
}

function isScalar(v: unknown): v is TextValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * Reads newline-delimited JSON objects and yields chunks holding `wanted` (columns by key).
 * Scalars convert to the column type; arrays of scalars fill list columns; objects and
 * arrays fill struct and array columns (nested to any depth; a field whose value does not
 * fit its type is null), and are kept as their JSON text in string columns. A line that is not a
 * JSON object, or a value that does not convert, is malformed and handled by the parse mode.
 */
export async function* readJsonSplit(
  path: string,
  wanted: readonly Field[],
  mode: ParseMode,
  corruptColumn: string,
  batchSize: number,
  onMalformed?: MalformedCallback,
): AsyncGenerator<DataChunk> {
  const out = new TextBatchBuilder(wanted, { format: 'JSON', path, mode, corruptColumn, batchSize, onMalformed });
  const index = new Map<string, number>();
  for (const f of wanted) if (out.indexOf(f.name) >= 0) index.set(f.name, out.indexOf(f.name));
  for await (const { text, start, end, line } of jsonLines(path)) {
    const raw = text.slice(start, end);
    let parsed: unknown;
    let reason: string | null = null;
    try {
      parsed = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) reason = 'the line is not a JSON object';
    } catch (e) {
      reason = `invalid JSON (${(e as Error).message})`;
    }
    if (reason === null) {
      const obj = parsed as Record<string, unknown>;
      for (const key in obj) {
        const k = index.get(key);
        if (k === undefined) continue;
        const v = obj[key];
        if (isScalar(v)) out.set(k, v);
        else if (Array.isArray(v) && v.every(isScalar) && !out.isNested(k)) out.setList(k, v, JSON.stringify(v));
        else out.setNested(k, v, JSON.stringify(v));
      }
    }
    out.finish(reason, line, () => raw);
    if (out.full) {
      const c = out.take();
      if (c) yield c;
    }
  }
  const last = out.take();
  if (last) yield last;
}
