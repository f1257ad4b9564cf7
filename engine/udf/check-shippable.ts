import { collectUdfRefs } from './collect-udf-refs.js';
import { inlineUdfRefusal } from './udf-functions.js';

/**
 * Refuses, when a query is planned, to send a plan fragment (or a stage cap) holding an
 * inline closure UDF to the worker threads: only module UDFs can be loaded there. Every
 * planner step that ships expressions to workers calls this on what it ships.
 */
export function assertShippable(...parts: readonly unknown[]): void {
  for (const part of parts) {
    const inline = collectUdfRefs(part).find((r) => r.inlineId !== null);
    if (inline) throw inlineUdfRefusal(inline);
  }
}
