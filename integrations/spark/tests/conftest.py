"""Fixtures for the Spark tests: one local[2] session, the clv binary, the data paths."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # clvkit_spark

ROOT = HERE.parent.parent.parent  # the repository
SHARED = ROOT.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def clv():
    """The clv binary: $CLV_BIN (make spark-test sets it), else .build/debug/clv."""
    path = os.environ.get("CLV_BIN") or str(ROOT / ".build" / "debug" / "clv")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no clv binary at {path}: run swift build, or set CLV_BIN")
    return path


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[2]").appName("clvkit-spark-tests")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def shared():
    if not (SHARED / "CDNOW_master.txt").exists():
        pytest.fail(f"{SHARED} is missing: clone the project with ../shared beside it")
    return SHARED


@pytest.fixture(scope="session")
def demo_orders():
    return str(ROOT / "datasets" / "demo-orders.csv")


def run_clv(clv, *args, cwd=None):
    """Runs clv; returns standard output (fails the test with stderr on a non-zero exit)."""
    result = subprocess.run([clv, *args], capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        pytest.fail(f"clv {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result.stdout
