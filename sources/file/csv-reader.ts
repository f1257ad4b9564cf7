import type { Field } from '../../common/schema.js';
import type { MalformedCallback } from './text-batch-builder.js';
import type { CsvOptions } from './csv-options.js';
import type { CsvRecordSink } from './csv-tokenizer.js';
import { CsvTokenizer } from './csv-tokenizer.js';
import type { DataChunk } from './parquet-reader.js';
import { TextBatchBuilder } from './text-batch-builder.js';
import { textChunks } from './text-chunks.js';

/**
 * Reads a CSV file and yields chunks holding `wanted` (a subset of `dataFields`, plus
 * possibly the corrupt-record column). CSV columns map to `dataFields` by position (the
 * corrupt-record column takes no position); with `header` the first record is skipped.
 * A record with more or fewer fields than `dataFields`, an unterminated quote, or a value
 * that does not convert is malformed and handled by the parse mode.
 */
export async function* readCsvSplit(
  path: string,
  dataFields: readonly Field[],
  wanted: readonly Field[],
  opts: CsvOptions,
  batchSize: number,
  onMalformed?: MalformedCallback,
): AsyncGenerator<DataChunk> {
  const positional = dataFields.filter((f) => f.name !== opts.corruptColumn);
  const out = new TextBatchBuilder(wanted, { format: 'CSV', path, mode: opts.mode, corruptColumn: opts.corruptColumn, batchSize, onMalformed });
  const map = positional.map((f) => out.indexOf(f.name));
  const width = positional.length;
  let headerPending = opts.header;
  const sink: CsvRecordSink = {
    record(fields, quoted, count, line, malformed, text, start, end) {
      if (headerPending) {
        headerPending = false;
        return;
      }
      const n = Math.min(count, width);
      for (let k = 0; k < n; k++) {
        const target = map[k] as number;
        if (target < 0) continue;
        const v = fields[k] as string;
        out.set(target, v === opts.nullValue && (quoted[k] === 0 || opts.nullValue !== '') ? null : v);
      }
      const reason = malformed
        ? 'a quoted field is not closed'
        : count !== width
          ? `expected ${width} field${width === 1 ? '' : 's'} but found ${count}`
          : null;
      out.finish(reason, line, () => text.slice(start, end));
    },
  };
  const tok = new CsvTokenizer(opts);
  let carry = '';
  const drain = function* (text: string, eof: boolean): Generator<DataChunk, number> {
    let pos = 0;
    for (;;) {
      const before = pos;
      pos = tok.tokenize(text, pos, eof, sink, out.remaining);
      if (out.full) {
        const c = out.take();
        if (c) yield c;
        continue;
      }
      if (pos === before || pos >= text.length || tok.incomplete) return pos;
    }
  };
  for await (const chunk of textChunks(path)) {
    const text = carry.length > 0 ? carry + chunk : chunk;
    const pos = yield* drain(text, false);
    carry = text.slice(pos);
  }
  if (carry.length > 0) yield* drain(carry, true);
  const last = out.take();
  if (last) yield last;
}
