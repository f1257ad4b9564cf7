/** kafkajs error classes that mean "the broker or network was unavailable", not "the request was wrong". */
const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSTimeout',
]);

/** Protocol errors of a producer that another instance of the same transactional id fenced. */
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED']);

function chain(e: unknown): { name?: string; type?: string; retriable?: boolean }[] {
  const out: { name?: string; type?: string; retriable?: boolean; cause?: unknown; originalError?: unknown }[] = [];
  let cur = e as { cause?: unknown; originalError?: unknown } | undefined;
  while (cur !== undefined && cur !== null && out.length < 10) {
    out.push(cur as (typeof out)[number]);
    cur = (cur.cause ?? cur.originalError) as typeof cur;
  }
  return out;
}

/** True when a kafkajs error says another producer with the same transactional id took over. */
export function isFenced(e: unknown): boolean {
  return chain(e).some((c) => c.type !== undefined && FENCED_TYPES.has(c.type));
}

/**
 * True when a kafkajs error is worth retrying the whole batch for: the broker was
 * unreachable or restarting (connection refused, timeouts, retries exhausted, coordinator
 * loading or moved). kafkajs sometimes wraps such causes in a KafkaJSNonRetriableError, so
 * the whole cause chain is inspected. A fenced producer is never transient.
 */
export function isTransient(e: unknown): boolean {
  if (isFenced(e)) return false;
  return chain(e).some((c) => c.retriable === true || (c.name !== undefined && TRANSIENT_NAMES.has(c.name)));
}
