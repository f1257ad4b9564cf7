import type { StreamStartRequest } from '../../dataframe/data-stream-writer.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { MemorySinkRegistry } from '../../sinks/memory/memory-sink-registry.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { LocalFileManager } from '../../common/log/local-file-manager.js';
import type { RuntimeConf } from '../session/session-conf.js';
import type { BatchPlanner } from './batch-planner.js';
import { startStreamingQuery } from './start-streaming-query.js';
import { streamingConf } from './streaming-conf.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';
import { StreamingQueryManager } from './streaming-query-manager.js';
import { StreamingSourceCatalog } from './streaming-source-catalog.js';

/**
 * A session's streaming parts: the registered streaming sources, the query manager
 * (`sluice.streams`), the memory sink's tables (`sluice.table(name)`) and the file manager
 * checkpoints and sink logs are written with.
 */
export class StreamingRuntime {
  readonly catalog = new StreamingSourceCatalog();
  readonly manager: StreamingQueryManager;
  readonly memoryRegistry = new MemorySinkRegistry();
  readonly fileManager: FileManager;

  constructor(conf: RuntimeConf, fileManager: FileManager = new LocalFileManager()) {
    this.manager = new StreamingQueryManager(streamingConf(conf, 'sluice.streaming.stopOnSignal') !== 'false');
    this.fileManager = fileManager;
  }

  /** Starts a streaming query planned by `planner`. */
  start(plan: LogicalPlan, request: StreamStartRequest, planner: BatchPlanner): Promise<StreamingQuery> {
    return startStreamingQuery(plan, request, {
      catalog: this.catalog,
      manager: this.manager,
      memoryRegistry: this.memoryRegistry,
      planner,
      fileManager: this.fileManager,
    });
  }
}
