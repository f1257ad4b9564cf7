/**
 * Micro-benchmark of the Parquet scan path around parquet-wasm's decoder, on one worker
 * thread (where the engine scans). For each file of a dataset and each row group it
 * measures, interleaved in the same thread so machine load hits every variant alike:
 * - `decode`: the bare decode (`ParquetFile.read` of the row group, then freed): the floor;
 * - `blob+ipc`: the scan as it was: `fs.openAsBlob` reads, export through Arrow IPC, then
 *   `batchFromArrow`;
 * - `fd+ipc`: synchronous positioned reads ({@link FileRangeBlob}), export through IPC;
 * - `blob+ffi`: Blob reads, export through the C data interface (arrow-js-ffi);
 * - `scan`: `readParquetSplit` as the engine calls it (positioned reads + C data interface,
 *   chunks of 64Ki rows).
 * Prints the median ns/row of each over the rounds (wall time; CPU time of the worker thread,
 * which machine load disturbs far less; CPU time of the whole process, which adds libuv's
 * I/O threads and the GC's helpers), and one JSON line.
 * Run: npm run build && node dist/benchmarks/micro/parquet-scan.js [dir] [columns|all] [rounds]
 * (default: /work/main/.bench-data/tx10m or .bench-data/tx10m, W3's columns event_time,country,amount, 5).
 */
import { existsSync, openAsBlob, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ParquetFile } from 'parquet-wasm';
import { batchFromArrow } from '../../common/arrow-convert.js';
import type { Field } from '../../common/schema.js';
import { FileRangeBlob } from '../../sources/file/file-range-blob.js';
import { readParquetSplit } from '../../sources/file/parquet-reader.js';
import { arrowTableFromWasm } from '../../sources/file/wasm-arrow-export.js';
import { listParquet, tableFields } from './parquet-scan-files.js';

type Variant = 'decode' | 'blob+ipc' | 'fd+ipc' | 'blob+ffi' | 'scan';
const VARIANTS: readonly Variant[] = ['decode', 'blob+ipc', 'fd+ipc', 'blob+ffi', 'scan'];

interface Args {
  readonly files: readonly string[];
  readonly columns: readonly string[] | null;
  readonly rounds: number;
}

async function open(path: string, fd: boolean): Promise<{ pf: ParquetFile; close(): void }> {
  if (!fd) return { pf: await ParquetFile.fromFile(await openAsBlob(path)), close: () => {} };
  const file = FileRangeBlob.open(path);
  return { pf: await ParquetFile.fromFile(file as unknown as Blob), close: () => file.close() };
}

/** Rows read by one pass of `variant` over all files. */
async function pass(variant: Variant, args: Args, fieldsOf: ReadonlyMap<string, Field[]>): Promise<number> {
  let rows = 0;
  for (const path of args.files) {
    if (variant === 'scan') {
      const fields = fieldsOf.get(path) ?? [];
      for await (const chunk of readParquetSplit(path, null, fields, 65536)) rows += chunk.numRows;
      continue;
    }
    const { pf, close } = await open(path, variant === 'fd+ipc' || variant === 'decode');
    try {
      const groups = pf.metadata().numRowGroups();
      for (let rg = 0; rg < groups; rg++) {
        const options = { rowGroups: [rg], batchSize: 1 << 20, ...(args.columns ? { columns: [...args.columns] } : {}) };
        const table = await pf.read(options);
        if (variant === 'decode') {
          rows += table.numBatches ? pf.metadata().rowGroup(rg).numRows() : 0;
          table.free();
          continue;
        }
        const arrowTable = arrowTableFromWasm(table, variant === 'blob+ffi');
        for (const rb of arrowTable.batches) rows += batchFromArrow(rb).numRows;
      }
    } finally {
      pf.free();
      close();
    }
  }
  return rows;
}

/** CPU seconds the calling thread has used (Linux: /proc/thread-self/stat; elsewhere NaN). */
function threadCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

type Result = Record<Variant, { wall: number; threadCpu: number; processCpu: number }>;

async function measure(args: Args): Promise<Result> {
  const fieldsOf = new Map<string, Field[]>();
  for (const path of args.files) fieldsOf.set(path, await tableFields(path, args.columns));
  for (const v of VARIANTS) await pass(v, args, fieldsOf);
  const samples = new Map<Variant, { wall: number[]; threadCpu: number[]; processCpu: number[] }>(
    VARIANTS.map((v) => [v, { wall: [], threadCpu: [], processCpu: [] }]),
  );
  for (let r = 0; r < args.rounds; r++)
    for (const v of VARIANTS) {
      const t0 = process.hrtime.bigint();
      const c0 = threadCpuSeconds();
      const p0 = process.cpuUsage();
      const rows = await pass(v, args, fieldsOf);
      const p1 = process.cpuUsage(p0);
      const s = samples.get(v) as { wall: number[]; threadCpu: number[]; processCpu: number[] };
      s.wall.push(Number(process.hrtime.bigint() - t0) / rows);
      s.threadCpu.push(((threadCpuSeconds() - c0) * 1e9) / rows);
      s.processCpu.push(((p1.user + p1.system) * 1e3) / rows);
    }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return Object.fromEntries(
    VARIANTS.map((v) => {
      const s = samples.get(v) as { wall: number[]; threadCpu: number[]; processCpu: number[] };
      return [v, { wall: median(s.wall), threadCpu: median(s.threadCpu), processCpu: median(s.processCpu) }];
    }),
  ) as Result;
}

if (isMainThread) {
  const dir = process.argv[2] ?? (existsSync('/work/main/.bench-data/tx10m') ? '/work/main/.bench-data/tx10m' : '.bench-data/tx10m');
  const colArg = process.argv[3] ?? 'event_time,country,amount';
  const args: Args = { files: listParquet(dir), columns: colArg === 'all' ? null : colArg.split(','), rounds: Number(process.argv[4] ?? 5) };
  const before = loadavg()[0] as number;
  const worker = new Worker(new URL(import.meta.url), { workerData: args });
  worker.once('message', (res: Result) => {
    console.log('variant    ns/row: wall  worker-thread CPU  process CPU');
    for (const v of VARIANTS) {
      const r = res[v];
      console.log(`${v.padEnd(9)} ${r.wall.toFixed(1).padStart(12)} ${r.threadCpu.toFixed(1).padStart(18)} ${r.processCpu.toFixed(1).padStart(12)}`);
    }
    const load = `load average ${before.toFixed(1)} -> ${(loadavg()[0] as number).toFixed(1)} on ${cpus().length} cores`;
    console.log(load);
    console.log(JSON.stringify({ bench: 'parquet-scan', dir, columns: colArg, nsPerRow: res, load }));
  });
  worker.once('error', (e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  const res = await measure(workerData as Args);
  parentPort?.postMessage(res);
}
