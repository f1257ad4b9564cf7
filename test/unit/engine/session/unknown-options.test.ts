import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvReadOptions, JsonReadOptions, ParquetWriteOptions, FileStreamReadOptions } from '../../../../index.js';
import { Sluice, SluiceError } from '../../../../index.js';
import { PARQUET_WRITE_OPTIONS } from '../../../../engine/session/write-data-frame.js';
import { FILE_READER_OPTIONS } from '../../../../sources/file/file-reader-options.js';
import { FILE_STREAM_OPTIONS } from '../../../../sources/file-stream/file-stream-options.js';

let sluice: Sluice;
let dir: string;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-options-'));
  writeFileSync(join(dir, 'a.csv'), 'id,name\n1,x\n2,y\n');
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Bypasses the option-key types, as a JS caller or a key read from configuration would. */
const anyKey = (key: string): never => key as never;

async function errorOf(fn: () => unknown): Promise<SluiceError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('expected an error');
}

describe('unknown option keys are refused when the query is built, naming the closest known key', () => {
  it('file readers (batch)', async () => {
    const csv = await errorOf(() => sluice.read.format('csv').option(anyKey('haeder'), true).load(join(dir, 'a.csv')));
    expect(csv.code).toBe('INVALID_ARGUMENT');
    expect(csv.message).toContain("Unknown option 'haeder' for the csv reader. Did you mean 'header'?");
    const parquet = await errorOf(() => sluice.read.option('header', true).parquet(dir));
    expect(parquet.message).toContain("Unknown option 'header' for the parquet reader.");
    expect(parquet.message).toContain('Accepted options: basePath.');
    const json = await errorOf(() => sluice.read.json(join(dir, 'a.csv'), { [anyKey('samplingRow')]: 10 }));
    expect(json.message).toContain("Did you mean 'samplingRows'?");
    // A known key still works.
    expect(
      await sluice.read
        .option('header', true)
        .csv(join(dir, 'a.csv'))
        .then((d) => d.count()),
    ).toBe(2);
  });

  it('streaming file sources, at load()', async () => {
    const e = await errorOf(() => sluice.readStream.format('csv').schema('id INT, name STRING').option(anyKey('maxFilesPerTriger'), 1).load(dir));
    expect(e.message).toContain("Unknown option 'maxFilesPerTriger' for the csv streaming file source. Did you mean 'maxFilesPerTrigger'?");
  });

  it('the Parquet writer, before anything is written', async () => {
    const out = join(dir, 'out');
    const df = sluice.createDataFrame([{ id: 1 }]);
    const e = await errorOf(() => df.write.option(anyKey('compresion'), 'zstd').parquet(out));
    expect(e.message).toContain("Unknown option 'compresion' for the parquet writer. Did you mean 'compression'?");
    expect(existsSync(out)).toBe(false);
  });

  it('memory and foreachBatch sinks, at start()', async () => {
    const stream = await sluice.readStream.format('rate-micro-batch').option('rowsPerBatch', 1).load();
    const memory = await errorOf(() => stream.writeStream.format('memory').queryName('m').option(anyKey('numRows'), 5).start());
    expect(memory.message).toContain("Unknown option 'numRows' for the memory sink.");
    const fb = await errorOf(() =>
      stream.writeStream
        .foreachBatch(() => undefined)
        .option(anyKey('checkpointLocaton'), join(dir, 'ckpt'))
        .start(),
    );
    expect(fb.message).toContain("Unknown option 'checkpointLocaton' for the foreachBatch sink. Did you mean 'checkpointLocation'?");
  });
});

describe('query-level options are accepted by every sink', () => {
  it('lateRowsPath goes to the query, not to the sink (console and parquet sinks start with it)', async () => {
    const stream = await sluice.readStream.format('rate-micro-batch').option('rowsPerBatch', 1).load();
    const late = join(dir, 'late');
    const console = await stream.writeStream.format('console').option('lateRowsPath', late).option('numRows', 1).start();
    await console.stop();
    const parquet = await stream.writeStream
      .format('parquet')
      .option('lateRowsPath', late)
      .option('checkpointLocation', join(dir, 'ckpt-parquet'))
      .start(join(dir, 'out-parquet'));
    await parquet.stop();
  });
});

describe('the typed option interfaces list exactly the keys the connectors accept', () => {
  it('file readers, the streaming file source and the Parquet writer', () => {
    // `satisfies Record<keyof X, 0>` makes each object list every key of the interface and no other.
    const csv = {
      basePath: 0,
      header: 0,
      sep: 0,
      delimiter: 0,
      quote: 0,
      escape: 0,
      comment: 0,
      nullValue: 0,
      inferSchema: 0,
      inferTimestamp: 0,
      mode: 0,
      columnNameOfCorruptRecord: 0,
      multiLine: 0,
      samplingRows: 0,
    } satisfies Record<keyof CsvReadOptions, 0>;
    const json = { basePath: 0, mode: 0, columnNameOfCorruptRecord: 0, samplingRows: 0, inferTimestamp: 0 } satisfies Record<keyof JsonReadOptions, 0>;
    const stream = { maxFilesPerTrigger: 0, maxBytesPerTrigger: 0, latestFirst: 0, maxFileAge: 0, schemaInference: 0, ignoreMissingFiles: 0 } satisfies Record<
      keyof FileStreamReadOptions,
      0
    >;
    const write = { compression: 0, rowGroupSize: 0, path: 0 } satisfies Record<keyof ParquetWriteOptions, 0>;
    const sorted = (o: object | readonly string[]): string[] => (Array.isArray(o) ? [...o] : Object.keys(o)).sort();
    expect(sorted(csv)).toEqual(sorted(FILE_READER_OPTIONS.csv));
    expect(sorted(json)).toEqual(sorted(FILE_READER_OPTIONS.json));
    expect(sorted(stream)).toEqual(sorted(FILE_STREAM_OPTIONS));
    expect(sorted(write)).toEqual(sorted(PARQUET_WRITE_OPTIONS));
  });
});
