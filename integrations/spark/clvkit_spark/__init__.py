"""clvkit on Apache Spark: order logs summarized as `clv summarize` does, distinct rows with
weights for `clv train --weight-column`, and sharded scoring through `clv score -`.

See integrations/spark/README.md and notebooks-md/guides/spark.md.
"""

from .orders import OrderLogError, OrderLogFormat, read_orders
from .scoring import (SCORE_COLUMNS, ScoringError, clv_binary, exact_median,
                      population_cycle_days_of, score, score_schema)
from .summaries import UNIT_DAYS, SummaryError, distinct_rows, summarize, write_csv

__all__ = [
    "OrderLogError", "OrderLogFormat", "read_orders",
    "SCORE_COLUMNS", "ScoringError", "clv_binary", "exact_median", "population_cycle_days_of",
    "score", "score_schema",
    "UNIT_DAYS", "SummaryError", "distinct_rows", "summarize", "write_csv",
]
