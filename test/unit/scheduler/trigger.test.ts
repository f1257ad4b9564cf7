import { describe, expect, it } from 'vitest';
import { parseInterval } from '../../../scheduler/parse-interval.js';
import { checkTrigger, Trigger } from '../../../scheduler/trigger.js';

describe('parseInterval and Trigger', () => {
  it('parses Spark-style durations', () => {
    expect(parseInterval('100 milliseconds')).toBe(100);
    expect(parseInterval('1 second')).toBe(1000);
    expect(parseInterval('5 seconds')).toBe(5000);
    expect(parseInterval('interval 1 minute 30 seconds')).toBe(90_000);
    expect(parseInterval('2 Hours')).toBe(7_200_000);
    expect(parseInterval('500ms')).toBe(500);
    expect(parseInterval('1.5 seconds')).toBe(1500);
    expect(parseInterval('250')).toBe(250);
  });

  it('rejects what it cannot read, naming the input and the units', () => {
    expect(() => parseInterval('5 fortnights')).toThrow(/Cannot parse interval '5 fortnights'.*units: ms, seconds/);
    expect(() => parseInterval('')).toThrow(/empty/);
    expect(() => parseInterval('seconds')).toThrow(/Cannot parse/);
  });

  it('builds triggers as frozen plain data', () => {
    expect(Trigger.processingTime('1 second')).toEqual({ kind: 'processingTime', intervalMs: 1000 });
    expect(Trigger.processingTime(0)).toEqual({ kind: 'processingTime', intervalMs: 0 });
    expect(Trigger.once()).toEqual({ kind: 'once' });
    expect(Object.isFrozen(Trigger.availableNow())).toBe(true);
    expect(() => Trigger.processingTime(-5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('checks triggers given as plain data, naming the bad value and the accepted forms', () => {
    expect(checkTrigger({ kind: 'processingTime', intervalMs: 250 })).toEqual({ kind: 'processingTime', intervalMs: 250 });
    expect(checkTrigger({ kind: 'processingTime', intervalMs: '5 seconds' })).toEqual({ kind: 'processingTime', intervalMs: 5000 });
    expect(checkTrigger({ kind: 'once' })).toEqual({ kind: 'once' });
    expect(checkTrigger({ kind: 'availableNow' })).toEqual({ kind: 'availableNow' });
    expect(() => checkTrigger({ kind: 'processingTime', intervalMs: -1 })).toThrow(/finite number of milliseconds >= 0, got -1.*Trigger\.processingTime/);
    expect(() => checkTrigger({ kind: 'processingTime', intervalMs: Number.POSITIVE_INFINITY })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => checkTrigger({ kind: 'processingTime', intervalMs: '0.5 sekunden' })).toThrow(/Cannot parse interval '0\.5 sekunden'/);
    expect(() => checkTrigger({ kind: 'processingTime', intervalMs: null })).toThrow(/number of milliseconds or a duration/);
    expect(() => checkTrigger({ kind: 'weekly' })).toThrow(/Unknown trigger \{"kind":"weekly"\}.*processingTime, once or availableNow/);
    expect(() => checkTrigger(undefined)).toThrow(/Unknown trigger undefined/);
  });
});
