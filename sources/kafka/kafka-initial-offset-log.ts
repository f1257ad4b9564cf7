import { FileMetadataLog } from '../../common/log/file-metadata-log.js';
import type { FileManager } from '../../common/log/file-manager.js';
import type { LogSerializer } from '../../common/log/metadata-log.js';
import type { PartitionOffsets } from './kafka-offsets.js';
import { asPartitionOffsets } from './kafka-offsets.js';

const serializer: LogSerializer<PartitionOffsets> = {
  toJson(e) {
    return e;
  },
  fromJson(json) {
    try {
      return asPartitionOffsets(json as PartitionOffsets, 'kafka initial offsets');
    } catch (e) {
      return (e as Error).message;
    }
  },
};

/**
 * The Kafka source's initial offsets (`sources/<i>/0`), as Spark keeps them: resolved
 * once when a query first starts (`latest` or a timestamp means "now"), so a query that
 * stops before its first batch is logged starts at the same place when restarted.
 */
export class KafkaInitialOffsetLog extends FileMetadataLog<PartitionOffsets> {
  constructor(fileManager: FileManager, dir: string) {
    super(fileManager, dir, serializer);
  }

  /** The logged initial offsets, or `resolve()`'s after logging them. */
  async initial(resolve: () => Promise<PartitionOffsets>): Promise<PartitionOffsets> {
    const logged = await this.get(0);
    if (logged !== undefined) return logged;
    const fresh = await resolve();
    if (await this.add(0, fresh)) return fresh;
    return (await this.get(0)) as PartitionOffsets;
  }
}
