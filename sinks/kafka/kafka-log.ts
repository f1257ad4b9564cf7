import { logLevel, type logCreator } from 'kafkajs';

/**
 * The logger given to kafkajs clients. kafkajs logs errors it retries on its own
 * (coordinator loading, not leader, CONCURRENT_TRANSACTIONS) at ERROR level, which would
 * flood a healthy query's output; failures that matter reach the caller as exceptions. So
 * nothing is printed unless `SLUICE_KAFKA_LOG` is set to `error`, `warn`, `info` or
 * `debug`, which prints kafkajs's lines of that level and above to stderr.
 */
export const kafkaLogCreator: logCreator = () => {
  const wanted = process.env.SLUICE_KAFKA_LOG?.toLowerCase();
  const threshold =
    wanted === 'debug' ? logLevel.DEBUG : wanted === 'info' ? logLevel.INFO : wanted === 'warn' ? logLevel.WARN : wanted === 'error' ? logLevel.ERROR : null;
  return ({ level, label, log }) => {
    if (threshold === null || level > threshold) return;
    const { message, ...extra } = log;
    process.stderr.write(`kafkajs ${label} ${log.logger ?? ''} ${message} ${JSON.stringify(extra)}\n`);
  };
};
