import type { ColumnVector } from '../../common/column-vector.js';
import type { Field } from '../../common/schema.js';
import { malformedRecordError } from './malformed-record.js';
import type { ParseMode } from './parse-mode.js';
import type { DataChunk } from './parquet-reader.js';
import type { TextValue } from './text-column-builder.js';
import { TextColumnBuilder } from './text-column-builder.js';

/** Where a text batch's records come from, for error messages and counters. */
export interface TextSource {
  readonly format: 'CSV' | 'JSON';
  readonly path: string;
  readonly mode: ParseMode;
  /** Name of the column that receives malformed records' raw text in PERMISSIVE mode. */
  readonly corruptColumn: string;
  readonly batchSize: number;
  readonly onMalformed?: MalformedCallback;
}

/**
 * Told how many malformed records a reader handled since the last call: `nulled` were kept
 * with null values (PERMISSIVE), `dropped` were skipped (DROPMALFORMED).
 */
export type MalformedCallback = (count: number, kind: 'nulled' | 'dropped') => void;

/**
 * Assembles batches of text records (CSV rows, JSON lines) column by column, applying the
 * parse mode: a record is malformed when the parser says so or a value does not convert
 * to its column's type. PERMISSIVE keeps the record with nulls (and the raw text in the
 * corrupt-record column when requested), DROPMALFORMED drops and counts it, FAILFAST throws
 * MALFORMED_RECORD naming the file and line.
 */
export class TextBatchBuilder {
  private readonly fields: readonly Field[];
  private readonly src: TextSource;
  private readonly corruptIndex: number;
  private builders: TextColumnBuilder[] = [];
  private stamp: Int32Array;
  private row = 0;
  private badValue: string | null = null;
  private dropped = 0;
  private nulled = 0;

  constructor(fields: readonly Field[], src: TextSource) {
    this.fields = fields;
    this.src = src;
    this.corruptIndex = fields.findIndex((f) => f.name === src.corruptColumn && f.type.kind === 'utf8');
    this.stamp = new Int32Array(fields.length).fill(-1);
    this.reset();
  }

  private reset(): void {
    this.builders = this.fields.map((f) => new TextColumnBuilder(f.type, this.src.batchSize));
    this.stamp.fill(-1);
    this.row = 0;
  }

  /** Index of the requested column named `name` that comes from the data, or -1. */
  indexOf(name: string): number {
    const i = this.fields.findIndex((f) => f.name === name);
    return i === this.corruptIndex ? -1 : i;
  }

  /** Rows the current batch can still take. */
  get remaining(): number {
    return this.src.batchSize - this.row;
  }

  /** True when the current batch holds `batchSize` rows. */
  get full(): boolean {
    return this.row >= this.src.batchSize;
  }

  /** Sets column `k` of the current record (the first value wins when set twice). */
  set(k: number, v: TextValue): void {
    if (k < 0 || this.stamp[k] === this.row) return;
    this.stamp[k] = this.row;
    const b = this.builders[k] as TextColumnBuilder;
    if (!b.append(v) && this.badValue === null)
      this.badValue = `value ${JSON.stringify(v)} of column '${(this.fields[k] as Field).name}' is not a valid ${b.type.kind}`;
  }

  /** Sets a JSON array value of column `k` (a list column; any other type is malformed). */
  setList(k: number, items: TextValue[], raw: string): void {
    if (k < 0 || this.stamp[k] === this.row) return;
    const b = this.builders[k] as TextColumnBuilder;
    if (b.type.kind === 'list') {
      this.stamp[k] = this.row;
      b.appendList(items);
    } else this.set(k, raw);
  }

  /** True when column `k` is a struct or an array of non-scalars (filled by {@link setNested}). */
  isNested(k: number): boolean {
    const t = (this.fields[k] as Field | undefined)?.type;
    return t !== undefined && (t.kind === 'struct' || (t.kind === 'list' && (t.element.kind === 'struct' || t.element.kind === 'list')));
  }

  /** Sets a JSON object or array of column `k`: struct and array columns take it, other columns its JSON text `raw`. */
  setNested(k: number, v: unknown, raw: string): void {
    if (k < 0 || this.stamp[k] === this.row) return;
    const b = this.builders[k] as TextColumnBuilder;
    if (b.type.kind === 'struct' || b.type.kind === 'list') {
      this.stamp[k] = this.row;
      b.appendNested(v);
    } else this.set(k, raw);
  }

  /** Ends the current record; `reason` non-null marks it malformed. `raw` gives its text. */
  finish(reason: string | null, line: number, raw: () => string): void {
    const why = reason ?? this.badValue;
    this.badValue = null;
    if (why !== null) {
      if (this.src.mode === 'FAILFAST') throw malformedRecordError(this.src.format, this.src.path, line, why, raw());
      if (this.src.mode === 'DROPMALFORMED') {
        for (const b of this.builders) b.truncate(this.row);
        this.stamp.fill(-1);
        this.dropped++;
        return;
      }
      this.nulled++;
    }
    for (let k = 0; k < this.builders.length; k++) {
      if (this.stamp[k] === this.row) continue;
      const b = this.builders[k] as TextColumnBuilder;
      if (k === this.corruptIndex && why !== null) b.append(raw());
      else b.appendNull();
    }
    this.row++;
  }

  /** The rows assembled so far as a chunk (null when none), starting a new batch. */
  take(): DataChunk | null {
    if (this.dropped > 0) {
      this.src.onMalformed?.(this.dropped, 'dropped');
      this.dropped = 0;
    }
    if (this.nulled > 0) {
      this.src.onMalformed?.(this.nulled, 'nulled');
      this.nulled = 0;
    }
    if (this.row === 0) return null;
    const columns: ColumnVector[] = this.builders.map((b) => b.build());
    const chunk = { columns, numRows: this.row };
    this.reset();
    return chunk;
  }
}
