/**
 * Options given to a source, sink or reader (`.option(key, value)`): CSV/JSON parsing
 * settings, parse mode, connector settings. Values are strings, numbers or booleans.
 */
export type ScanOptions = Readonly<Record<string, string | number | boolean>>;
