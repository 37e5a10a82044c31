"""A small local Spark session shared by the Spark tests (2 cores, no UI, 2 shuffle partitions)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java 17+ (scripts/test installs default-jre-headless as root)")
    try:
        import pyarrow  # noqa: F401
    except ImportError as error:  # e.g. pyarrow >= 23 wants numpy 2, spaCy 3.7 wants numpy < 2
        pytest.skip(f"pyarrow is not usable, so mapInPandas is not: {error} (pin pyarrow<23 with numpy<2)")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    # the Python workers import spark_fakes from here
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH", "")]))
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("facet-coder-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
