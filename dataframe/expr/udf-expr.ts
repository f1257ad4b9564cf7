import type { DataType } from '../../common/data-type.js';
import type { Expr } from './expr.js';

/**
 * What a plan knows of a user-defined function: plain data, so it travels to worker
 * threads inside plans. The function itself never travels: a worker loads `module` (a
 * file URL) and takes its export `exportName`; a closure defined inline is kept on the
 * driver under `inlineId` and can only run there.
 */
export interface UdfRef {
  /** Name for messages and column names (the registered name, the export name, or the closure's name). */
  readonly name: string;
  /** File URL of the module exporting the function; null for an inline closure. */
  readonly module: string | null;
  /** The module's export that holds the function; null for an inline closure. */
  readonly exportName: string | null;
  /** Key of an inline closure in the driver's registry; null for a module function. */
  readonly inlineId: number | null;
  /** The declared result type; results of another type are an error naming the UDF. */
  readonly returnType: DataType;
  /** True for a vectorized UDF (called once per batch with whole Arrow vectors), false for a row UDF. */
  readonly vectorized: boolean;
}

/** A call of a user-defined function on argument expressions. Its type is the UDF's declared return type. */
export interface UdfCall {
  readonly kind: 'udf';
  readonly udf: UdfRef;
  readonly args: readonly Expr[];
}
