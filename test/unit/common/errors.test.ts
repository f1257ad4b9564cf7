import { describe, expect, it } from 'vitest';
import { SluiceError, internalError, invalidArgument, isPlainError, typeMismatchError, unknownColumnError } from '../../../common/errors.js';

describe('SluiceError', () => {
  it('defaults to the user domain and not retryable', () => {
    const e = new SluiceError('INVALID_ARGUMENT', 'bad');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SluiceError');
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.domain).toBe('user');
    expect(e.retryable).toBe(false);
    expect(e.cause).toBeUndefined();
  });

  it('keeps the cause', () => {
    const cause = new Error('root');
    expect(new SluiceError('CORRUPT_FILE', 'x', { cause }).cause).toBe(cause);
  });

  it('round-trips through toPlain/fromPlain keeping code, domain, retryable, message and stack', () => {
    const e = new SluiceError('WORKER_FAILED', 'worker 2 died', { domain: 'external', retryable: true });
    const plain = e.toPlain();
    expect(isPlainError(plain)).toBe(true);
    const cloned = structuredClone(plain);
    const back = SluiceError.fromPlain(cloned);
    expect(back).toBeInstanceOf(SluiceError);
    expect(back.code).toBe('WORKER_FAILED');
    expect(back.message).toBe('worker 2 died');
    expect(back.domain).toBe('external');
    expect(back.retryable).toBe(true);
    expect(back.stack).toBe(e.stack);
  });

  it('fromPlain returns a SluiceError instance unchanged', () => {
    const e = new SluiceError('PATH_EXISTS', 'exists');
    expect(SluiceError.fromPlain(e)).toBe(e);
  });

  it('fromPlain turns other errors and values into INTERNAL errors', () => {
    const te = new TypeError('boom');
    const a = SluiceError.fromPlain(te);
    expect(a.code).toBe('INTERNAL');
    expect(a.domain).toBe('internal');
    expect(a.retryable).toBe(false);
    expect(a.message).toBe('boom');
    expect(a.cause).toBe(te);
    const b = SluiceError.fromPlain('text');
    expect(b.code).toBe('INTERNAL');
    expect(b.message).toBe('text');
    expect(SluiceError.fromPlain({ code: 'X' }).code).toBe('INTERNAL');
  });

  it('toPlainAny converts any thrown value', () => {
    const p1 = SluiceError.toPlainAny(new SluiceError('QUERY_FAILED', 'q', { retryable: true }));
    expect(p1).toMatchObject({ sluice: true, code: 'QUERY_FAILED', domain: 'user', retryable: true, message: 'q' });
    expect(SluiceError.toPlainAny(new RangeError('r'))).toMatchObject({ code: 'INTERNAL', domain: 'internal', message: 'r' });
    expect(SluiceError.toPlainAny(42)).toEqual({ sluice: true, code: 'INTERNAL', message: '42', domain: 'internal', retryable: false });
  });

  it('isPlainError rejects non-plain values', () => {
    expect(isPlainError(null)).toBe(false);
    expect(isPlainError({ sluice: true })).toBe(false);
    expect(isPlainError({ sluice: 'yes', code: 'X' })).toBe(false);
  });
});

describe('error helpers', () => {
  it('build errors with the right codes and domains', () => {
    const u = unknownColumnError('x', ['a', 'b']);
    expect(u.code).toBe('UNKNOWN_COLUMN');
    expect(u.message).toBe("Unknown column 'x'. Columns are: a, b.");
    expect(typeMismatchError('m').code).toBe('TYPE_MISMATCH');
    expect(invalidArgument('m').code).toBe('INVALID_ARGUMENT');
    const i = internalError('m');
    expect(i.code).toBe('INTERNAL');
    expect(i.domain).toBe('internal');
  });
});
