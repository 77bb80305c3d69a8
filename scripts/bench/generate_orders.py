"""Writes a synthetic order log for the `clv summarize` benchmark (README, "Input data and
summaries"): ROWS rows, CUSTOMERS customers, header customer_id,date,amount, sorted by date.

Usage: python3 scripts/bench/generate_orders.py /tmp/orders-3M.csv [ROWS] [CUSTOMERS]
Needs numpy. Seeded: the same arguments give the same file. Do not commit the output.
"""
import sys
import numpy as np

path = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000
customers = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
rng = np.random.default_rng(20261122)
ids = np.concatenate([np.arange(customers), rng.integers(0, customers, rows - customers)])
rng.shuffle(ids)
days = np.sort(rng.integers(0, 730, rows))
dates = np.datetime64("2023-01-01") + days.astype("timedelta64[D]")
cents = rng.integers(100, 20000, rows)
with open(path, "w") as f:
    f.write("customer_id,date,amount\n")
    chunk = 200_000
    for s in range(0, rows, chunk):
        e = min(s + chunk, rows)
        f.write("".join(
            f"{i:07d},{d},{c // 100}.{c % 100:02d}\n"
            for i, d, c in zip(ids[s:e], dates[s:e].astype(str), cents[s:e])))
