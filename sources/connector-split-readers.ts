import { invalidArgument } from '../common/errors.js';
import type { ConnectorSplitReader } from './connector-split-reader.js';

/**
 * Split readers of connector scans by connector name. Each entry loads its module lazily,
 * so a worker imports a client library (kafkajs...) only when it first reads such a split.
 * A connector that wants parallel reads adds itself here and makes its `getBatch` return a
 * connector scan (`buildConnectorScan(name, splits, schema, description)`).
 */
const SPLIT_READERS: Readonly<Record<string, () => Promise<ConnectorSplitReader>>> = Object.freeze({
  kafka: async () => (await import('./kafka/kafka-split-reader.js')).readKafkaSplit,
});

/** The split reader of `connector`; INVALID_ARGUMENT listing the known connectors when unknown. */
export async function connectorSplitReader(connector: string): Promise<ConnectorSplitReader> {
  const load = SPLIT_READERS[connector];
  if (load === undefined) throw invalidArgument(`No split reader for connector '${connector}'. Known: ${Object.keys(SPLIT_READERS).join(', ')}.`);
  return load();
}
