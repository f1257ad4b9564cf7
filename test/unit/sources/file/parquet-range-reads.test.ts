import { openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { ParquetFile } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { batchFromArrow } from '../../../../common/arrow-convert.js';
import { makeBatch } from '../../../../common/columnar-batch.js';
import type { ColumnarBatch } from '../../../../common/column-vector.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { writeParquetFile } from '../../../../sinks/file/parquet-writer.js';
import { FileRangeBlob } from '../../../../sources/file/file-range-blob.js';
import { readParquetSplit } from '../../../../sources/file/parquet-reader.js';
import { arrowTableFromWasm } from '../../../../sources/file/wasm-arrow-export.js';
import { rowsOf } from './scan-fixture.js';
import { readSplitInWorker } from './read-split-in-worker.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-pq-range-'));
const schema = schemaOf([
  field('id', types.int64),
  field('name', types.utf8),
  field('score', types.float64),
  field('ts', types.timestamp('ms', 'UTC')),
  field('ok', types.boolean),
  field('n', types.int32),
]);
const ROWS = 1000;
const GROUP = 150;

function batch(): ColumnarBatch {
  const ids = Array.from({ length: ROWS }, (_, i) => i);
  return makeBatch(schema, [
    vectorFromValues(
      types.int64,
      ids.map((i) => (i % 11 === 0 ? null : BigInt(i) * 3n)),
    ),
    vectorFromValues(
      types.utf8,
      ids.map((i) => (i % 7 === 0 ? null : `name-${i % 13}-${'x'.repeat(i % 5)}`)),
    ),
    vectorFromValues(
      types.float64,
      ids.map((i) => (i % 5 === 0 ? null : i / 4)),
    ),
    vectorFromValues(
      types.timestamp('ms', 'UTC'),
      ids.map((i) => BigInt(1_700_000_000_000 + i * 1000)),
    ),
    vectorFromValues(
      types.boolean,
      ids.map((i) => (i % 3 === 0 ? null : i % 2 === 0)),
    ),
    vectorFromValues(
      types.int32,
      ids.map((i) => i - 500),
    ),
  ]);
}

const path = join(dir, 'groups.parquet');
const expected = rowsOf([batch()]);
await writeParquetFile(path, schema, [batch()], { rowGroupSize: GROUP });

/** All rows of a file read row group by row group through `blob`, exported with or without FFI. */
async function readGroups(blob: Blob, ffi: boolean) {
  const pf = await ParquetFile.fromFile(blob);
  try {
    // Keep every exported table until the end: FFI copies must not be views of reused WASM memory.
    const tables = [];
    for (let rg = 0; rg < pf.metadata().numRowGroups(); rg++) tables.push(arrowTableFromWasm(await pf.read({ rowGroups: [rg], batchSize: GROUP }), ffi));
    return rowsOf(tables.flatMap((t) => t.batches.map((b) => batchFromArrow(b))));
  } finally {
    pf.free();
  }
}

describe('Parquet row groups read through positioned reads and the C data interface', () => {
  it('decodes every row group with nulls the same through FileRangeBlob and Blob, FFI and IPC', async () => {
    const file = FileRangeBlob.open(path);
    try {
      expect(await readGroups(file as unknown as Blob, true)).toEqual(expected);
      expect(await readGroups(file as unknown as Blob, false)).toEqual(expected);
    } finally {
      file.close();
    }
    expect(await readGroups(await openAsBlob(path), true)).toEqual(expected);
  });

  it('FileRangeBlob slices like a Blob, and fails clearly after close or truncation', async () => {
    const bytes = readFileSync(path);
    const file = FileRangeBlob.open(path);
    const blob = await openAsBlob(path);
    for (const [a, b] of [
      [0, 4],
      [-8, undefined],
      [100, 90],
      [bytes.length - 3, bytes.length + 10],
      [-1_000_000, 7],
    ] as const) {
      const got = new Uint8Array(await file.slice(a, b).arrayBuffer());
      expect(got).toEqual(new Uint8Array(await blob.slice(a, b).arrayBuffer()));
    }
    file.close();
    await expect(file.slice(0, 4).arrayBuffer()).rejects.toThrow(/closed/);
    const short = join(dir, 'short.bin');
    writeFileSync(short, bytes.subarray(0, 10));
    const f2 = FileRangeBlob.open(short);
    writeFileSync(short, bytes.subarray(0, 5));
    await expect(f2.slice(0, 10).arrayBuffer()).rejects.toThrow(/ended at byte 5/);
    f2.close();
  });

  it('reads selected row groups on a worker thread the same as on the main thread', async () => {
    const fields = [schema.fields[1], schema.fields[0], schema.fields[4], field('absent', types.utf8)] as typeof schema.fields;
    const main: unknown[][] = [];
    for await (const c of readParquetSplit(path, [1, 3, 6], fields, 64)) main.push(...rowsOf([makeBatch(schemaOf(fields), c.columns)]));
    const inWorker = await readSplitInWorker(path, [1, 3, 6], fields);
    expect(inWorker).toEqual({ rows: main });
    const ids = expected.slice(GROUP, 2 * GROUP).concat(expected.slice(3 * GROUP, 4 * GROUP), expected.slice(6 * GROUP));
    expect(main).toEqual(ids.map((r) => [r[1], r[0], r[4], null]));
  });

  it('names the file, row group and column of corrupt data read on a worker thread', async () => {
    const bytes = Buffer.from(readFileSync(path));
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
    const chunk = meta.row_groups[2]?.columns.find((c) => c.meta_data?.path_in_schema[0] === 'score')?.meta_data;
    if (!chunk) throw new Error('no score chunk');
    const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
    bytes.fill(0xff, start, start + Number(chunk.total_compressed_size));
    const bad = join(dir, 'bad.parquet');
    writeFileSync(bad, bytes);
    const r = await readSplitInWorker(bad, null, schema.fields);
    expect(r).toMatchObject({ error: { code: 'CORRUPT_FILE' } });
    const message = (r as { error: { message: string } }).error.message;
    expect(message).toContain(bad);
    expect(message).toMatch(/row group 2/);
    expect(message).toContain("'score'");
  });
});
