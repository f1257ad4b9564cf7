"""Writes a small deterministic transaction set (4 Parquet files in event-time order) for the
Spark comparison: python3 make-data.py <dir>."""
import sys

import duckdb

out = sys.argv[1]
con = duckdb.connect()
con.execute("SET TimeZone='UTC'")
con.execute("""CREATE TABLE gen AS
  SELECT (TIMESTAMPTZ '2024-03-01 00:00:00+00' + to_milliseconds((((i * 7727) % 720) * 30000)::BIGINT))::TIMESTAMPTZ AS event_time,
         ((i * 31) % 300)::BIGINT AS card_id,
         ['US','GB','DE','FR','JP','BR'][(i * 17) % 6 + 1] AS country,
         round(((i * 104729) % 100003) / 100.0, 2)::DOUBLE AS amount
  FROM range(20000) r(i)""")
base = 1709251200000
for f in range(4):
    lo = base + f * 5_400_000
    hi = base + (f + 1) * 5_400_000
    con.execute(f"""COPY (SELECT * FROM gen WHERE epoch_ms(event_time) >= {lo} AND epoch_ms(event_time) < {hi} ORDER BY event_time)
                    TO '{out}/part-{f}.parquet' (FORMAT parquet)""")
