#!/usr/bin/env python3
"""Runs the port test's Spark SQL jobs (test/port/port-jobs.ts) in Apache Spark over the same
seeded files, for test/port/pyspark-port.test.ts (UPDATE_SPARK_RESULTS=1 runs this).

    python port_jobs.py --tx DIR --views DIR --jobs JOBS.json --out RESULTS.json

JOBS.json is a list of {name, sql}; the SQL reads the temp views `tx` and `views`. The output
maps each job to {columns, rows}: timestamps as epoch milliseconds, integers as decimal
strings (exact through JSON), doubles as numbers. Session time zone UTC, local[2].
"""
import argparse
import json

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import IntegralType, TimestampType


def cell(v):
    if isinstance(v, bool) or v is None or isinstance(v, (float, str)):
        return v
    if isinstance(v, int):
        return str(v)
    raise TypeError(f"unexpected value {v!r}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tx", required=True)
    p.add_argument("--views", required=True)
    p.add_argument("--jobs", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    spark = (SparkSession.builder.master("local[2]").appName("sluice-port-check")
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.read.parquet(a.tx).createOrReplaceTempView("tx")
    spark.read.parquet(a.views).createOrReplaceTempView("views")
    out = {}
    with open(a.jobs) as f:
        jobs = json.load(f)
    for job in jobs:
        df = spark.sql(job["sql"])
        cols = [F.unix_millis(F.col(f"`{fld.name}`")).alias(fld.name) if isinstance(fld.dataType, TimestampType) else F.col(f"`{fld.name}`")
                for fld in df.schema.fields]
        rows = df.select(*cols).collect()
        out[job["name"]] = {"columns": df.columns, "rows": [{k: cell(v) for k, v in r.asDict().items()} for r in rows]}
        print(f"port_jobs.py: {job['name']}: {len(rows)} rows")
    spark.stop()
    with open(a.out, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
