import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../../common/errors.js';
import type { StreamingQuery } from '../../../dataframe/streaming-query.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { Trigger } from '../../../scheduler/trigger.js';
import { writeKvCsv } from '../../helpers/kv-csv-files.js';

// Writers killed in the middle of an atomic write leave `.<name>.<random>.sluice-tmp` files.
// A query removes them when it starts: in its checkpoint (under its lock) and in its Parquet
// sink folder (which belongs to it alone), never those of a writer that is still alive.

let sluice: Sluice;
let dir: string;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-temp-cleanup-'));
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

function start(input: string, checkpoint: string, out: string, trigger = Trigger.availableNow()): Promise<StreamingQuery> {
  return sluice.readStream
    .format('csv')
    .schema('k STRING, v BIGINT')
    .option('header', true)
    .option('maxFilesPerTrigger', 1)
    .load(input)
    .then((df) => df.writeStream.format('parquet').option('checkpointLocation', checkpoint).trigger(trigger).start(out));
}

/** Writes a file (making its folder), optionally dated `ageMs` in the past. */
function plant(path: string, ageMs = 0): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'half-written');
  if (ageMs > 0) {
    const t = (Date.now() - ageMs) / 1000;
    utimesSync(path, t, t);
  }
  return path;
}

async function keys(out: string): Promise<string[]> {
  return (await (await sluice.read.parquet(out)).toArray()).map((r) => String(r.k)).sort();
}

describe('leftover temp files are removed when a query starts', () => {
  it('in the checkpoint and the sink folder, keeping other files and young lock attempts', async () => {
    const input = join(dir, 'a-in');
    const ckpt = join(dir, 'a-ckpt');
    const out = join(dir, 'a-out');
    mkdirSync(input);
    writeKvCsv(input, 'f0.csv', ['k0,0']);
    writeKvCsv(input, 'f1.csv', ['k1,1']);
    const q = await start(input, ckpt, out);
    expect(await q.awaitTermination(20_000)).toBe(true);

    const leftovers = [
      plant(join(ckpt, 'offsets', '.2.0a1b2c3d4e5f.sluice-tmp')),
      plant(join(ckpt, 'commits', '.2.0a1b2c3d4e5f.sluice-tmp')),
      plant(join(ckpt, 'sources', '0', '.2.0a1b2c3d4e5f.sluice-tmp')),
      plant(join(ckpt, 'state', '0', '1', '.3.delta.0a1b2c3d4e5f.sluice-tmp')),
      plant(join(ckpt, '.metadata.0a1b2c3d4e5f.sluice-tmp'), 10 * 60_000),
      plant(join(out, '.part-00002-5d1e7c3a-0000-4000-8000-000000000000.zstd.parquet.9a8b7c6d-0000-4000-8000-000000000000.sluice-tmp')),
      plant(join(out, 'k=x', '.part-00002-x.zstd.parquet.y.sluice-tmp')),
      plant(join(out, '_sluice_metadata', '.2.0a1b2c3d4e5f.sluice-tmp')),
    ];
    const kept = [
      // Another process may be trying to take the lock right now: its temp file is young.
      plant(join(ckpt, '.lock.0a1b2c3d4e5f.sluice-tmp')),
      plant(join(ckpt, 'offsets', 'notes.txt')),
      plant(join(out, 'notes.tmp')),
      plant(join(out, '.keep')),
    ];
    writeKvCsv(input, 'f2.csv', ['k2,2']);
    const again = await start(input, ckpt, out);
    expect(await again.awaitTermination(20_000)).toBe(true);
    expect(leftovers.filter((p) => existsSync(p))).toEqual([]);
    expect(kept.filter((p) => !existsSync(p))).toEqual([]);
    expect(readdirSync(join(ckpt, 'commits')).sort()).toEqual(['0', '1', '2']);
    expect(await keys(out)).toEqual(['k0', 'k1', 'k2']);
  });

  it('not those of a query that is running: a second query on its checkpoint or its folder is refused first', async () => {
    const input = join(dir, 'b-in');
    const ckpt = join(dir, 'b-ckpt');
    const out = join(dir, 'b-out');
    mkdirSync(input);
    writeKvCsv(input, 'f0.csv', ['k0,0']);
    const running = await start(input, ckpt, out, Trigger.processingTime(0));
    try {
      await running.processAllAvailable();
      const live = [
        plant(join(ckpt, 'offsets', '.1.0a1b2c3d4e5f.sluice-tmp')),
        plant(join(ckpt, 'state', '.x.sluice-tmp')),
        plant(join(out, '.part-00001-x.zstd.parquet.y.sluice-tmp')),
        plant(join(out, '_sluice_metadata', '.1.0a1b2c3d4e5f.sluice-tmp')),
      ];
      const locked = await start(input, ckpt, out, Trigger.processingTime(0)).catch((e: unknown) => e);
      expect(locked).toBeInstanceOf(SluiceError);
      expect((locked as SluiceError).code).toBe('CHECKPOINT_LOCKED');
      const other = await start(input, join(dir, 'b-ckpt-2'), out, Trigger.processingTime(0)).catch((e: unknown) => e);
      expect((other as SluiceError).code).toBe('SINK_CONFLICT');
      expect(live.filter((p) => !existsSync(p))).toEqual([]);
      expect(running.isActive).toBe(true);
    } finally {
      await running.stop();
    }
    expect(running.exception).toBeNull();
    expect(await keys(out)).toEqual(['k0']);
  });
});
