import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../../common/errors.js';
import type { StreamingQueryProgress } from '../../../../dataframe/query-progress.js';
import type { DashboardChange } from '../../../../engine/ui/dashboard-state.js';
import { DashboardState } from '../../../../engine/ui/dashboard-state.js';

/** A progress event of batch `batchId` of run `runId` (only the fields the store reads matter). */
function progress(runId: string, batchId: number): StreamingQueryProgress {
  return {
    id: `q-${runId}`,
    runId,
    name: null,
    timestamp: new Date(1_000 * batchId).toISOString(),
    batchId,
    batchDuration: 5,
    numInputRows: 10,
    inputRowsPerSecond: 10,
    processedRowsPerSecond: 2000,
    durationMs: { latestOffset: 1, walCommit: 1, getBatch: 1, queryPlanning: 0, addBatch: 1, commitOffsets: 1, triggerExecution: 5 },
    eventTime: {},
    stateOperators: [],
    sources: [],
    sink: { description: 'memory', numOutputRows: 10 },
  };
}

function start(state: DashboardState, runId: string, name: string | null = null): void {
  state.onQueryStarted({ id: `q-${runId}`, runId, name, timestamp: new Date(0).toISOString() });
}

describe('DashboardState', () => {
  it('keeps the newest historySize progress events per run and counts all batches', () => {
    const state = new DashboardState({ historySize: 500, planOf: (id) => `plan of ${id}` });
    start(state, 'r1', 'q');
    for (let b = 0; b < 620; b++) state.onQueryProgress({ progress: progress('r1', b) });
    const run = state.get('r1');
    expect(run?.progress).toHaveLength(500);
    expect(run?.progress[0]?.batchId).toBe(120);
    expect(run?.progress[499]?.batchId).toBe(619);
    expect(run?.numBatches).toBe(620);
    expect(run?.lastProgress?.batchId).toBe(619);
    expect(run?.plan).toBe('plan of q-r1');
    // The query id finds the newest run of that query.
    expect(state.get('q-r1')?.runId).toBe('r1');
  });

  it('records idle stretches, failures and stops, and tells subscribers in order', () => {
    const state = new DashboardState();
    const seen: string[] = [];
    const unsubscribe = state.subscribe((c: DashboardChange) =>
      seen.push(
        c.kind === 'query' ? `${c.query.runId}:${c.query.status}${c.query.idleSince === null ? '' : ':idle'}` : `${c.runId}:batch${c.progress.batchId}`,
      ),
    );
    start(state, 'a');
    start(state, 'b');
    state.onQueryProgress({ progress: progress('a', 0) });
    state.onQueryIdle({ id: 'q-a', runId: 'a', timestamp: new Date(5).toISOString() });
    state.onQueryIdle({ id: 'q-a', runId: 'a', timestamp: new Date(9).toISOString() });
    expect(state.get('a')?.idleSince).toBe(new Date(5).toISOString());
    state.onQueryProgress({ progress: progress('a', 1) });
    expect(state.get('a')?.idleSince).toBeNull();
    state.onQueryTerminated({ id: 'q-b', runId: 'b', exception: new SluiceError('QUERY_FAILED', 'b broke') });
    unsubscribe();
    state.onQueryTerminated({ id: 'q-a', runId: 'a', exception: null });
    expect(seen).toEqual(['a:active', 'b:active', 'a:batch0', 'a:active:idle', 'a:batch1', 'a:active', 'b:failed']);
    expect(state.get('b')?.lastError).toEqual({ code: 'QUERY_FAILED', message: 'b broke' });
    expect(state.get('a')?.status).toBe('stopped');
    expect(state.get('a')?.endedAt).not.toBeNull();
    // Events of runs the store never saw start are ignored.
    state.onQueryProgress({ progress: progress('zzz', 0) });
    expect(state.get('zzz')).toBeUndefined();
  });

  it('lists active runs first and forgets the oldest finished runs beyond finishedRuns', () => {
    const state = new DashboardState({ finishedRuns: 2 });
    for (const r of ['f1', 'f2', 'f3', 'live']) start(state, r);
    for (const r of ['f1', 'f2', 'f3']) state.onQueryTerminated({ id: `q-${r}`, runId: r, exception: null });
    expect(state.list().map((q) => q.runId)).toEqual(['live', 'f3', 'f2']);
    expect(state.get('f1')).toBeUndefined();
  });
});
