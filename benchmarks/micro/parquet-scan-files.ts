import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { typeFromArrow } from '../../common/arrow-convert.js';
import type { Field } from '../../common/schema.js';
import { openParquetFile, parquetArrowSchema } from '../../sources/file/parquet-reader.js';

/** The `.parquet` files directly in `dir`, sorted by name. */
export function listParquet(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => join(dir, f));
}

/** The top-level columns of a Parquet file (all, or those named in `names`), as scan fields. */
export async function tableFields(path: string, names: readonly string[] | null): Promise<Field[]> {
  const pf = await openParquetFile(path);
  try {
    const all = parquetArrowSchema(pf, path).fields.map((f) => ({ name: f.name, type: typeFromArrow(f.type, f.name), nullable: f.nullable }));
    return names === null ? all : names.map((n) => all.find((f) => f.name === n) as Field);
  } finally {
    pf.free();
  }
}
