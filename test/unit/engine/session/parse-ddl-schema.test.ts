import { describe, expect, it } from 'vitest';
import { parseDdlSchema } from '../../../../common/parse-ddl-schema.js';

describe('parseDdlSchema', () => {
  it('reads names, types and NOT NULL', () => {
    const s = parseDdlSchema('id BIGINT NOT NULL, name STRING, ts timestamp[us, UTC], d DATE');
    expect(s.fields.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ['id', { kind: 'int64' }, false],
      ['name', { kind: 'utf8' }, true],
      ['ts', { kind: 'timestamp', unit: 'us', timezone: 'UTC' }, true],
      ['d', { kind: 'date' }, true],
    ]);
  });

  it('names the bad entry and the accepted types', () => {
    expect(() => parseDdlSchema('a INT, b BLOB')).toThrow(/Unknown type 'BLOB' for column 'b'/);
    expect(() => parseDdlSchema('justaname')).toThrow(/Cannot read schema entry 'justaname'/);
    expect(() => parseDdlSchema('  ')).toThrow(/Empty schema string/);
  });

  it("accepts Spark's TIMESTAMP, TIMESTAMP_LTZ and TIMESTAMP_NTZ, and zoned forms with or without a space", () => {
    const s = parseDdlSchema('a TIMESTAMP, b TIMESTAMP_LTZ, c timestamp_ntz, d timestamp[ms,UTC], e TIMESTAMP[us, Europe/Paris]');
    expect(s.fields.map((f) => f.type)).toEqual([
      { kind: 'timestamp', unit: 'ms', timezone: null },
      { kind: 'timestamp', unit: 'ms', timezone: 'UTC' },
      { kind: 'timestamp', unit: 'ms', timezone: null },
      { kind: 'timestamp', unit: 'ms', timezone: 'UTC' },
      { kind: 'timestamp', unit: 'us', timezone: 'Europe/Paris' },
    ]);
    expect(() => parseDdlSchema('a timestamp[ns]')).toThrow(/Unknown type 'timestamp\[ns\]'/);
  });
});
