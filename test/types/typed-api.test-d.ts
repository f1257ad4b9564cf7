// Type tests: `npx tsc -p tsconfig.json --noEmit` (part of `npm test`) checks this file.
// Every `@ts-expect-error` line must fail to compile, so a mistake that the types stop
// catching (a format, mode, join type or option key typed as plain string again) fails the
// typecheck. Nothing here runs.
import type { DataFrame, Row, Sluice, StatefulProcessor, StreamingQueryListener, UserDefinedFunction } from '../../index.js';
import { col, Trigger, udf, vectorizedUdf } from '../../index.js';

declare const sluice: Sluice;
declare const df: DataFrame;

export async function formatsAndOptions(): Promise<void> {
  // Read formats and their option keys.
  await sluice.read.format('csv').option('header', true).option('inferSchema', true).load('in.csv');
  await sluice.read.option('header', true).csv('in.csv'); // before format(): any read format's keys
  await sluice.read.csv('in.csv', { header: true, sep: ';', mode: 'DROPMALFORMED' });
  await sluice.read.format('kafka').option('kafka.bootstrap.servers', 'b:9092').option('subscribe', 't').load();
  // @ts-expect-error unknown format
  sluice.read.format('parquett');
  // @ts-expect-error a CSV key on a Parquet reader
  sluice.read.format('parquet').option('header', true);
  // @ts-expect-error misspelt key
  sluice.read.format('csv').option('haeder', true);
  // @ts-expect-error misspelt key in an options object
  await sluice.read.csv('in.csv', { headr: true });
  // @ts-expect-error unknown parse mode
  await sluice.read.csv('in.csv', { mode: 'LENIENT' });
  // @ts-expect-error kafka.* pass-through keys belong to Kafka only
  sluice.read.format('json').option('kafka.bootstrap.servers', 'b:9092');

  // Streaming reads.
  sluice.readStream.format('parquet').option('maxFilesPerTrigger', 1);
  sluice.readStream.format('kafka').option('kafka.security.protocol', 'SASL_SSL').option('maxOffsetsPerTrigger', 1000);
  sluice.readStream.format('rate-micro-batch').option('rowsPerBatch', 10);
  // @ts-expect-error a file-stream key on the rate source
  sluice.readStream.format('rate').option('maxFilesPerTrigger', 1);
  // @ts-expect-error unknown streaming format
  sluice.readStream.format('socket');

  // Batch writes: formats, save modes, option keys.
  await df.write.mode('overwrite').option('compression', 'zstd').parquet('out/');
  await df.write.format('redis').option('url', 'redis://x').option('key', 'k:{id}').save();
  // @ts-expect-error unknown save mode
  df.write.mode('replace');
  // @ts-expect-error unknown write format
  df.write.format('avro');
  // @ts-expect-error a Redis key on the Parquet writer
  df.write.format('parquet').option('keyColumn', 'id');
  // @ts-expect-error unknown compression codec
  df.write.format('parquet').options({ compression: 'brotli' });

  // Streaming writes: formats, output modes, triggers, option keys.
  const w = df.writeStream.format('console').outputMode('update').trigger(Trigger.processingTime('1 second')).option('numRows', 5);
  w.option('checkpointLocation', 'ckpt/');
  df.writeStream.format('kafka').option('kafka.bootstrap.servers', 'b:9092').option('topic', 't');
  // @ts-expect-error unknown output mode
  df.writeStream.outputMode('upsert');
  // @ts-expect-error unknown sink format
  df.writeStream.format('socket');
  // @ts-expect-error a console key on the memory sink
  df.writeStream.format('memory').option('numRows', 5);
  // @ts-expect-error a trigger is plain data of a known kind
  df.writeStream.trigger({ kind: 'continuous' });

  // Join types.
  df.join(df, 'id', 'left_outer');
  df.join(df, col('a').equalTo(col('b')), 'anti');
  // @ts-expect-error unknown join type
  df.join(df, 'id', 'left_outter');
}

export async function typedRows(): Promise<void> {
  const rows = await df.toArray<{ id: bigint; name: string | null }>();
  const id: bigint = (rows[0] as { id: bigint }).id;
  // @ts-expect-error the row type has no 'amount'
  rows[0]?.amount;
  const plain: Row[] = await df.toArray();
  void id;
  void plain;
}

export function udfs(): void {
  const f: UserDefinedFunction = udf({ module: import.meta.url, export: 'normalise' }, 'string');
  f(col('a'), 'b').alias('n');
  vectorizedUdf({ module: new URL('./udfs.js', import.meta.url), export: 'scale' }, 'double')(col('amount'));
  // @ts-expect-error the module reference needs an export name
  udf({ module: import.meta.url }, 'string');
  // @ts-expect-error UDF arguments are columns or column names, not numbers
  f(1);
}

export const listener: StreamingQueryListener = {
  onQueryStarted: () => undefined,
  onQueryProgress: (e) => void e.progress.batchId,
  onQueryTerminated: () => undefined,
};

export const processor: StatefulProcessor = {
  init: () => undefined,
  handleInputRows: () => [],
};
