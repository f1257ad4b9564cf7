import { readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { SluiceError } from '../../../../common/errors.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import { FileSinkLog } from '../../../../common/log/file-sink-log.js';
import { FileStreamSink } from '../../../../sinks/file-stream/file-stream-sink.js';
import { tempDir } from '../../../contract/contract-fixtures.js';
import { localFrame } from '../../../contract/local-query-executor.js';
import { SINK_SCHEMA } from '../../../contract/sink-contract.js';

let dir: string;
let out: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('fsink-verify'));
  out = join(dir, 'out');
});
afterEach(async () => cleanup());

const row = (i: number): JsValue[] => [BigInt(i), `n${i}`, i / 2];
const frame = (i: number) => localFrame(SINK_SCHEMA, [row(i)]);

async function errorOf(p: Promise<unknown>): Promise<SluiceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('expected a failure');
}

async function writeBatches(n: number): Promise<void> {
  const sink = new FileStreamSink(out);
  for (let b = 0; b < n; b++) await sink.addBatch(b, frame(b), 'append');
}

describe('FileStreamSink reads its log back on the first addBatch', () => {
  it('fails a new instance on a truncated newest entry, naming the file and the way out, before writing', async () => {
    await writeBatches(2);
    const bad = join(out, '_sluice_metadata', '1');
    await truncate(bad, 10);
    const before = await readdir(out);
    const e = await errorOf(new FileStreamSink(out).addBatch(2, frame(2), 'append'));
    expect(e.code).toBe('CHECKPOINT_CORRUPT');
    expect(e.message).toContain(`'${bad}'`);
    expect(e.message).toContain('truncated or garbled');
    expect(e.message).toContain('restore');
    expect(e.message).toContain('commits/1');
    expect(await readdir(out)).toEqual(before);
  });

  it('fails also when the batch is already committed (a replay that would be skipped)', async () => {
    await writeBatches(2);
    const bad = join(out, '_sluice_metadata', '1');
    await writeFile(bad, 'garbage');
    const e = await errorOf(new FileStreamSink(out).addBatch(1, frame(1), 'append'));
    expect(e.code).toBe('CHECKPOINT_CORRUPT');
    expect(e.message).toContain(`'${bad}'`);
    expect(e.message).toContain("its first line is 'garbage'");
  });

  it('checks the compact file the newest entry depends on', async () => {
    await writeBatches(12);
    const compact = join(out, '_sluice_metadata', '9.compact');
    await writeFile(compact, 'v1\n{"files": 3}\n');
    const e = await errorOf(new FileStreamSink(out).addBatch(12, frame(12), 'append'));
    expect(e.code).toBe('CHECKPOINT_CORRUPT');
    expect(e.message).toContain(`'${compact}'`);
    expect(e.message).toContain('no files list');
  });

  it('checks once per instance, and only the newest entry and its compact file', async () => {
    const sink = new FileStreamSink(out);
    await sink.addBatch(0, frame(0), 'append');
    // Damage to an entry after the instance verified is not re-checked by every batch.
    await writeFile(join(out, '_sluice_metadata', '0'), 'garbage');
    await sink.addBatch(1, frame(1), 'append');
    expect(await readdir(join(out, '_sluice_metadata'))).toEqual(['0', '1']);
    await expect(new FileStreamSink(out).addBatch(2, frame(2), 'append')).resolves.toBeUndefined();
    expect(await readdir(join(out, '_sluice_metadata'))).toEqual(['0', '1', '2']);
  });

  it('verifyLatest passes on a missing log folder and an intact log, and names a bad newest entry', async () => {
    const log = new FileSinkLog(new LocalFileManager(), out);
    await expect(log.verifyLatest()).resolves.toBeUndefined();
    await writeBatches(11);
    await expect(log.verifyLatest()).resolves.toBeUndefined();
    await writeFile(join(out, '_sluice_metadata', '10'), 'v1\n{"files":[{"path":"p","size":1}]}\n');
    await expect(log.verifyLatest()).rejects.toThrow(/'p'\) has no valid mtimeMs/);
  });
});
