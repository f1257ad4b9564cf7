import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../common/errors.js';
import type { StreamingQueryProgress } from '../../../dataframe/query-progress.js';
import { QueryProgressReporter } from '../../../jobs/cli/query-progress-reporter.js';

function stream(isTTY: boolean): { isTTY: boolean; text: string; write(t: string): void } {
  return {
    isTTY,
    text: '',
    write(t: string) {
      this.text += t;
    },
  };
}

function progress(id: string, batchId: number, late: number, watermark = '2024-01-01T00:01:00.000Z'): StreamingQueryProgress {
  return {
    id,
    runId: `${id}-run`,
    name: id === 'q1' ? 'alerts' : null,
    timestamp: '2026-01-01T00:00:00.000Z',
    batchId,
    batchDuration: 250.4,
    numInputRows: 1000,
    inputRowsPerSecond: 12_345,
    processedRowsPerSecond: 4000,
    durationMs: { latestOffset: 0, walCommit: 0, getBatch: 0, queryPlanning: 0, addBatch: 250, commitOffsets: 0, triggerExecution: 250 },
    eventTime: { watermark },
    stateOperators: [
      {
        operatorName: 'stateStoreSave',
        numRowsTotal: 70,
        numRowsUpdated: 1,
        numRowsRemoved: 0,
        commitTimeMs: 1,
        memoryUsedBytes: 10,
        numRowsDroppedByWatermark: late,
        numShufflePartitions: 4,
        numStateStoreInstances: 4,
      },
    ],
    sources: [],
    sink: { description: 'x', numOutputRows: 1 },
  };
}

describe('QueryProgressReporter', () => {
  it('on a terminal keeps one line per query, rewriting them in place, and ends with a summary', () => {
    const out = stream(true);
    const r = new QueryProgressReporter(out, 'auto', 'job');
    expect(r.format).toBe('live');
    r.onQueryStarted({ id: 'q1', runId: 'r', name: 'alerts', timestamp: 't' });
    r.onQueryProgress({ progress: progress('q1', 0, 2, '1970-01-01T00:00:00.000Z') });
    expect(out.text).toBe(
      '\r\x1b[2Kalerts  waiting for the first batch\r\x1b[2Kalerts  batch 0  in 12.3k rows/s  processed 4000 rows/s  250 ms  watermark -  state 70 rows  late 2',
    );
    out.text = '';
    r.onQueryProgress({ progress: progress('q2', 0, 0) });
    r.onQueryProgress({ progress: progress('q1', 1, 3) });
    // Two lines now: back up one line before rewriting both.
    expect(out.text.split('\r\x1b[1A')).toHaveLength(2);
    expect(
      out.text.endsWith(
        '\x1b[2Kalerts  batch 1  in 12.3k rows/s  processed 4000 rows/s  250 ms  watermark 2024-01-01T00:01:00.000Z  state 70 rows  late 5\n\x1b[2Kjob  batch 0  in 12.3k rows/s  processed 4000 rows/s  250 ms  watermark 2024-01-01T00:01:00.000Z  state 70 rows  late 0',
      ),
    ).toBe(true);
    r.onQueryTerminated({ id: 'q2', runId: 'r', exception: new SluiceError('QUERY_FAILED', 'boom') });
    expect(out.text.endsWith('late 0 (failed)')).toBe(true);
    out.text = '';
    r.summary({ job: 'job', mode: 'stream', durationMs: 1500, failed: true });
    expect(out.text).toBe(
      "\nsluice: job 'job' (stream) failed in 1.5 s\n" +
        '  alerts: 2 batch(es), 2000 input rows, 3994 rows/s processed, watermark 2024-01-01T00:01:00.000Z, 70 state rows, 5 late rows\n' +
        '  job: 1 batch(es), 1000 input rows, 3994 rows/s processed, watermark 2024-01-01T00:01:00.000Z, 70 state rows, 0 late rows; error [QUERY_FAILED] boom\n',
    );
  });

  it('cuts live lines to the terminal width so that they can be rewritten in place', () => {
    const out = { ...stream(true), columns: 30 };
    const r = new QueryProgressReporter(out, 'auto');
    r.onQueryProgress({ progress: progress('q1', 7, 0) });
    expect(out.text).toBe('\r\x1b[2Kalerts  batch 7  in 12.3k row');
  });

  it('off a terminal writes one JSON object per event and a summary object', () => {
    const out = stream(false);
    const r = new QueryProgressReporter(out, 'auto');
    expect(r.format).toBe('json');
    r.onQueryProgress({ progress: progress('q1', 0, 1) });
    r.onQueryIdle({ id: 'q1', runId: 'r', timestamp: 't' });
    r.summary({ job: 'j', mode: 'available-now', durationMs: 10, failed: false });
    const lines = out.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.event)).toEqual(['queryProgress', 'queryIdle', 'summary']);
    expect(lines[0]).toMatchObject({ progress: { batchId: 0 } });
    expect(lines[2]).toMatchObject({
      status: 'ok',
      queries: [{ id: 'q1', batches: 1, inputRows: 1000, lateRows: 1, stateRows: 70, processedRowsPerSecond: 3994 }],
    });
    expect(new QueryProgressReporter(stream(true), 'json').format).toBe('json');
    expect(new QueryProgressReporter(stream(false), 'text').format).toBe('text');
  });
});
