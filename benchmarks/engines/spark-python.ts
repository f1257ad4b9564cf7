import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The Python interpreter of the Spark peer: `$SLUICE_SPARK_PYTHON` when set, else the venv that
 * `scripts/spark-kafka/env.sh` creates on first use (pyspark 4.2.0, about 485 MB from PyPI,
 * plus the Kafka connector's jars from Maven Central; Java 17 must be on PATH).
 */
export async function sparkPython(projectRoot: string): Promise<string> {
  const given = process.env.SLUICE_SPARK_PYTHON;
  if (given !== undefined && given !== '') return given;
  const { stdout } = await run(join(projectRoot, 'scripts/spark-kafka/env.sh'), [], { env: process.env, maxBuffer: 1 << 20 });
  const venv = stdout.trim().split('\n').pop();
  if (venv === undefined || venv === '') throw new Error('scripts/spark-kafka/env.sh printed no venv folder; run it by hand to see why.');
  return join(venv, 'bin/python');
}
