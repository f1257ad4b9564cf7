import { didYouMean } from '../../common/closest-name.js';
import { describeValue } from '../../common/describe-value.js';
import { invalidArgument } from '../../common/errors.js';
import type { UdfModuleRef, UdfReturnType, UserDefinedFunction } from './user-defined-function.js';
import { udf } from './user-defined-function.js';

/**
 * A session's named UDFs (Spark's `spark.udf`): `sluice.udf.register('normalise', fn)`.
 * Names are case-insensitive, as Spark's function names. The SQL front end resolves a
 * function name it does not know as a built-in through {@link UdfRegistry.lookup}, reachable
 * from a session (`sluice.udf.lookup(name)`) and from any DataFrame
 * (`df.executor.lookupUdf?.(name)`), and calls the result on the argument Columns.
 */
export class UdfRegistry {
  private readonly byName = new Map<string, UserDefinedFunction>();

  /**
   * Registers `fn` under `name` (replacing an earlier one) and returns it renamed, ready to
   * call. As Spark's `spark.udf.register(name, f, returnType)`, a module reference (or an
   * inline closure) with a return type is made into a row UDF first.
   */
  register(name: string, fn: UserDefinedFunction | UdfModuleRef | ((...args: never[]) => unknown), returnType?: UdfReturnType): UserDefinedFunction {
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw invalidArgument(`udf.register() needs a function name made of letters, digits and '_' (not starting with a digit), got ${describeValue(name)}.`);
    if (returnType !== undefined && (typeof fn !== 'function' || typeof (fn as Partial<UserDefinedFunction>).withName !== 'function'))
      return this.register(name, udf(fn as UdfModuleRef, returnType, { name }));
    if (typeof fn !== 'function' || typeof (fn as Partial<UserDefinedFunction>).withName !== 'function')
      throw invalidArgument(
        `udf.register('${name}', ...) needs a UDF made by udf(), vectorizedUdf() or udfFromModule(), or a { module, export } reference and a return type; got ${describeValue(fn)}.`,
      );
    const named = (fn as UserDefinedFunction).withName(name);
    this.byName.set(name.toLowerCase(), named);
    return named;
  }

  /** The UDF registered under `name` (any case), or undefined. */
  lookup(name: string): UserDefinedFunction | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Like {@link lookup}, but an unknown name is INVALID_ARGUMENT naming the closest registered one. */
  get(name: string): UserDefinedFunction {
    const found = this.lookup(name);
    if (found) return found;
    const names = [...this.byName.values()].map((f) => f.ref.name);
    throw invalidArgument(`Unknown function '${name}'.${didYouMean(name, names)} Registered UDFs: ${names.length ? names.join(', ') : 'none'}.`);
  }

  /** Names of the registered UDFs, as registered. */
  names(): string[] {
    return [...this.byName.values()].map((f) => f.ref.name);
  }
}
