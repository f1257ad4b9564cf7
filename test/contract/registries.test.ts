import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFileManager } from '../../common/log/local-file-manager.js';
import { ManualClock } from '../../scheduler/manual-clock.js';
import { MemorySinkRegistry } from '../../sinks/memory/memory-sink-registry.js';
import { createSink, SINK_FORMATS } from '../../sinks/sink-registry.js';
import type { SourceFactoryArgs } from '../../sources/source-registry.js';
import { createSource, SOURCE_FORMATS } from '../../sources/source-registry.js';
import { PEOPLE, tempDir } from './contract-fixtures.js';

const base = (over: Partial<SourceFactoryArgs>): SourceFactoryArgs => ({
  options: {},
  schema: null,
  path: null,
  metadataPath: '/nonexistent/sources/0',
  fileManager: new LocalFileManager(),
  clock: new ManualClock(0),
  ...over,
});

describe('source registry', () => {
  it('lists the formats and builds each source', async () => {
    expect(SOURCE_FORMATS).toEqual(['rate', 'rate-micro-batch', 'kafka', 'parquet', 'csv', 'json', 'redis-stream', 'replay']);
    expect((await createSource('rate', base({ options: { rowsPerSecond: 5 } }))).description).toContain('rowsPerSecond=5');
    expect((await createSource('RATE-MICRO-BATCH', base({ options: { rowsPerBatch: 5 } }))).description).toContain('rowsPerBatch=5');
    const { dir, cleanup } = await tempDir('reg');
    try {
      await mkdir(join(dir, 'in'));
      const s = await createSource('csv', base({ path: join(dir, 'in'), schema: PEOPLE, metadataPath: join(dir, 'cp') }));
      expect(s.description).toContain('FileStreamSource[csv');
    } finally {
      await cleanup();
    }
  });

  it('rejects unknown formats and misplaced arguments', async () => {
    await expect(createSource('kinesis', base({}))).rejects.toThrow(
      /Unknown streaming source format 'kinesis'. Formats: rate, rate-micro-batch, kafka, parquet, csv, json, redis-stream, replay/,
    );
    await expect(createSource('kafka', base({ options: { 'kafka.bootstrap.servers': 'h:1', subscribe: 't', startingOffset: 'earliest' } }))).rejects.toThrow(
      /Did you mean 'startingOffsets'/,
    );
    await expect(createSource('kafka', base({ path: '/x', options: { 'kafka.bootstrap.servers': 'h:1', subscribe: 't' } }))).rejects.toThrow(/reads no path/);
    await expect(createSource('rate', base({ schema: PEOPLE }))).rejects.toThrow(/fixed schema/);
    await expect(createSource('replay', base({}))).rejects.toThrow(/replay source needs Parquet input/);
    await expect(createSource('json', base({ schema: PEOPLE }))).rejects.toThrow(/needs a folder or glob/);
  });
});

describe('sink registry', () => {
  const args = {
    options: {},
    path: null,
    queryName: null,
    fileManager: new LocalFileManager(),
    memoryRegistry: new MemorySinkRegistry(),
    foreachBatch: null,
  };

  it('lists the formats and builds each sink', () => {
    expect(SINK_FORMATS).toEqual(['console', 'memory', 'parquet', 'csv', 'json', 'foreachBatch', 'foreach', 'kafka', 'redis']);
    expect(createSink('console', args).description).toBe('ConsoleSink');
    expect(createSink('memory', { ...args, queryName: 'q' }).description).toBe('MemorySink[q]');
    expect(createSink('parquet', { ...args, path: '/tmp/x-out' }).description).toBe('FileStreamSink[/tmp/x-out]');
    expect(createSink('csv', { ...args, path: '/tmp/x-out' }).description).toBe('FileStreamSink[csv, /tmp/x-out]');
    expect(createSink('json', { ...args, path: '/tmp/x-out' }).description).toBe('FileStreamSink[json, /tmp/x-out]');
    expect(createSink('foreachbatch', { ...args, foreachBatch: () => {} }).description).toBe('ForeachBatchSink');
    expect(createSink('foreach', { ...args, foreachWriter: { open: () => true, process: () => {}, close: () => {} } }).description).toBe('ForeachSink');
    expect(createSink('redis', { ...args, options: { url: 'redis://127.0.0.1:1', key: 'user:{id}' } }).description).toBe('RedisSink[hash user:{}]');
  });

  it('names what is missing', () => {
    expect(() => createSink('memory', args)).toThrow(/needs a query name/);
    expect(() => createSink('parquet', args)).toThrow(/needs an output folder/);
    expect(() => createSink('csv', args)).toThrow(/The csv sink needs an output folder/);
    expect(() => createSink('foreachBatch', args)).toThrow(/needs a function/);
    expect(() => createSink('foreach', args)).toThrow(/The foreach sink needs a writer/);
    expect(() => createSink('kafka', args)).toThrow(/needs option 'kafka.bootstrap.servers'/);
    expect(() => createSink('redis', args)).toThrow(/needs option 'url'/);
    expect(() => createSink('nosuch', args)).toThrow(
      /Unknown sink format 'nosuch'. Formats: console, memory, parquet, csv, json, foreachBatch, foreach, kafka, redis/,
    );
  });
});
