#!/usr/bin/env python3
"""The Spark peer of the kafka-e2e benchmark: a long-lived Spark Structured Streaming driver
(pyspark 4.2.0, local[2], spark-sql-kafka from Maven Central through spark.jars) that runs
the benchmark's pipeline on command, so the ~15 s session start is paid once per run.

    python spark_engine.py KAFKA_JARS_DIR

Speaks JSON lines: stdout gets {"event":"ready"} once the session is up; stdin takes
  {"cmd":"start","id":..,"bootstrap":..,"input":..,"output":..,"triggerMs":100,
   "maxOffsetsPerTrigger":null|N,"checkpoint":DIR,"shufflePartitions":2}
    -> {"event":"started","id":..}
  {"cmd":"stop","id":..} -> {"event":"stopped","id":..,"batches":[[inputRows, triggerMs, addBatchMs], ...]}
  {"cmd":"exit"}
Errors come back as {"event":"error","id":..,"message":..}.

The pipeline (the same as the Sluice side, benchmarks/kafka/sluice_engine's query):
  readStream.format('kafka') subscribe input, startingOffsets earliest
  -> from_json(value as string, TX_SCHEMA) -> withWatermark(event_time, '11 minutes')
  -> groupBy(window(event_time, '1 minute'), partition).count()
  -> value = '{"w":<window start ms>,"p":<partition>,"n":<count>}'
  -> writeStream.format('kafka') topic output, outputMode update, processingTime trigger.
"""
import glob
import json
import os
import sys
import traceback

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

TX_SCHEMA = "card_id BIGINT, merchant_id STRING, amount DOUBLE, country STRING, is_online BOOLEAN, event_time TIMESTAMP"


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def start_query(spark, c):
    src = (spark.readStream.format("kafka")
           .option("kafka.bootstrap.servers", c["bootstrap"])
           .option("subscribe", c["input"])
           .option("startingOffsets", "earliest"))
    if c.get("maxOffsetsPerTrigger"):
        src = src.option("maxOffsetsPerTrigger", str(c["maxOffsetsPerTrigger"]))
    tx = (src.load()
          .select(F.from_json(F.col("value").cast("string"), TX_SCHEMA).alias("tx"), F.col("partition"))
          .select("tx.*", "partition"))
    counts = (tx.withWatermark("event_time", "11 minutes")
              .groupBy(F.window("event_time", "1 minute"), F.col("partition"))
              .agg(F.count(F.lit(1)).alias("n")))
    out = counts.select(F.concat(
        F.lit('{"w":'), F.unix_millis(F.col("window.start")).cast("string"),
        F.lit(',"p":'), F.col("partition").cast("string"),
        F.lit(',"n":'), F.col("n").cast("string"), F.lit("}")).alias("value"))
    return (out.writeStream.format("kafka")
            .option("kafka.bootstrap.servers", c["bootstrap"])
            .option("topic", c["output"])
            .option("checkpointLocation", c["checkpoint"])
            .outputMode("update")
            .queryName(c["id"])
            .trigger(processingTime=f'{c["triggerMs"]} milliseconds')
            .start())


def batches_of(q):
    seen, out = set(), []
    for p in q.recentProgress:
        d = p if isinstance(p, dict) else json.loads(p.json)
        dur = d.get("durationMs", {})
        if d["batchId"] in seen or "addBatch" not in dur:
            continue
        seen.add(d["batchId"])
        out.append([d.get("numInputRows", 0), dur.get("triggerExecution"), dur.get("addBatch")])
    return out


def main():
    jars = sorted(glob.glob(os.path.join(sys.argv[1], "*.jar")))
    if not jars:
        raise SystemExit(f"spark_engine.py: no jars in {sys.argv[1]} (run scripts/spark-kafka/env.sh)")
    spark = (SparkSession.builder.master("local[2]").appName("kafka-e2e-spark")
             .config("spark.jars", ",".join(jars))
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.memory", "2g")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "2")
             .config("spark.sql.streaming.numRecentProgressUpdates", "100000")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    emit({"event": "ready", "spark": spark.version})
    queries = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        c = json.loads(line)
        try:
            if c["cmd"] == "start":
                spark.conf.set("spark.sql.shuffle.partitions", str(c.get("shufflePartitions", 2)))
                queries[c["id"]] = start_query(spark, c)
                emit({"event": "started", "id": c["id"]})
            elif c["cmd"] == "stop":
                q = queries.pop(c["id"])
                exc = q.exception()
                q.stop()
                emit({"event": "stopped", "id": c["id"], "batches": batches_of(q),
                      "error": None if exc is None else str(exc)})
            elif c["cmd"] == "exit":
                break
        except Exception as e:  # noqa: BLE001
            traceback.print_exc(file=sys.stderr)
            emit({"event": "error", "id": c.get("id"), "message": str(e)})
    for q in queries.values():
        q.stop()
    spark.stop()


if __name__ == "__main__":
    main()
