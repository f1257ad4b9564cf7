import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { formatTextTimestamp } from '../../../../sinks/file/text-cells.js';
import { encodeCsv, encodeJson } from '../../../../sinks/file/text-encoders.js';
import { csvWriteOptions, jsonWriteOptions } from '../../../../sinks/file/text-write-options.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const schema = schemaOf([field('s', types.utf8)]);
const rows = (values: (string | null)[]) => [makeBatch(schema, [vectorFromValues(types.utf8, values)], values.length)];

describe('encodeCsv', () => {
  it('quotes separators, quotes and line breaks; escapes quotes with the escape character', () => {
    const out = text(encodeCsv(schema, rows(['a;b', 'q"x', 'line\nbreak', 'cr\rx', 'plain']), csvWriteOptions({ sep: ';' })));
    expect(out).toBe('"a;b"\n"q\\"x"\n"line\nbreak"\n"cr\rx"\nplain\n');
  });

  it('honours quote, escape, escapeQuotes, whitespace trimming, emptyValue and nullValue', () => {
    const values = ['  pad  ', "it's", '', null];
    expect(text(encodeCsv(schema, rows(values), csvWriteOptions({ quote: "'", escape: "'" })))).toBe("pad\n'it''s'\n\"\"\n\n");
    expect(
      text(
        encodeCsv(
          schema,
          rows(values),
          csvWriteOptions({ ignoreLeadingWhiteSpace: false, ignoreTrailingWhiteSpace: 'false', escapeQuotes: false, emptyValue: 'E', nullValue: 'N' }),
        ),
      ),
    ).toBe("  pad  \nit's\nE\nN\n");
  });

  it('writes the header alone for no rows, and nothing without one', () => {
    expect(text(encodeCsv(schema, [], csvWriteOptions({ header: true })))).toBe('s\n');
    expect(text(encodeCsv(schema, [], csvWriteOptions({})))).toBe('');
  });

  it('refuses bad option values', () => {
    expect(() => csvWriteOptions({ sep: '::' })).toThrow(/'sep' of the CSV writer must be a single character/);
    expect(() => csvWriteOptions({ header: 'yes' })).toThrow(/'header' of the CSV writer must be true or false/);
  });
});

describe('encodeJson', () => {
  it('escapes strings as JSON and keeps nulls only with ignoreNullFields=false', () => {
    const values = ['tab\there', 'quote"and\\', 'ünï', null];
    expect(text(encodeJson(schema, rows(values), jsonWriteOptions({})))).toBe('{"s":"tab\\there"}\n{"s":"quote\\"and\\\\"}\n{"s":"ünï"}\n{}\n');
    expect(text(encodeJson(schema, rows([null]), jsonWriteOptions({ ignoreNullFields: false })))).toBe('{"s":null}\n');
  });
});

describe('formatTextTimestamp', () => {
  it("is Spark's yyyy-MM-dd'T'HH:mm:ss.SSSXXX in UTC, before 1970 too, microseconds cut", () => {
    expect(formatTextTimestamp(1_706_695_200_123_456n)).toBe('2024-01-31T10:00:00.123Z');
    expect(formatTextTimestamp(-1n)).toBe('1969-12-31T23:59:59.999Z');
    expect(formatTextTimestamp(0n)).toBe('1970-01-01T00:00:00.000Z');
  });
});
