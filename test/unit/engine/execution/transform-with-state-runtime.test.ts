import { describe, expect, it } from 'vitest';
import { KeyState, ProcessorHandle, decodeStateJson, encodeStateJson } from '../../../../engine/execution/stateful/transform-with-state-runtime.js';

describe('transformWithState state codec and key state', () => {
  it('round-trips bigint and Date values, also nested', () => {
    const v = { n: 12345678901234567890n, at: new Date(1_700_000_000_123), list: [1n, new Date(5), 'x', null], deep: { a: [{ b: -3n }] } };
    const back = decodeStateJson(encodeStateJson(v)) as typeof v;
    expect(back).toEqual(v);
    expect(back.at).toBeInstanceOf(Date);
    expect(typeof back.n).toBe('bigint');
  });

  it('drops entries whose TTL passed when the state is loaded, and keeps the rest with their expiry', () => {
    const h = new ProcessorHandle('processingTime');
    const value = h.getValueState<number>('v', { ttlDurationMs: 100 });
    const list = h.getListState<string>('l', { ttlDurationMs: 100 });
    const map = h.getMapState<[number, string], number>('m');
    const s = new KeyState();
    h.current = s;
    h.nowMs = 1000;
    value.update(1);
    list.appendValue('old');
    map.updateValue([1, 'a'], 7);
    h.nowMs = 1050;
    list.appendValue('new');
    h.registerTimer(5000);
    h.registerTimer(2000);
    h.registerTimer(5000);
    expect(h.listTimers()).toEqual([2000, 5000]);
    expect(s.nextExpiryMs).toBe(1100);
    const loaded = KeyState.decode(s.encode(), 1100);
    h.current = loaded;
    expect(value.exists()).toBe(false);
    expect(list.get()).toEqual(['new']);
    expect(map.getValue([1, 'a'])).toBe(7);
    expect(map.iterator()).toEqual([[[1, 'a'], 7]]);
    expect(loaded.nextExpiryMs).toBe(1150);
    expect(loaded.nextTimerMs).toBe(2000);
    h.deleteTimer(2000);
    h.deleteTimer(5000);
    list.clear();
    map.removeKey([1, 'a']);
    expect(loaded.isEmpty).toBe(true);
  });

  it('refuses a state name reused with another kind and state use outside a key', () => {
    const h = new ProcessorHandle('none');
    h.getValueState('x');
    expect(() => h.getListState('x')).toThrow(/already a value state/);
    expect(() => h.getValueState('y').get()).toThrow(/inside handleInputRows/);
    h.current = new KeyState();
    expect(() => h.registerTimer(1)).toThrow(/timeMode/);
  });
});
