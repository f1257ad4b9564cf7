import { describe, expect, it } from 'vitest';
import { ConsoleSink } from '../../../../sinks/console/console-sink.js';
import { localFrame } from '../../../contract/local-query-executor.js';
import { SINK_SCHEMA } from '../../../contract/sink-contract.js';

const rows = [
  [1n, 'a very long name that exceeds twenty', 1.5],
  [2n, null, null],
  [3n, 'c', 0],
] as const;

describe('ConsoleSink', () => {
  it('prints the batch banner and the first numRows rows, truncated', async () => {
    const printed: string[] = [];
    const sink = new ConsoleSink({ numRows: '2' }, (t) => printed.push(t));
    await sink.addBatch(
      7,
      localFrame(
        SINK_SCHEMA,
        rows.map((r) => [...r]),
      ),
      'append',
    );
    expect(printed).toEqual([
      [
        '-------------------------------------------',
        'Batch: 7',
        '-------------------------------------------',
        '+---+--------------------+-----+',
        '| id|                name|score|',
        '+---+--------------------+-----+',
        '|  1|a very long name ...|  1.5|',
        '|  2|                NULL| NULL|',
        '+---+--------------------+-----+',
        'only showing top 2 rows',
        '',
      ].join('\n'),
    ]);
  });

  it('prints whole cells with truncate false and skips a repeated batch', async () => {
    const printed: string[] = [];
    const sink = new ConsoleSink({ truncate: false }, (t) => printed.push(t));
    await sink.addBatch(
      0,
      localFrame(
        SINK_SCHEMA,
        rows.map((r) => [...r]),
      ),
      'complete',
    );
    await sink.addBatch(0, localFrame(SINK_SCHEMA, []), 'complete');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('|a very long name that exceeds twenty|');
    expect(printed[0]).not.toContain('only showing');
  });

  it('validates its options', () => {
    expect(() => new ConsoleSink({ numRows: 0 })).toThrow(/'numRows' of the console sink must be a positive integer/);
    expect(() => new ConsoleSink({ truncate: 'maybe' })).toThrow(/'truncate'/);
    expect(() => new ConsoleSink({ rows: 3 })).toThrow(/Unknown option 'rows'.*numRows, truncate/);
  });
});
