import { readFile } from 'node:fs/promises';
import { WINDOW_MS } from './tx-json.js';

/**
 * What a load generator produced (LoadGenerator.java writes it), grouped: one entry per
 * (produce timestamp, partition, window start) with the number of records. Every record of
 * one produce tick carries the same Kafka timestamp (the tick's wall-clock ms), so the log
 * stays small (ticks x partitions x windows touched) yet says exactly which records exist,
 * where, and when they were produced. Entries are flat: `[ts, partition, window, n]`.
 */
export type ProduceLog = Float64Array;

/** Reads a produce log file (little-endian float64s, 4 per entry). */
export async function readProduceLog(path: string): Promise<ProduceLog> {
  const bytes = await readFile(path);
  if (bytes.length % 32 !== 0) throw new Error(`kafka-e2e: produce log ${path} has ${bytes.length} bytes, not a multiple of 32.`);
  const out = new Float64Array(bytes.length / 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

/** Several logs as one. */
export function concatLogs(logs: readonly ProduceLog[]): ProduceLog {
  const out = new Float64Array(logs.reduce((s, l) => s + l.length, 0));
  let o = 0;
  for (const l of logs) {
    out.set(l, o);
    o += l.length;
  }
  return out;
}

/** Total records in a log. */
export function logRecords(log: ProduceLog): number {
  let n = 0;
  for (let i = 3; i < log.length; i += 4) n += log[i] as number;
  return n;
}

/** Start (epoch ms) of the tumbling window holding event time `eventMs`. */
export function windowStartOf(eventMs: number): number {
  return Math.floor(eventMs / WINDOW_MS) * WINDOW_MS;
}
