import type * as SluiceApi from '../../index.js';
import type { DataFrame } from '../../index.js';

/** The Sluice package root (`col`, `count`, `sum`...), handed to {@link BenchQuery.sluice}. */
export type SluiceFunctions = typeof SluiceApi;

/** How a result column is compared: exact integers, doubles within a relative tolerance, or strings. */
export type ResultKind = 'int' | 'float' | 'str';

/** One output column of a benchmark query, in output order. */
export interface ResultColumn {
  readonly name: string;
  readonly kind: ResultKind;
}

/** The inputs a query is built over: the transactions and, for the join, the merchants. */
export interface QueryInputs {
  readonly tx: DataFrame;
  readonly merchants: DataFrame | null;
}

/**
 * One benchmark query expressed twice, for Sluice (DataFrame API) and for the DuckDB peer
 * (SQL), with the same semantics and output columns, so the two results can be compared
 * row by row.
 */
export interface BenchQuery {
  /** Short id: W0 to W6 or join. */
  readonly id: string;
  /** What it measures, in one line. */
  readonly description: string;
  /** Output columns (names as both engines produce them). */
  readonly columns: readonly ResultColumn[];
  /** True when the query reads the merchants dimension. */
  readonly needsMerchants: boolean;
  /**
   * The Sluice query over the inputs. The package's functions come in as `api` so that
   * loading a workload does not load Sluice (the DuckDB child and the parent never do).
   */
  sluice(inputs: QueryInputs, api: SluiceFunctions): DataFrame;
  /** The DuckDB SQL over the given relation expressions (a `read_parquet(...)` call or a table name). */
  sql(tx: string, merchants: string): string;
}

/** Where a benchmark case's data lives while the query is timed. */
export type DataSource = 'parquet' | 'memory';

/**
 * A runnable benchmark case: a query, the data source, and the worker counts to run it with
 * (null: the `--workers` setting; a list: one measurement per count, e.g. [1, 2]).
 */
export interface BenchCase {
  readonly name: string;
  readonly query: BenchQuery;
  readonly source: DataSource;
  readonly workerCounts: readonly number[] | null;
  /** True for cases `all` leaves out (the event-time workloads, whose Sluice side needs APIs still being built). */
  readonly notInAll?: boolean;
}
