"""Runs the event-time comparison queries in Apache Spark (pyspark) and writes one JSON-lines
file per query to <out>: python3 spark_queries.py <data dir> <out dir>.

Batch: W3 (1-minute tumbling windows by country), W4 (10-minute windows sliding 1 minute by
card, count >= 5), W6 (5-minute session windows by card). Stream: W4 and W6 read with
maxFilesPerTrigger=1 and withWatermark('event_time', '10 minutes') in append mode under
Trigger.AvailableNow, so the result is what the final watermark released."""
import json
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

data, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
spark = (SparkSession.builder.master("local[2]").config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.shuffle.partitions", "4").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")


def ms(c):
    return (F.unix_micros(c) / 1000).cast("long")


def w3(df):
    return (df.groupBy(F.window("event_time", "1 minute"), "country")
            .agg(F.count("*").alias("n"), F.sum("amount").alias("sum_amount"))
            .select(ms(F.col("window.start")).alias("window_start_ms"), "country", "n", "sum_amount"))


def w4(df):
    return (df.groupBy("card_id", F.window("event_time", "10 minutes", "1 minute")).agg(F.count("*").alias("n"))
            .where("n >= 5").select("card_id", ms(F.col("window.start")).alias("window_start_ms"), "n"))


def w6(df):
    return (df.groupBy("card_id", F.session_window("event_time", "5 minutes"))
            .agg(F.count("*").alias("n"), F.sum("amount").alias("sum_amount"))
            .select("card_id", ms(F.col("session_window.start")).alias("session_start_ms"),
                    ms(F.col("session_window.end")).alias("session_end_ms"), "n", "sum_amount"))


def dump(name, rows):
    with open(os.path.join(out, f"{name}.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r.asDict()) + "\n")


batch = spark.read.parquet(data)
for name, q in [("W3", w3), ("W4", w4), ("W6", w6)]:
    dump(f"batch-{name}", q(batch).collect())

schema = batch.schema
for name, q in [("W4", w4), ("W6", w6)]:
    stream = (spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).parquet(data)
              .withWatermark("event_time", "10 minutes"))
    query = (q(stream).writeStream.format("memory").queryName(f"s{name}").outputMode("append")
             .option("checkpointLocation", os.path.join(out, f"cp-{name}")).trigger(availableNow=True).start())
    query.awaitTermination()
    wm = query.lastProgress["eventTime"].get("watermark")
    dump(f"stream-{name}", spark.table(f"s{name}").collect())
    with open(os.path.join(out, f"stream-{name}.watermark"), "w") as f:
        f.write(str(wm))
spark.stop()
