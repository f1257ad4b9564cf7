import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SluiceError } from '../../common/errors.js';
import { invalidArgument } from '../../common/errors.js';
import { committedFileEntriesSync } from '../../common/log/committed-files-sync.js';
import type { ScanOptions } from '../../common/connector-options.js';
import type { Schema } from '../../common/schema.js';
import { schemaOf } from '../../common/schema.js';
import { buildFileScan } from '../../dataframe/plan/builders/build-misc.js';
import type { FileFormat, FileScan } from '../../dataframe/plan/logical-plan.js';
import { listFiles } from '../../sources/file/list-files.js';
import { inferFileSchema } from '../../sources/file/infer-schema.js';
import type { RuntimeConf } from './session-conf.js';

/** The configuration key of the folder tables are written under (Spark's spark.sql.warehouse.dir). */
export const WAREHOUSE_DIR_CONF = 'sluice.sql.warehouse.dir';

/** A table of the session's catalog: files of one format in a folder under the warehouse. */
export interface CatalogTable {
  /** The table name, lower-cased (names are case-insensitive, as in Spark). */
  readonly name: string;
  /** The table's folder (absolute). */
  readonly location: string;
  readonly format: FileFormat;
  /** The columns as read back: the data columns, then the partition columns. */
  readonly schema: Schema;
  readonly partitionBy: readonly string[];
  /** Reader options that match how the files were written (CSV header, separator, ...). */
  readonly readOptions: ScanOptions;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CSV_READ_KEYS = ['header', 'sep', 'delimiter', 'quote', 'escape', 'nullValue'];

/**
 * The session's table catalog (a small part of Spark's session catalog): named tables
 * backed by files under the warehouse folder (`sluice.sql.warehouse.dir`, default
 * `./spark-warehouse`), one folder per table (`<warehouse>/<name>`). `writeStream.toTable`
 * registers its table here when the query starts; `sluice.table(name)` and
 * `sluice.read.table(name)` read a table's committed files in batch. The catalog lives as
 * long as the session; the folders stay, and `read.table` finds a table a previous
 * session wrote by its folder. Temp views (SQL) and memory-sink tables are resolved before
 * catalog tables, as Spark resolves temp views first.
 */
export class TableCatalog {
  private readonly tables = new Map<string, CatalogTable>();

  constructor(private readonly conf: RuntimeConf) {}

  /** The warehouse folder (absolute). */
  warehouseDir(): string {
    return resolve(this.conf.get(WAREHOUSE_DIR_CONF) ?? 'spark-warehouse');
  }

  /** The folder of table `name` under the warehouse; INVALID_ARGUMENT for a name that is not an identifier. */
  locationOf(name: string): string {
    if (typeof name !== 'string' || !NAME.test(name))
      throw invalidArgument(`Table name '${String(name)}' is not valid: use letters, digits and underscores, starting with a letter or underscore.`);
    return join(this.warehouseDir(), name.toLowerCase());
  }

  /**
   * The table a streaming write of `schema` to `name` creates, checked against a table of
   * that name already registered (same format and columns, or INVALID_ARGUMENT).
   */
  tableForWrite(name: string, format: FileFormat, schema: Schema, options: ScanOptions): CatalogTable {
    const location = this.locationOf(name);
    const partitionBy =
      options.partitionBy === undefined
        ? []
        : String(options.partitionBy)
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
    const data = schema.fields.filter((f) => !partitionBy.includes(f.name));
    const parts = partitionBy.flatMap((p) => schema.fields.filter((f) => f.name === p));
    const readOptions: Record<string, string | number | boolean> = {};
    if (format === 'csv') for (const k of CSV_READ_KEYS) if (options[k] !== undefined) readOptions[k] = options[k] as string | number | boolean;
    const table: CatalogTable = { name: name.toLowerCase(), location, format, schema: schemaOf([...data, ...parts]), partitionBy, readOptions };
    const known = this.tables.get(table.name);
    if (
      known !== undefined &&
      (known.format !== format || known.schema.fields.map((f) => f.name).join(',') !== table.schema.fields.map((f) => f.name).join(','))
    )
      throw invalidArgument(
        `Table '${name}' exists as ${known.format} with columns (${known.schema.fields.map((f) => f.name).join(', ')}); this query writes ${format} with columns (${table.schema.fields.map((f) => f.name).join(', ')}). Write to another table name.`,
      );
    return table;
  }

  /** Registers (or re-registers) a table. */
  register(table: CatalogTable): void {
    this.tables.set(table.name, table);
  }

  /** The registered table `name` (case-insensitive), or undefined. */
  get(name: string): CatalogTable | undefined {
    return this.tables.get(name.toLowerCase());
  }

  /** Names of the registered tables, sorted. */
  listTables(): string[] {
    return [...this.tables.keys()].sort();
  }

  /** Forgets a table (its files stay); true when it was registered. */
  unregister(name: string): boolean {
    return this.tables.delete(name.toLowerCase());
  }

  /** A scan of a registered table's committed files, listed now (synchronously); undefined when `name` is not registered. */
  scanRegistered(name: string): FileScan | undefined {
    const t = this.get(name);
    if (t === undefined) return undefined;
    return buildFileScan(t.format, committedFileEntriesSync(t.location) ?? [], t.schema, t.readOptions);
  }

  /**
   * A scan of table `name`: a registered table, or else a Parquet table folder under the
   * warehouse written by an earlier session (schema read from its files). INVALID_ARGUMENT
   * names the table, the warehouse and the known tables otherwise.
   */
  async scan(name: string): Promise<FileScan> {
    const known = this.scanRegistered(name);
    if (known !== undefined) return known;
    const location = this.locationOf(name);
    if (existsSync(location)) {
      const files = await listFiles(location);
      if (files.length > 0) return buildFileScan('parquet', files, await inferFileSchema('parquet', files, {}), {});
    }
    throw this.notFound(name);
  }

  /** INVALID_ARGUMENT naming the missing table, the warehouse folder and the known tables. */
  notFound(name: string): SluiceError {
    const names = this.listTables();
    return invalidArgument(
      `No table named '${name}' in this session's catalog, nor a table folder '${join(this.warehouseDir(), name.toLowerCase())}'. ` +
        `${names.length === 0 ? 'No table is registered yet: ' : `Tables: ${names.join(', ')}. `}Create one with writeStream...toTable('${name}'), or read files with sluice.read.parquet(path).`,
    );
  }
}
