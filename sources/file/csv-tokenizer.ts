import type { CsvOptions } from './csv-options.js';

/** Receives the records a {@link CsvTokenizer} finds. `fields` is reused between calls. */
export interface CsvRecordSink {
  /**
   * One record: `fields[0..count)` with `quoted[k]` = 1 when field k was quoted; `line` is
   * the 1-based line the record starts on; `malformed` is set for an unterminated quote;
   * `[start, end)` is the record's raw text in `text`.
   */
  record(fields: readonly string[], quoted: Uint8Array, count: number, line: number, malformed: boolean, text: string, start: number, end: number): void;
}

const LF = 10;
const CR = 13;

/**
 * A CSV tokenizer over decoded text chunks. Handles quoted fields with embedded
 * separators and quotes (doubled, or preceded by the escape char), CRLF and LF line ends,
 * blank lines (skipped) and comment lines. Quoted fields hold newlines only with
 * `multiLine`; otherwise a record ends at its line end, and a quote still open there makes
 * that record malformed (its field keeps the rest of the line). Text that ends inside a
 * record is handed back so the caller can prepend it to the next chunk.
 */
export class CsvTokenizer {
  private readonly o: CsvOptions;
  private fields: string[] = [];
  private quoted = new Uint8Array(64);
  /** Line number of the next record's first line. */
  line = 1;
  /** Set when the last `tokenize` call stopped at an incomplete record (more text needed). */
  incomplete = false;

  constructor(options: CsvOptions) {
    this.o = options;
  }

  /**
   * Tokenizes `text` from `start`, calling `sink` per complete record, and returns the index where the
   * unconsumed tail starts (text.length when all was consumed). With `eof`, a final record
   * without a line end is complete, and an unterminated quote yields a malformed record.
   * `limit` stops after that many records.
   */
  tokenize(text: string, start: number, eof: boolean, sink: CsvRecordSink, limit = Number.POSITIVE_INFINITY): number {
    const { sep, quote, escape: esc, comment, multiLine } = this.o;
    const n = text.length;
    let pos = start;
    let records = 0;
    this.incomplete = false;
    while (pos < n && records < limit) {
      const recStart = pos;
      const startLine = this.line;
      let line = startLine;
      let c = text.charCodeAt(pos);
      if (c === LF || c === CR) {
        pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
        this.line++;
        continue;
      }
      if (c === comment) {
        const nl = text.indexOf('\n', pos);
        if (nl < 0 && !eof) return this.stop(recStart);
        pos = nl < 0 ? n : nl + 1;
        this.line++;
        continue;
      }
      let count = 0;
      let malformed = false;
      let done = false;
      let fieldStart = pos;
      while (!done) {
        c = pos < n ? text.charCodeAt(pos) : -1;
        if (c === quote && pos === fieldStart) {
          // Quoted field: collect pieces until the closing quote.
          let value = '';
          let seg = pos + 1;
          let p = pos + 1;
          let closed = false;
          let lineEnd = false;
          while (p < n) {
            const q = text.charCodeAt(p);
            if (q === esc && esc !== quote && p + 1 < n && (text.charCodeAt(p + 1) === quote || text.charCodeAt(p + 1) === esc)) {
              value += text.slice(seg, p);
              seg = p + 1;
              p += 2;
            } else if (q === quote) {
              if (p + 1 < n && text.charCodeAt(p + 1) === quote) {
                value += text.slice(seg, p + 1);
                p += 2;
                seg = p;
              } else if (p + 1 >= n && !eof) break;
              else {
                closed = true;
                value += text.slice(seg, p);
                p++;
                break;
              }
            } else if (!multiLine && (q === LF || q === CR)) {
              lineEnd = true;
              break;
            } else {
              if (q === LF) line++;
              p++;
            }
          }
          if (!closed) {
            if (!lineEnd && !eof) return this.stop(recStart);
            if (!lineEnd) p = n;
            malformed = true;
            value += text.slice(seg, p);
          }
          // Text between the closing quote and the separator is kept, as Spark does.
          let after = p;
          while (after < n && text.charCodeAt(after) !== sep && text.charCodeAt(after) !== LF && text.charCodeAt(after) !== CR) after++;
          if (after > p) value += text.slice(p, after);
          this.push(count++, value, 1);
          pos = after;
        } else {
          let p = pos;
          while (p < n) {
            const q = text.charCodeAt(p);
            if (q === sep || q === LF || q === CR) break;
            p++;
          }
          if (p >= n && !eof) return this.stop(recStart);
          this.push(count++, text.slice(pos, p), 0);
          pos = p;
        }
        c = pos < n ? text.charCodeAt(pos) : -1;
        if (c === sep) {
          pos++;
          fieldStart = pos;
          if (pos >= n && !eof) return this.stop(recStart);
          continue;
        }
        const end = pos;
        if (c === CR) {
          if (pos + 1 >= n && !eof) return this.stop(recStart);
          pos += text.charCodeAt(pos + 1) === LF ? 2 : 1;
        } else if (c === LF) pos++;
        done = true;
        this.line = line + 1;
        sink.record(this.fields, this.quoted, count, startLine, malformed, text, recStart, end);
        records++;
      }
    }
    return pos;
  }

  private stop(at: number): number {
    this.incomplete = true;
    return at;
  }

  private push(k: number, value: string, quoted: number): void {
    this.fields[k] = value;
    if (k >= this.quoted.length) {
      const q = new Uint8Array(this.quoted.length * 2);
      q.set(this.quoted);
      this.quoted = q;
    }
    this.quoted[k] = quoted;
  }
}
