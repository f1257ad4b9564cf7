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

const MERCHANTS = [' Acme ', 'BOOKS', 'cafe', 'Cafe ', null];
const STATUSES = ['settled', 'settled', 'settled', 'pending', 'failed'];

/**
 * Writes `files` CSV files of seeded card transactions (tx_id, user_id, merchant, amount,
 * status) into `dir`, each written aside and renamed in, as a stream source needs. Starts
 * tx ids at `firstId`; returns the next free id.
 */
export function writeTransactionFiles(dir: string, seed: number, files: number, rowsPerFile: number, firstId = 0): number {
  mkdirSync(dir, { recursive: true });
  const r = rng(seed);
  let id = firstId;
  for (let f = 0; f < files; f++) {
    const lines = ['tx_id,user_id,merchant,amount,status'];
    for (let i = 0; i < rowsPerFile; i++) {
      const merchant = MERCHANTS[Math.floor(r() * MERCHANTS.length)];
      const amount = r() < 0.05 ? '' : (Math.round((r() * 1200 - 100) * 100) / 100).toString();
      lines.push(`${id++},${Math.floor(r() * 7)},${merchant ?? ''},${amount},${STATUSES[Math.floor(r() * STATUSES.length)]}`);
    }
    const name = `tx-${String(firstId + f).padStart(6, '0')}-${f}.csv`;
    writeFileSync(join(dir, `.${name}.tmp`), `${lines.join('\n')}\n`);
    renameSync(join(dir, `.${name}.tmp`), join(dir, name));
  }
  return id;
}
