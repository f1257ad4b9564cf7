#!/usr/bin/env python3
"""The Apache Spark peer of the benchmark runner (`npm run bench -- W2 --peer spark`).

Runs ONE workload on PySpark (local[N], N = --workers) over the same Parquet files as Sluice and
writes a report the runner reads like the other engines' (benchmarks/engine-run-report.ts):
times of the timed runs, their median, peak RSS (driver JVM + this process) and the result rows.

Timed action: `df.write.format("noop").mode("overwrite").save()`, which runs the whole plan
without shipping rows to Python (the usual fair way to time Spark). The result rows for the
comparison come from one more, untimed `collect()`. Integer columns are written as decimal
strings so that 64-bit values stay exact through JSON.

Usage: python spark_runner.py --workload W2 --data DIR --out REPORT.json [--runs 5] [--warmup 1] [--workers 2]
The runner starts it with the venv of scripts/spark-kafka/env.sh (pyspark 4.2.0).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time

W1_MIN_AMOUNT = 100
W1_COUNTRIES = ("US", "GB", "DE")
W3_WINDOW = "1 minute"
W4_MIN_COUNT = 5
W5_RANGE_MS = 120_000
W5_MIN_COUNT = 5
W5_MIN_MERCHANTS = 3
W6_GAP = "5 minutes"


def query(name, tx, merchants, F, Window):
    """The Spark form of one workload, with the output columns of benchmarks/workloads/*.ts."""
    ms = lambda c: F.unix_millis(c)  # noqa: E731
    if name in ("W0",):
        return tx.agg(
            F.count(F.lit(1)).alias("n"),
            ms(F.min("event_time")).alias("min_event_ms"), ms(F.max("event_time")).alias("max_event_ms"),
            F.sum("card_id").alias("sum_card_id"),
            F.min("merchant_id").alias("min_merchant"), F.max("merchant_id").alias("max_merchant"),
            F.sum("amount").alias("sum_amount"),
            F.min("country").alias("min_country"), F.max("country").alias("max_country"),
            F.sum(F.col("is_online").cast("long")).alias("n_online"))
    if name in ("W1", "W1-mem"):
        return (tx.where((F.col("amount") > W1_MIN_AMOUNT) & F.col("country").isin(*W1_COUNTRIES))
                  .agg(F.count(F.lit(1)).alias("n"), F.sum("amount").alias("sum_amount")))
    if name in ("W2", "W2-mem", "W2-workers"):
        return tx.groupBy("merchant_id").agg(
            F.count(F.lit(1)).alias("n"), F.sum("amount").alias("sum_amount"),
            F.avg("amount").alias("avg_amount"), F.max("amount").alias("max_amount"))
    if name == "W3":
        return (tx.groupBy(F.window("event_time", W3_WINDOW), "country")
                  .agg(F.count(F.lit(1)).alias("n"), F.sum("amount").alias("sum_amount"))
                  .select(ms(F.col("window.start")).alias("window_start_ms"), "country", "n", "sum_amount"))
    if name == "W4":
        return (tx.groupBy(F.window("event_time", "10 minutes", "1 minute"), "card_id")
                  .agg(F.count(F.lit(1)).alias("n"))
                  .where(F.col("n") >= W4_MIN_COUNT)
                  .select("card_id", ms(F.col("window.start")).alias("window_start_ms"), "n"))
    if name == "W5":
        # Spark has no DISTINCT window aggregates: size(collect_set(...)) over the same frame.
        frame = Window.partitionBy("card_id").orderBy("t").rangeBetween(-W5_RANGE_MS, 0)
        return (tx.select("card_id", "merchant_id", ms(F.col("event_time")).alias("t"))
                  .select("card_id", F.col("t").alias("event_time_ms"),
                          F.count(F.lit(1)).over(frame).alias("n"),
                          F.size(F.collect_set("merchant_id").over(frame)).cast("long").alias("n_merchants"))
                  .where((F.col("n") >= W5_MIN_COUNT) & (F.col("n_merchants") >= W5_MIN_MERCHANTS)))
    if name == "W6":
        return (tx.groupBy("card_id", F.session_window("event_time", W6_GAP))
                  .agg(F.count(F.lit(1)).alias("n"), F.sum("amount").alias("sum_amount"),
                       F.min("event_time").alias("first_t"), F.max("event_time").alias("last_t"))
                  .select("card_id", ms(F.col("session_window.start")).alias("session_start_ms"),
                          ms(F.col("session_window.end")).alias("session_end_ms"), "n", "sum_amount",
                          (ms(F.col("last_t")) - ms(F.col("first_t"))).alias("length_ms")))
    if name == "join":
        return (tx.join(merchants, "merchant_id").groupBy("category")
                  .agg(F.count(F.lit(1)).alias("n"), F.sum("amount").alias("sum_amount")))
    raise KeyError(f"the Spark peer has no form of workload '{name}'")


def jvm_peak_rss_mb(spark) -> float:
    """VmHWM of the driver JVM (local mode: it runs everything), in MiB."""
    try:
        pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except Exception:  # noqa: BLE001 - best effort
        pass
    return float("nan")


def cell(v):
    """A JSON-safe result cell: ints as decimal strings (exact), the rest as they are."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return str(v)
    return v


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workload", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--driver-memory", default="8g")
    a = p.parse_args()
    report = {"engine": "spark", "workload": a.workload, "workers": a.workers, "times": [],
              "medianSeconds": None, "peakRssMb": None, "outputRows": 0, "rows": []}
    spark = None
    try:
        from pyspark.sql import SparkSession, Window
        from pyspark.sql import functions as F
        import pyspark

        spark = (SparkSession.builder.master(f"local[{a.workers}]").appName("sluice-bench-peer")
                 .config("spark.driver.memory", a.driver_memory)
                 .config("spark.sql.session.timeZone", "UTC")
                 .config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false")
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        tx = spark.read.parquet(a.data)  # files whose names start with '_' (the manifest, _merchants/) are skipped
        merchants = spark.read.parquet(os.path.join(a.data, "_merchants")) if a.workload == "join" else None
        if a.workload.endswith("-mem"):
            tx = tx.cache()
            tx.count()
        q = query(a.workload, tx, merchants, F, Window)
        times = []
        for i in range(a.warmup + a.runs):
            t0 = time.perf_counter()
            q.write.format("noop").mode("overwrite").save()
            if i >= a.warmup:
                times.append(time.perf_counter() - t0)
        rows = q.collect()
        report.update({
            "times": times, "medianSeconds": statistics.median(times),
            "peakRssMb": jvm_peak_rss_mb(spark) + resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            "outputRows": len(rows),
            "rawRows": [{k: cell(v) for k, v in r.asDict().items()} for r in rows],
            "engineInfo": {"spark": pyspark.__version__, "master": f"local[{a.workers}]"},
        })
    except Exception as e:  # noqa: BLE001 - reported to the runner
        report["error"] = f"{type(e).__name__}: {e}"
    finally:
        if spark is not None:
            spark.stop()
    with open(a.out, "w") as f:
        json.dump(report, f)
    return 0 if "error" not in report else 1


if __name__ == "__main__":
    sys.exit(main())
