import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFileManager } from '../../common/log/local-file-manager.js';
import { ManualClock } from '../../scheduler/manual-clock.js';
import { KafkaSource } from '../../sources/kafka/kafka-source.js';
import { sourceContract } from '../contract/source-contract.js';
import { KafkaTestData } from '../helpers/kafka-test-data.js';
import { kafkaBootstrap, uniqueName } from '../helpers/services.js';

sourceContract('kafka (real broker)', async () => {
  const data = new KafkaTestData(kafkaBootstrap());
  const topic = uniqueName('ks-contract');
  await data.createTopic(topic, 1);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-kafka-contract-'));
  const fileManager = new LocalFileManager();
  let n = 0;
  return {
    create: async () =>
      new KafkaSource(
        { 'kafka.bootstrap.servers': kafkaBootstrap(), subscribe: topic, startingOffsets: 'earliest', includeHeaders: true },
        { metadataPath: join(dir, 'sources', '0'), fileManager },
        new ManualClock(0),
      ),
    addData: async () => {
      await data.send(topic, [
        { partition: 0, value: `v${n}`, key: `k${n}`, headers: { h: String(n) } },
        { partition: 0, value: null, key: null },
        { partition: 0, value: `w${n}` },
      ]);
      n++;
    },
    limit: { limit: { maxRows: 2 }, maxRows: 2 },
    cleanup: async () => {
      await data.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
