import { createReadStream } from 'node:fs';
import { SluiceError } from '../../common/errors.js';
import { MISSING_INPUT_FILE_WAY_OUT } from './parquet-footer.js';

/** Bytes read per chunk of a text file. */
export const TEXT_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Decodes a UTF-8 text file in chunks of about `chunkBytes` bytes (a leading BOM is
 * dropped). Each yielded string ends at a chunk boundary, which may fall inside a record:
 * parsers carry the incomplete tail over to the next chunk.
 */
export async function* textChunks(path: string, chunkBytes = TEXT_CHUNK_BYTES): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let first = true;
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  try {
    for await (const buf of stream) {
      let text = decoder.decode(buf as Buffer, { stream: true });
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      if (text.length > 0) yield text;
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT')
      throw new SluiceError('FILE_NOT_FOUND', `Input file '${path}' does not exist any more. ${MISSING_INPUT_FILE_WAY_OUT}`, { cause: e });
    throw new SluiceError('CORRUPT_FILE', `Cannot read file '${path}': ${(e as Error).message}.`, { cause: e, domain: 'external' });
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}
