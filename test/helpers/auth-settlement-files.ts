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

const T0 = Date.UTC(2026, 0, 1);
/** Event time covered by file `g` of either side: [T0 + 20 s·g - 5 s, T0 + 20 s·g + 15 s). */
const SPAN_MS = 20_000;
/** A settlement comes 1 to 60 seconds after its authorisation, or never (about one in eight). */
const MAX_SETTLE_DELAY_MS = 60_000;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The DDL schema of the authorisation files. */
export const AUTHS_SCHEMA = 'auth_id BIGINT, auth_time TIMESTAMP, card_id BIGINT, amount DOUBLE, kind STRING';
/** The DDL schema of the settlement files. */
export const SETTLEMENTS_SCHEMA = 'settled_auth_id BIGINT, settle_time TIMESTAMP, settled_amount DOUBLE, kind STRING';

interface Auth {
  readonly id: number;
  readonly t: number;
  readonly card: number;
  readonly amount: number;
  /** Settlement time, or null when it never settles. */
  readonly settledAt: number | null;
}

function authsOf(g: number, rowsPerFile: number): Auth[] {
  const r = rng(5000 + g);
  const base = T0 + g * SPAN_MS;
  const out: Auth[] = [];
  for (let i = 0; i < rowsPerFile; i++) {
    const t = base - 5_000 + Math.floor(r() * 20_000);
    const card = Math.floor(r() * 6);
    const amount = Math.round(r() * 50_000) / 100;
    const settledAt = r() < 0.125 ? null : t + 1_000 + Math.floor(r() * (MAX_SETTLE_DELAY_MS - 1_000));
    out.push({ id: g * rowsPerFile + i, t, card, amount, settledAt });
  }
  return out;
}

/** The file a time belongs to (its range [base - 5 s, base + 15 s)). */
const fileOf = (t: number): number => Math.floor((t - T0 + 5_000) / SPAN_MS);

function writeAtomically(dir: string, name: string, lines: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `.${name}.tmp`), `${lines.join('\n')}\n`);
  renameSync(join(dir, `.${name}.tmp`), join(dir, name));
}

/**
 * Writes files `first` to `first + files - 1` of both sides: authorisations into `authDir`
 * and settlements into `settleDir`. Settlement file `h` holds the settlements whose time
 * falls in its range, so both sides move through event time at the same pace and, taken one
 * file per side per batch, no row is ever behind a 30-second watermark. Some
 * authorisations never settle; settlements past the last file written are never written.
 * Returns the next file index.
 */
export function writeAuthSettlementFiles(authDir: string, settleDir: string, first: number, files: number, rowsPerFile: number): number {
  for (let g = first; g < first + files; g++) {
    const auths = authsOf(g, rowsPerFile).map((a) => `${a.id},${iso(a.t)},${a.card},${a.amount},auth`);
    writeAtomically(authDir, `auth-${String(g).padStart(6, '0')}.csv`, ['auth_id,auth_time,card_id,amount,kind', ...auths]);
    const settles: string[] = [];
    // A settlement is at most 60 s after an authorisation at least base - 5 s: from the last 4 files.
    for (let a = Math.max(0, g - 4); a <= g; a++) {
      for (const x of authsOf(a, rowsPerFile)) {
        if (x.settledAt === null || fileOf(x.settledAt) !== g) continue;
        settles.push(`${x.id},${iso(x.settledAt)},${Math.round(x.amount * 0.98 * 100) / 100},settlement`);
      }
    }
    writeAtomically(settleDir, `settle-${String(g).padStart(6, '0')}.csv`, ['settled_auth_id,settle_time,settled_amount,kind', ...settles]);
  }
  return first + files;
}

/**
 * Writes the closing file of each side after file `next - 1`: one heartbeat row (`kind` =
 * 'heartbeat') 10 minutes past the data, so the watermark of both inputs passes the end
 * and the unmatched authorisations are emitted. Jobs drop heartbeats after `withWatermark`
 * with a filter that reads the event-time column (one that does not runs before the watermark).
 */
export function writeAuthSettlementHeartbeats(authDir: string, settleDir: string, next: number): void {
  const t = iso(T0 + next * SPAN_MS + 10 * 60_000);
  writeAtomically(authDir, `auth-${String(next).padStart(6, '0')}.csv`, ['auth_id,auth_time,card_id,amount,kind', `-1,${t},,,heartbeat`]);
  writeAtomically(settleDir, `settle-${String(next).padStart(6, '0')}.csv`, ['settled_auth_id,settle_time,settled_amount,kind', `-1,${t},,heartbeat`]);
}
