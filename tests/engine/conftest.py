"""The engine tests' Spark session: one local session for the whole test session,
started on first use. Spark tests are skipped only when PySpark is not installed and
HERMIT_REQUIRE_SPARK is not set (CI sets it: .ci/run), so a CI without Java or PySpark
fails rather than skips them."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from typing import Any

import pytest

SPARK_MISSING = importlib.util.find_spec("pyspark") is None and not os.environ.get(
    "HERMIT_REQUIRE_SPARK"
)
needs_spark = pytest.mark.skipif(
    SPARK_MISSING, reason="PySpark not installed (pip install -e '.[spark]'; CI requires it)"
)
#: Small scan partitions, so a test file of a few hundred rows is read in several.
SPLIT_BYTES = 4096


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    from hermit.engine.spark_engine import SparkEngine

    engine = SparkEngine.start(master="local[2]")
    engine.session.conf.set("spark.sql.files.maxPartitionBytes", str(SPLIT_BYTES))
    yield engine.session
    engine.close()
