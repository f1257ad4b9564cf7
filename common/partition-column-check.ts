import { typeName } from './data-type.js';
import { invalidArgument } from './errors.js';
import type { Schema } from './schema.js';

/**
 * Checks the columns of a Hive-style `partitionBy`: each must exist in `schema` and have an
 * atomic type (boolean, numbers, string, date, timestamp). A struct or an array has no
 * folder-name form (Spark refuses them too), so it is refused with an error that names the
 * column, its type and the way out: partition by a field of the struct (e.g.
 * `withColumn('window_start', col('window.start'))`) or by a scalar derived from it.
 * `what` names the caller in the message (`partitionBy()`, `parquet sink partitionBy`).
 */
export function checkPartitionColumns(schema: Schema, columns: readonly string[], what: string): void {
  for (const name of columns) {
    const f = schema.fields.find((x) => x.name === name);
    if (f === undefined) {
      throw invalidArgument(`${what}: unknown column '${name}'. Columns are: ${schema.fields.map((x) => x.name).join(', ')}.`);
    }
    if (f.type.kind === 'struct' || f.type.kind === 'list' || f.type.kind === 'map') {
      const example =
        f.type.kind === 'struct' && f.type.fields[0] !== undefined
          ? `withColumn('${name}_${f.type.fields[0].name}', col('${name}.${f.type.fields[0].name}')) and partitionBy('${name}_${f.type.fields[0].name}')`
          : `a scalar column derived from '${name}'`;
      throw invalidArgument(
        `${what}: column '${name}' is ${typeName(f.type)}; partition columns must be of an atomic type (boolean, number, string, date, timestamp) because each value becomes a folder name. Partition by ${example} instead.`,
      );
    }
  }
}
