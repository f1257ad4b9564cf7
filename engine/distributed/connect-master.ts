import { resolve } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import type { RuntimeConf } from '../session/session-conf.js';
import { BullMqTaskRunner } from './bullmq-task-runner.js';

/**
 * The task runner of a session built with `.master(url)`: a {@link BullMqTaskRunner} on
 * the Redis at `url`, set up from the session's `sluice.distributed.*` settings.
 */
export async function connectMaster(url: string, conf: RuntimeConf): Promise<BullMqTaskRunner> {
  const queue = conf.get('sluice.distributed.queue', 'sluice') as string;
  if (!/^[A-Za-z0-9_-]+$/.test(queue)) throw invalidArgument(`Config 'sluice.distributed.queue' must be letters, digits, '_' or '-', got '${queue}'.`);
  const speculation = conf.get('sluice.distributed.speculation', 'true');
  if (speculation !== 'true' && speculation !== 'false')
    throw invalidArgument(`Config 'sluice.distributed.speculation' must be true or false, got '${speculation}'.`);
  const inline = conf.get('sluice.distributed.inlineResultMaxBytes') === undefined ? 1 << 20 : conf.getPositiveInt('sluice.distributed.inlineResultMaxBytes');
  const storage = conf.get('sluice.distributed.sharedStorage');
  return BullMqTaskRunner.connect({
    redisUrl: url,
    queue,
    storage: storage === undefined ? null : resolve(storage),
    inlineMaxBytes: inline,
    speculation: speculation === 'true',
  });
}
