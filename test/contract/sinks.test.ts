import { join } from 'node:path';
import type { JsValue } from '../../common/vector-from-values.js';
import { formatValue } from '../../dataframe/format-value.js';
import { buildFileScan } from '../../dataframe/plan/builders/build-misc.js';
import { LocalFileManager } from '../../common/log/local-file-manager.js';
import { ConsoleSink } from '../../sinks/console/console-sink.js';
import { committedFileEntries } from '../../common/log/committed-files.js';
import { FileStreamSink } from '../../sinks/file-stream/file-stream-sink.js';
import { ForeachBatchSink } from '../../sinks/foreach-batch/foreach-batch-sink.js';
import { MemorySink } from '../../sinks/memory/memory-sink.js';
import { MemorySinkRegistry } from '../../sinks/memory/memory-sink-registry.js';
import { tempDir } from './contract-fixtures.js';
import { batchRows, planRows } from './local-query-executor.js';
import { SINK_SCHEMA, sinkContract } from './sink-contract.js';

const identity = (rows: readonly (readonly JsValue[])[]): unknown[] => rows.map((r) => [...r]);

sinkContract('console', async () => {
  const printed: string[] = [];
  return {
    create: () => new ConsoleSink({}, (text) => printed.push(text)),
    written: async () =>
      printed.flatMap((text) =>
        text
          .split('\n')
          .filter((l) => l.startsWith('|'))
          .slice(1)
          .map((l) =>
            l
              .slice(1, -1)
              .split('|')
              .map((c) => c.trim()),
          ),
      ),
    expected: (rows) => rows.map((r) => r.map((v, j) => formatValue(v, SINK_SCHEMA.fields[j]!.type))),
    dedupesAcrossRestart: false,
    cleanup: async () => {},
  };
});

sinkContract('memory', async () => {
  const registry = new MemorySinkRegistry();
  return {
    create: () => new MemorySink('results', registry),
    written: async () => {
      const t = registry.get('results');
      return t === undefined ? [] : batchRows(t);
    },
    expected: identity,
    dedupesAcrossRestart: true,
    cleanup: async () => {},
  };
});

sinkContract('foreachBatch', async () => {
  const seen: JsValue[][] = [];
  return {
    create: () =>
      new ForeachBatchSink(async (df) => {
        seen.push(...batchRows(await df.collectBatch()));
      }),
    written: async () => seen,
    expected: identity,
    dedupesAcrossRestart: false,
    cleanup: async () => {},
  };
});

sinkContract('parquet', async () => {
  const { dir, cleanup } = await tempDir('sink');
  const out = join(dir, 'out');
  return {
    create: () => new FileStreamSink(out, {}, new LocalFileManager()),
    written: async () => {
      const files = await committedFileEntries(out);
      return files === null || files.length === 0 ? [] : planRows(buildFileScan('parquet', files, SINK_SCHEMA, {}));
    },
    expected: identity,
    dedupesAcrossRestart: true,
    unordered: true,
    cleanup,
  };
});
