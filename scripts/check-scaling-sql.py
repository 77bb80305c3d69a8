#!/usr/bin/env python3
"""Checks the warehouse SQL of notebooks-md/05-scaling.md against `clv summarize`.

Runs the notebook's ```sql block with SQLite (Python's standard-library sqlite3, 3.25 or later
for window functions) on ../shared/datasets/CDNOW_sample.txt and compares every customer's
frequency, recency, T and monetary_value with the output of

    clv summarize ../shared/datasets/CDNOW_sample.txt --no-header --delimiter whitespace \
      --customer-column 2 --date-column 3 --amount-column 5 --observation-end 1997-09-30

Usage (from the repository root, after `swift build`):

    python3 scripts/check-scaling-sql.py [path/to/clv] [observation-end]

The two dialect-specific pieces of the SQL are replaced for SQLite: DAY_NUMBER(d) becomes
julianday(d) - julianday('1970-01-01') (days since 1970-01-01), and :observation_end is bound
as a 'yyyy-MM-dd' string. Exit status 0 when every customer agrees (counts exactly, times and
money to 1e-9 relative), 1 otherwise. Needs only the Python standard library.
"""

import csv
import io
import math
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks-md" / "05-scaling.md"
ORDERS = ROOT / ".." / "shared" / "datasets" / "CDNOW_sample.txt"


def notebook_sql() -> str:
    """The first ```sql block of the notebook, dialect pieces replaced for SQLite."""
    text = NOTEBOOK.read_text(encoding="utf-8")
    match = re.search(r"```sql\n(.*?)```", text, re.S)
    if not match:
        sys.exit(f"{NOTEBOOK}: no ```sql block")
    sql = match.group(1)
    # DAY_NUMBER(expr) -> days since 1970-01-01 (whole days for 'yyyy-MM-dd' dates).
    sql = re.sub(
        r"DAY_NUMBER\(([^()]*)\)",
        r"CAST(julianday(\1) - julianday('1970-01-01') AS INTEGER)",
        sql,
    )
    return sql


def load_orders(connection: sqlite3.Connection) -> int:
    """CDNOW_sample.txt: master id, sample id, yyyymmdd, CDs, dollars (whitespace, no header)."""
    connection.execute("CREATE TABLE orders (customer_id TEXT, order_date TEXT, amount REAL)")
    rows = []
    with open(ORDERS, encoding="ascii") as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            _, sample_id, date, _, dollars = fields
            rows.append((sample_id, f"{date[:4]}-{date[4:6]}-{date[6:]}", float(dollars)))
    connection.executemany("INSERT INTO orders VALUES (?, ?, ?)", rows)
    return len(rows)


def clv_summary(clv: str, observation_end: str) -> dict:
    output = subprocess.run(
        [clv, "summarize", str(ORDERS), "--no-header", "--delimiter", "whitespace",
         "--customer-column", "2", "--date-column", "3", "--amount-column", "5",
         "--observation-end", observation_end],
        check=True, capture_output=True, text=True,
    ).stdout
    reader = csv.DictReader(io.StringIO(output))
    return {row["customer_id"]: row for row in reader}


def main() -> int:
    clv = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / ".build" / "debug" / "clv")
    observation_end = sys.argv[2] if len(sys.argv) > 2 else "1997-09-30"
    connection = sqlite3.connect(":memory:")
    orders = load_orders(connection)
    cursor = connection.execute(notebook_sql(), {"observation_end": observation_end})
    columns = [d[0] for d in cursor.description]
    sql_rows = {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}
    expected = clv_summary(clv, observation_end)

    def close(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)

    mismatches = 0
    if set(sql_rows) != set(expected):
        print(f"customers differ: SQL {len(sql_rows)}, clv {len(expected)}")
        mismatches += 1
    for customer, want in expected.items():
        got = sql_rows.get(customer)
        if got is None:
            continue
        same = (
            int(got["frequency"]) == int(want["frequency"])
            and close(float(got["recency"]), float(want["recency"]))
            and close(float(got["T"]), float(want["T"]))
            and close(float(got["monetary_value"]), float(want["monetary_value"]))
        )
        if not same:
            mismatches += 1
            if mismatches <= 10:
                print(f"customer {customer}: SQL {got} != clv {dict(want)}")
    print(
        f"{orders} order rows, {len(sql_rows)} customers from SQL, {len(expected)} from "
        f"clv summarize (observation end {observation_end}): "
        + ("all equal" if mismatches == 0 else f"{mismatches} differ")
    )
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
