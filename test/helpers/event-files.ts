import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Event time of the first file: 2026-01-01T00:00:00Z. */
export const EVENTS_T0_MS = Date.UTC(2026, 0, 1);
/** Event time step between files: file `g` holds times in [T0 + g·20 s - 15 s, T0 + g·20 s + 15 s), overlapping its neighbours. */
export const EVENTS_FILE_SPAN_MS = 20_000;
/** The DDL schema of the event files. */
export const EVENTS_SCHEMA = 'event_id BIGINT, t TIMESTAMP, card_id BIGINT, merchant STRING, amount DOUBLE, kind STRING';

const MERCHANTS = ['acme', 'books', 'cafe', 'grocer', 'fuel'];

const iso = (ms: number): string => new Date(ms).toISOString();

function writeAtomically(dir: string, name: string, lines: readonly string[]): void {
  writeFileSync(join(dir, `.${name}.tmp`), `${lines.join('\n')}\n`);
  renameSync(join(dir, `.${name}.tmp`), join(dir, name));
}

/**
 * Writes `files` CSV files of card events (columns of {@link EVENTS_SCHEMA}, `kind` =
 * 'event') into `dir`, starting at file index `first`, each written aside and renamed in,
 * as a stream source needs. File `g` holds `rowsPerFile` events with times in
 * [T0 + 20 s·g - 15 s, T0 + 20 s·g + 15 s): a file overlaps the previous one by 10 s, so
 * rows arrive out of event-time order across batches, yet a watermark delay of 30 s or more
 * never makes a row late when files are taken one per batch in order. Some events are delivered twice
 * (an identical copy in the same or the next file), for deduplication. The content of a
 * file depends only on its index. Returns the next free file index.
 */
export function writeEventFiles(dir: string, first: number, files: number, rowsPerFile: number): number {
  mkdirSync(dir, { recursive: true });
  let carried: string[] = first > 0 ? redeliveredFrom(first - 1, rowsPerFile) : [];
  for (let g = first; g < first + files; g++) {
    const lines = ['event_id,t,card_id,merchant,amount,kind', ...carried];
    const { rows, redeliverNow, redeliverNext } = fileRows(g, rowsPerFile);
    lines.push(...rows, ...redeliverNow);
    carried = redeliverNext;
    writeAtomically(dir, `ev-${String(g).padStart(6, '0')}.csv`, lines);
  }
  return first + files;
}

/** The copies file `g` hands to file `g + 1`. */
function redeliveredFrom(g: number, rowsPerFile: number): string[] {
  return fileRows(g, rowsPerFile).redeliverNext;
}

function fileRows(g: number, rowsPerFile: number): { rows: string[]; redeliverNow: string[]; redeliverNext: string[] } {
  const r = rng(1000 + g);
  const base = EVENTS_T0_MS + g * EVENTS_FILE_SPAN_MS;
  const rows: string[] = [];
  const redeliverNow: string[] = [];
  const redeliverNext: string[] = [];
  for (let i = 0; i < rowsPerFile; i++) {
    const id = g * rowsPerFile + i;
    const t = base - 15_000 + Math.floor(r() * 30_000);
    const card = Math.floor(r() * 4);
    const merchant = MERCHANTS[Math.floor(r() * MERCHANTS.length)] as string;
    const amount = Math.round(r() * 50_000) / 100;
    const line = `${id},${iso(t)},${card},${merchant},${amount},event`;
    rows.push(line);
    const dup = r();
    if (dup < 0.1) redeliverNow.push(line);
    else if (dup < 0.2) redeliverNext.push(line);
  }
  return { rows, redeliverNow, redeliverNext };
}

/**
 * Writes the closing file after file `next - 1`: a heartbeat row (`kind` = 'heartbeat')
 * `afterMs` past the last event time, so an event-time query's watermark passes the end
 * of the data, plus the copies the last file hands on. Jobs drop heartbeats after
 * `withWatermark` with a filter that reads the event-time column (one that does not runs
 * before the watermark), so they move event time but are never counted.
 */
export function writeHeartbeatFile(dir: string, next: number, rowsPerFile: number, afterMs = 10 * 60_000): void {
  const lastEvent = EVENTS_T0_MS + next * EVENTS_FILE_SPAN_MS;
  const lines = ['event_id,t,card_id,merchant,amount,kind', ...(next > 0 ? redeliveredFrom(next - 1, rowsPerFile) : [])];
  lines.push(`-1,${iso(lastEvent + afterMs)},,,,heartbeat`);
  writeAtomically(dir, `ev-${String(next).padStart(6, '0')}.csv`, lines);
}
