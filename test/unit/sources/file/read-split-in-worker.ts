import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Field } from '../../../../common/schema.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { readParquetSplit } from '../../../../sources/file/parquet-reader.js';

/** What a worker thread read: rows, or the error's code and message. */
export type WorkerRead = { rows: JsValue[][] } | { error: { code: string | undefined; message: string } };

interface Job {
  readonly job: 'read-split-in-worker';
  readonly path: string;
  readonly rowGroups: readonly number[] | null;
  readonly fields: readonly Field[];
}

/**
 * Runs `readParquetSplit` on a worker thread (where it reads through positioned file reads
 * instead of `fs.openAsBlob`) and returns the rows it yielded, or its error.
 */
export function readSplitInWorker(path: string, rowGroups: readonly number[] | null, fields: readonly Field[]): Promise<WorkerRead> {
  const self = pathToFileURL(new URL(import.meta.url).pathname).href;
  const code = `const { parentPort } = require('node:worker_threads');
import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(self)}, ${JSON.stringify(self)})).catch((e) => parentPort.postMessage({ error: { code: 'LOAD', message: String(e) } }));`;
  const job: Job = { job: 'read-split-in-worker', path, rowGroups, fields };
  const worker = new Worker(code, { eval: true, workerData: job });
  return new Promise<WorkerRead>((resolve, reject) => {
    worker.once('message', (m: WorkerRead) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function run(job: Job): Promise<WorkerRead> {
  const rows: JsValue[][] = [];
  try {
    for await (const chunk of readParquetSplit(job.path, job.rowGroups, job.fields, 64))
      for (let i = 0; i < chunk.numRows; i++) rows.push(chunk.columns.map((c) => valueAt(c, i)));
    return { rows };
  } catch (e) {
    return { error: { code: (e as { code?: string }).code, message: (e as Error).message } };
  }
}

if (!isMainThread && (workerData as Job | undefined)?.job === 'read-split-in-worker') {
  void run(workerData as Job).then((r) => parentPort?.postMessage(r));
}
