import * as arrow from 'apache-arrow';
import { parseTable } from 'arrow-js-ffi';
import type { Table as WasmTable } from 'parquet-wasm';
import { wasmMemory } from 'parquet-wasm';

/**
 * Whether columns of this type are handed from parquet-wasm to JS through the Arrow C data
 * interface ({@link arrowTableFromWasm}): flat types, whose buffers arrow-js-ffi copies
 * as they are. Nested types (lists, structs, maps) and decimals go through Arrow IPC, the
 * path they were tested on.
 */
export function ffiExportable(t: arrow.DataType): boolean {
  return (
    arrow.DataType.isInt(t) ||
    arrow.DataType.isFloat(t) ||
    arrow.DataType.isBool(t) ||
    arrow.DataType.isUtf8(t) ||
    arrow.DataType.isBinary(t) ||
    arrow.DataType.isTimestamp(t) ||
    arrow.DataType.isDate(t)
  );
}

/**
 * Moves a table decoded by parquet-wasm into an Arrow JS table and frees the WASM side.
 * With `ffi` the buffers are copied once, straight out of WASM memory (arrow-js-ffi over
 * the C data interface); otherwise the table is written as an Arrow IPC stream, copied out
 * and read back, which encodes and copies every buffer one more time. Use `ffi` only when
 * every column is {@link ffiExportable}.
 */
export function arrowTableFromWasm(table: WasmTable, ffi: boolean): arrow.Table {
  if (!ffi) return arrow.tableFromIPC(table.intoIPCStream());
  const data = table.intoFFI();
  try {
    // Read the memory after intoFFI: exporting may grow it, which detaches older buffers.
    return parseTable(wasmMemory().buffer, data.arrayAddrs(), data.schemaAddr(), true);
  } finally {
    data.free();
  }
}
