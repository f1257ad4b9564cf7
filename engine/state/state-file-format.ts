import { crc32 } from 'node:zlib';
import { SluiceError } from '../../common/errors.js';
import { checkpointCorrupt } from '../../common/log/checkpoint-errors.js';
import { hashKeyBytes } from './key-hash.js';
import type { KeyValueMap } from './key-value-map.js';
import { REMOVED } from './key-value-map.js';

/** Whether a state file holds the changes of one version or a whole version. */
export type StateFileKind = 'delta' | 'snapshot';

const MAGIC = 0x54534c53; // "SLST" read as a little-endian u32
const FORMAT_VERSION = 1;
/** Bytes before the records: magic, format, kind, reserved, fingerprint, version, puts, removes, payload length. */
export const STATE_FILE_HEADER_BYTES = 36;
/** Bytes after the records: the CRC-32 of everything before it. */
export const STATE_FILE_TRAILER_BYTES = 4;
/** Record overhead: tag + key length + value length for a put; tag + key length for a remove. */
export const PUT_RECORD_OVERHEAD = 9;
/** Record overhead of a remove. */
export const REMOVE_RECORD_OVERHEAD = 5;

const TAG_PUT = 1;
const TAG_REMOVE = 2;

/**
 * Serializes the entries of `map` as a state file. For a delta, entries with value length
 * {@link REMOVED} become remove records; a snapshot holds only puts. Layout (little-endian):
 * header `SLST`, format u8, kind u8 (1 delta, 2 snapshot), u16 0, schema fingerprint u32,
 * state version f64, puts u32, removes u32, payload length f64; then records
 * (`1, keyLen u32, valLen u32, key, value` or `2, keyLen u32, key`); then a CRC-32.
 */
export function encodeStateFile(kind: StateFileKind, version: number, fingerprint: number, map: KeyValueMap): Uint8Array {
  const n = map.entryCount;
  const keyLen = map.keyLen;
  const keyOff = map.keyOff;
  const valLen = map.valLen;
  const valOff = map.valOff;
  let payload = 0;
  for (let e = 0; e < n; e++) {
    const kl = keyLen[e] as number;
    if (kl < 0) continue;
    const vl = valLen[e] as number;
    payload += vl === REMOVED ? REMOVE_RECORD_OVERHEAD + kl : PUT_RECORD_OVERHEAD + kl + vl;
  }
  const out = new Uint8Array(STATE_FILE_HEADER_BYTES + payload + STATE_FILE_TRAILER_BYTES);
  const view = new DataView(out.buffer);
  let puts = 0;
  let removes = 0;
  let at = STATE_FILE_HEADER_BYTES;
  const kb = map.keys.bytes;
  const vb = map.values.bytes;
  for (let e = 0; e < n; e++) {
    const kl = keyLen[e] as number;
    if (kl < 0) continue;
    const vl = valLen[e] as number;
    if (vl === REMOVED) {
      out[at] = TAG_REMOVE;
      putU32(out, at + 1, kl);
      at += REMOVE_RECORD_OVERHEAD;
      copyBytes(kb, keyOff[e] as number, kl, out, at);
      at += kl;
      removes++;
      continue;
    }
    out[at] = TAG_PUT;
    putU32(out, at + 1, kl);
    putU32(out, at + 5, vl);
    at += PUT_RECORD_OVERHEAD;
    copyBytes(kb, keyOff[e] as number, kl, out, at);
    at += kl;
    copyBytes(vb, valOff[e] as number, vl, out, at);
    at += vl;
    puts++;
  }
  view.setUint32(0, MAGIC, true);
  out[4] = FORMAT_VERSION;
  out[5] = kind === 'delta' ? 1 : 2;
  view.setUint32(8, fingerprint, true);
  view.setFloat64(12, version, true);
  view.setUint32(20, puts, true);
  view.setUint32(24, removes, true);
  view.setFloat64(28, payload, true);
  view.setUint32(at, crc32(out.subarray(0, at)), true);
  return out;
}

/** Writes `v` as a little-endian u32 at `out[at]` (plain byte stores, cheaper than a DataView call per record). */
function putU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 255;
  out[at + 1] = (v >>> 8) & 255;
  out[at + 2] = (v >>> 16) & 255;
  out[at + 3] = v >>> 24;
}

/** Copies `src[from, from + n)` to `dst[at...]`: short runs (keys and values usually are) by a loop, which beats creating a subarray view per record. */
function copyBytes(src: Uint8Array, from: number, n: number, dst: Uint8Array, at: number): void {
  if (n <= 64) for (let k = 0; k < n; k++) dst[at + k] = src[from + k] as number;
  else dst.set(src.subarray(from, from + n), at);
}

/** What a checked state file says about itself. */
export interface StateFileHeader {
  readonly version: number;
  readonly fingerprint: number;
  readonly puts: number;
  readonly removes: number;
}

const WAY_OUT = 'The state cannot be rebuilt without it: restore it from a backup, or start the query with a new checkpoint location.';

/**
 * Checks a state file (length, magic, format, kind, checksum, schema fingerprint) and applies its records to
 * `map`: puts set, removes delete. Throws CHECKPOINT_CORRUPT naming `path` when the file is
 * truncated, garbled or of an unknown format, and INVALID_PLAN when it was written for
 * other key/value types.
 */
export function applyStateFile(path: string, bytes: Uint8Array, kind: StateFileKind, fingerprint: number, map: KeyValueMap): StateFileHeader {
  const bad = (problem: string): Error => checkpointCorrupt(path, problem, WAY_OUT);
  const total = bytes.length;
  if (total < STATE_FILE_HEADER_BYTES + STATE_FILE_TRAILER_BYTES) throw bad(`it is truncated (${total} bytes, shorter than a header)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, total);
  if (view.getUint32(0, true) !== MAGIC) throw bad('it is not a Sluice state file (bad magic bytes)');
  if (bytes[4] !== FORMAT_VERSION) throw bad(`it has state format ${bytes[4]} and this Sluice reads only ${FORMAT_VERSION}`);
  if (bytes[5] !== (kind === 'delta' ? 1 : 2)) throw bad(`it is not a ${kind} file`);
  const payload = view.getFloat64(28, true);
  if (payload !== total - STATE_FILE_HEADER_BYTES - STATE_FILE_TRAILER_BYTES)
    throw bad(`it is truncated or padded (${total} bytes; the header promises ${payload} bytes of records)`);
  const end = total - STATE_FILE_TRAILER_BYTES;
  if (view.getUint32(end, true) !== crc32(bytes.subarray(0, end))) throw bad('its checksum does not match its content');
  const header: StateFileHeader = {
    version: view.getFloat64(12, true),
    fingerprint: view.getUint32(8, true),
    puts: view.getUint32(20, true),
    removes: view.getUint32(24, true),
  };
  if (header.fingerprint !== fingerprint) {
    throw new SluiceError(
      'INVALID_PLAN',
      `State file '${path}' was written for different key or value columns (schema fingerprint ${header.fingerprint}, this query has ${fingerprint}). ` +
        'Changing the keys or aggregates of a stateful query is not supported: start the query with a new checkpoint location.',
    );
  }
  let at = STATE_FILE_HEADER_BYTES;
  let puts = 0;
  let removes = 0;
  while (at < end) {
    const tag = bytes[at];
    if (at + (tag === TAG_PUT ? PUT_RECORD_OVERHEAD : REMOVE_RECORD_OVERHEAD) > end) throw bad('a record runs past the end of the file');
    const kl = view.getUint32(at + 1, true);
    if (tag === TAG_PUT) {
      const vl = view.getUint32(at + 5, true);
      const ks = at + PUT_RECORD_OVERHEAD;
      const vs = ks + kl;
      at = vs + vl;
      if (at > end) throw bad('a record runs past the end of the file');
      map.set(bytes, ks, vs, hashKeyBytes(bytes, ks, vs), bytes, vs, at);
      puts++;
    } else if (tag === TAG_REMOVE) {
      const ks = at + REMOVE_RECORD_OVERHEAD;
      at = ks + kl;
      if (at > end) throw bad('a record runs past the end of the file');
      map.delete(bytes, ks, at, hashKeyBytes(bytes, ks, at));
      removes++;
    } else {
      throw bad(`unknown record tag ${tag} at byte ${at}`);
    }
  }
  if (puts !== header.puts || removes !== header.removes)
    throw bad(`it holds ${puts} puts and ${removes} removes; the header promises ${header.puts} and ${header.removes}`);
  return header;
}
