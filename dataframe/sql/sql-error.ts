import { SluiceError } from '../../common/errors.js';
import type { ErrorCode } from '../../common/errors.js';

/** A place in SQL text: 0-based offset, 1-based line and column. */
export interface SqlPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** The line and column of `offset` in `text` (both 1-based). */
export function positionAt(text: string, offset: number): SqlPosition {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { offset, line, column: offset - start + 1 };
}

/**
 * The SQL line holding `pos`, with a caret line under it marking `length` characters from
 * the position, e.g.
 * ```
 *   SELECT nmae FROM t
 *          ^^^^
 * ```
 */
export function caretSnippet(text: string, pos: SqlPosition, length: number): string {
  const lineStart = pos.offset - (pos.column - 1);
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd).replace(/\t/g, ' ');
  const width = Math.max(1, Math.min(length, lineEnd - pos.offset));
  return `  ${line}\n  ${' '.repeat(pos.column - 1)}${'^'.repeat(width)}`;
}

/**
 * An error in SQL text: `code` INVALID_ARGUMENT for syntax (the message starts with
 * "SQL syntax error"), or the code of the underlying problem (UNKNOWN_COLUMN...). The
 * message names line and column and shows the line with a caret under the offending token.
 */
export function sqlError(code: ErrorCode, text: string, offset: number, length: number, message: string, cause?: unknown): SluiceError {
  const pos = positionAt(text, offset);
  return new SluiceError(code, `${message} (line ${pos.line}, column ${pos.column})\n${caretSnippet(text, pos, length)}`, cause === undefined ? {} : { cause });
}
