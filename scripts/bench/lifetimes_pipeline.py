"""lifetimes 0.11.3 doing what the clv pipeline of `make bench` does, on the same order log.

Usage: python lifetimes_pipeline.py ORDERS.csv   (columns customer_id,date,amount)

Read the orders (pandas), summarize them in weeks (`summary_data_from_transaction_data`, freq
'W', the same observation end: the last order date), fit BG/NBD and Gamma-Gamma (repeat buyers),
and compute the CLV of every customer over 12 months at a monthly discount rate of 0.01 (as
`clv score --horizon 52 --discount-rate 0.01`). Prints one JSON object on stdout: each stage's
seconds and the package versions.
"""
import json
import platform
import sys
import time

t0 = time.perf_counter()
import lifetimes  # noqa: E402
import numpy  # noqa: E402
import pandas  # noqa: E402
import scipy  # noqa: E402
from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.utils import summary_data_from_transaction_data  # noqa: E402

seconds = {"import": time.perf_counter() - t0}

t = time.perf_counter()
orders = pandas.read_csv(sys.argv[1])
seconds["read"] = time.perf_counter() - t

t = time.perf_counter()
summary = summary_data_from_transaction_data(
    orders, "customer_id", "date", monetary_value_col="amount", freq="W"
)
seconds["summary"] = time.perf_counter() - t

t = time.perf_counter()
bgf = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
seconds["bgnbd"] = time.perf_counter() - t

t = time.perf_counter()
repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
seconds["gamma_gamma"] = time.perf_counter() - t

t = time.perf_counter()
clv = ggf.customer_lifetime_value(
    bgf, summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"],
    time=12, discount_rate=0.01, freq="W",
)
seconds["clv"] = time.perf_counter() - t
assert len(clv) == len(summary)
seconds["total"] = time.perf_counter() - t0

versions = {
    "python": platform.python_version(), "lifetimes": lifetimes.__version__,
    "numpy": numpy.__version__, "scipy": scipy.__version__, "pandas": pandas.__version__,
}
print(json.dumps({"seconds": seconds, "versions": versions}))
