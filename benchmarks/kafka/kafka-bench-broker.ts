import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A broker for a benchmark: the given one, or one started from scripts/services and stopped by `close()`. */
export interface BenchBroker {
  readonly bootstrap: string;
  close(): Promise<void>;
}

/** Uses `bootstrap` (or KAFKA_BOOTSTRAP) when given, else starts a private broker (install + start, 10-40 s). */
export async function benchBroker(bootstrap: string | undefined): Promise<BenchBroker> {
  const given = bootstrap ?? process.env.KAFKA_BOOTSTRAP;
  if (given) return { bootstrap: given, close: async () => undefined };
  const scripts = resolve(import.meta.dirname, '../../../scripts/services');
  const state = mkdtempSync(join(tmpdir(), 'sluice-bench-kafka-'));
  process.stderr.write('starting a Kafka broker (scripts/services/start-kafka.sh)...\n');
  await run(join(scripts, 'install-kafka.sh'), [], { env: process.env });
  const out = await run(join(scripts, 'start-kafka.sh'), [join(state, 'kafka')], { env: process.env });
  return {
    bootstrap: out.stdout.trim(),
    close: async () => {
      await run(join(scripts, 'stop-kafka.sh'), [join(state, 'kafka'), '--clean']).catch(() => undefined);
      rmSync(state, { recursive: true, force: true });
    },
  };
}
