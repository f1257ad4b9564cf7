import { invalidArgument } from '../../common/errors.js';
import type { FileFormat, LogicalPlan } from '../plan/logical-plan.js';
import type { QueryExecutor } from '../query-executor.js';

/**
 * The session's SQL catalog as the dataframe layer sees it: temporary views by name and file
 * reads for `parquet.\`path\`` relations. The session implements it (the dataframe layer
 * never imports the engine). View names are case-insensitive, as in Spark.
 *
 * Contract: `registerTempView` replaces a view of the same name; `tempView` returns the plan
 * registered last under the name, or undefined; `readFiles` lists the files and reads or
 * infers the schema (as `sluice.read.format(f).load(path)`), failing with FILE_NOT_FOUND;
 * `oneRow` is a relation of exactly one row.
 */
export interface SqlCatalog {
  /** Registers (or replaces) the view `name`. */
  registerTempView(name: string, plan: LogicalPlan): void;
  /** The plan of view `name`, or undefined. */
  tempView(name: string): LogicalPlan | undefined;
  /** Removes view `name`; true when it existed. */
  dropTempView(name: string): boolean;
  /** The names of the views (lower case, sorted). */
  tempViewNames(): string[];
  /** The plan reading the files at `path` in `format`. */
  readFiles(format: FileFormat, path: string): Promise<LogicalPlan>;
  /** A relation of one row (and one internal column), for SELECT without FROM. */
  oneRow(): LogicalPlan;
}

/** The catalog of the executor's session, after checking a view name given to `method`. */
export function viewCatalog(executor: QueryExecutor, name: string, method: string): SqlCatalog {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw invalidArgument(`${method}() needs a name of letters, digits and _ (not starting with a digit), got ${JSON.stringify(name)}.`);
  const catalog = executor.catalog;
  if (catalog === undefined) throw invalidArgument('This DataFrame has no session catalog to register a view in; create it from a Sluice session.');
  return catalog;
}
