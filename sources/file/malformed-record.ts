import { SluiceError } from '../../common/errors.js';

/** MALFORMED_RECORD for FAILFAST mode, naming the file, the line and what is wrong. */
export function malformedRecordError(format: 'CSV' | 'JSON', path: string, line: number, reason: string, raw: string): SluiceError {
  const shown = raw.length > 200 ? `${raw.slice(0, 200)}...` : raw;
  return new SluiceError(
    'MALFORMED_RECORD',
    `Malformed ${format} record in '${path}' at line ${line}: ${reason}. Record: ${JSON.stringify(shown)}. Fix the file, or read with option mode=PERMISSIVE (bad values become null) or mode=DROPMALFORMED (bad records are skipped).`,
  );
}
