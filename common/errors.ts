/**
 * The one error type of Sluice. Every error carries a stable `code`, a `domain` that says
 * whose problem it is, and whether retrying can help. Messages name the offending thing
 * and the fix. Errors cross worker threads as plain objects ({@link SluiceError.toPlain})
 * and are rebuilt on the other side ({@link SluiceError.fromPlain}).
 */

/** Whose problem an error is: the user's input or code, an external system, or a Sluice bug. */
export type ErrorDomain = 'user' | 'external' | 'internal';

/** Stable error codes. Tests and callers may switch on these; they never change meaning. */
export type ErrorCode =
  | 'UNKNOWN_COLUMN'
  | 'AMBIGUOUS_COLUMN'
  | 'TYPE_MISMATCH'
  | 'INVALID_ARGUMENT'
  | 'INVALID_PLAN'
  | 'UNSUPPORTED'
  | 'FILE_NOT_FOUND'
  | 'CORRUPT_FILE'
  | 'MALFORMED_RECORD'
  | 'PATH_EXISTS'
  | 'IO_ERROR'
  | 'SINK_CONFLICT'
  | 'WORKER_FAILED'
  | 'SESSION_STOPPED'
  | 'CHECKPOINT_CORRUPT'
  | 'CHECKPOINT_LOCKED'
  | 'QUERY_FAILED'
  | 'CONNECTION_FAILED'
  | 'DATA_LOSS'
  | 'SOURCE_UNAVAILABLE'
  | 'UDF_FAILED'
  | 'INTERNAL';

/** Options accepted by the {@link SluiceError} constructor. */
export interface SluiceErrorOptions {
  /** Whose problem this is. Defaults to `'user'`. */
  domain?: ErrorDomain;
  /** Whether trying the same thing again may succeed. Defaults to false. */
  retryable?: boolean;
  /** The underlying error. */
  cause?: unknown;
}

/** A plain-object form of a {@link SluiceError}, safe to post between threads. */
export interface PlainError {
  readonly sluice: true;
  readonly code: ErrorCode;
  readonly message: string;
  readonly domain: ErrorDomain;
  readonly retryable: boolean;
  readonly stack?: string;
}

/** The base class of every error Sluice throws on purpose. */
export class SluiceError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Whose problem this is. */
  readonly domain: ErrorDomain;
  /** Whether the same call may succeed if tried again. */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: SluiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SluiceError';
    this.code = code;
    this.domain = options.domain ?? 'user';
    this.retryable = options.retryable ?? false;
  }

  /** The plain-object form, for posting across threads. */
  toPlain(): PlainError {
    return { sluice: true, code: this.code, message: this.message, domain: this.domain, retryable: this.retryable, stack: this.stack };
  }

  /** Rebuilds an error from its plain-object form; any other value becomes an internal error. */
  static fromPlain(value: unknown): SluiceError {
    if (isPlainError(value)) {
      const e = new SluiceError(value.code, value.message, { domain: value.domain, retryable: value.retryable });
      if (value.stack) e.stack = value.stack;
      return e;
    }
    if (value instanceof SluiceError) return value;
    if (value instanceof Error) return new SluiceError('INTERNAL', value.message, { domain: 'internal', cause: value });
    return new SluiceError('INTERNAL', String(value), { domain: 'internal' });
  }

  /** Converts any thrown value to its plain form. */
  static toPlainAny(value: unknown): PlainError {
    if (value instanceof SluiceError) return value.toPlain();
    if (value instanceof Error) return { sluice: true, code: 'INTERNAL', message: value.message, domain: 'internal', retryable: false, stack: value.stack };
    return { sluice: true, code: 'INTERNAL', message: String(value), domain: 'internal', retryable: false };
  }
}

/** Type guard for {@link PlainError}. */
export function isPlainError(value: unknown): value is PlainError {
  return (
    typeof value === 'object' && value !== null && (value as { sluice?: unknown }).sluice === true && typeof (value as { code?: unknown }).code === 'string'
  );
}

/** Error for a column name that does not exist; lists the columns that do. */
export function unknownColumnError(name: string, available: readonly string[]): SluiceError {
  return new SluiceError('UNKNOWN_COLUMN', `Unknown column '${name}'. Columns are: ${available.join(', ')}.`);
}

/** Error for a value of the wrong type given to an operation. */
export function typeMismatchError(message: string): SluiceError {
  return new SluiceError('TYPE_MISMATCH', message);
}

/** Error for a bad argument or option; the message should say what is accepted. */
export function invalidArgument(message: string): SluiceError {
  return new SluiceError('INVALID_ARGUMENT', message);
}

/** Error for a Sluice bug: an impossible state reached. */
export function internalError(message: string): SluiceError {
  return new SluiceError('INTERNAL', message, { domain: 'internal' });
}
