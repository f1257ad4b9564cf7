import { afterEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../../../../common/errors.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import { canUseStateExecutors, StateExecutors } from '../../../../engine/execution/stateful/state-executors.js';

let open: StateExecutors[] = [];

afterEach(async () => {
  for (const ex of open) await ex.close();
  open = [];
});

function executors(n: number): StateExecutors {
  const ex = new StateExecutors(n);
  open.push(ex);
  return ex;
}

describe('StateExecutors', () => {
  it('gives executor i the partitions p with p % n == i', () => {
    const ex = executors(3);
    expect([0, 1, 2, 3, 4, 5, 6].map((p) => ex.ownerOf(p))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(ex.partitionsOf(0, 7)).toEqual([0, 3, 6]);
    expect(ex.partitionsOf(2, 7)).toEqual([2, 5]);
    expect(ex.partitionsOf(2, 2)).toEqual([]);
  });

  it('sends errors back from the thread as SluiceError, and refuses requests once closed', async () => {
    const ex = executors(2);
    const e = await ex.request(1, { kind: 'verify', operatorId: 7, version: 0 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SluiceError);
    expect((e as SluiceError).code).toBe('INTERNAL');
    expect((e as SluiceError).message).toMatch(/no state for operator 7/);
    // An abort of an unknown operator is a no-op.
    await expect(ex.request(0, { kind: 'abort', operatorId: 7 })).resolves.toBeNull();
    await ex.close();
    await ex.close();
    const after = await ex.request(0, { kind: 'abort', operatorId: 7 }).catch((err: unknown) => err);
    expect((after as SluiceError).code).toBe('SESSION_STOPPED');
  });

  it('is used only with a plain local file manager', () => {
    expect(canUseStateExecutors(new LocalFileManager())).toBe(true);
    expect(canUseStateExecutors(new LocalFileManager({ hook: () => undefined }))).toBe(false);
  });
});
