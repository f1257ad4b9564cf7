/**
 * Spark's SQL name of a function named by the camelCase rule (`regexpReplace` ->
 * `regexp_replace`, `getJsonObject` -> `get_json_object`), for explain() and automatic
 * column names of functions without an entry in the explicit name table.
 */
export function sqlNameOf(fn: string): string {
  return fn.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
