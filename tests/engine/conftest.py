"""The engine tests' Spark session: one local session, started on first use and kept
while consecutive test modules use it (tests/shared.py: its JVM is stopped after them).
Spark tests are skipped only when PySpark is not installed and HERMIT_REQUIRE_SPARK is
not set (CI sets it: .ci/run), so a CI without Java or PySpark fails rather than skips
them."""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import pytest

from tests.shared import shared

SPARK_MISSING = importlib.util.find_spec("pyspark") is None and not os.environ.get(
    "HERMIT_REQUIRE_SPARK"
)
needs_spark = pytest.mark.skipif(
    SPARK_MISSING, reason="PySpark not installed (pip install -e '.[spark]'; CI requires it)"
)
#: Small scan partitions, so a test file of a few hundred rows is read in several.
SPLIT_BYTES = 4096
#: The tests' session: their data is a few thousand rows, so the cost is per query, not
#: per row. Two shuffle partitions (resources/engine.yaml's 8 are for real sizes), and
#: no Java code generated per query (whole-stage codegen and codegen'd expressions: each
#: new plan compiled with Janino) nor C2-compiled (the JIT's second tier, which the
#: JVM's short life here never pays back). tests/engine/test_compliance_engines.py
#: under /usr/bin/time: 143 CPU s before, see BENCHMARKS.md's Test suite entry.
TEST_CONF = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    "spark.driver.memory": "640m",
    "spark.ui.enabled": "false",
}


def _start() -> Any:
    from hermit.engine.spark_engine import SparkEngine

    engine = SparkEngine.start(master="local[2]", conf=TEST_CONF)
    engine.session.conf.set("spark.sql.files.maxPartitionBytes", str(SPLIT_BYTES))
    return engine


def _stop(engine: Any) -> None:
    """The session stopped and its JVM ended (SparkContext.stop keeps the JVM for the
    next session: a gigabyte this process does not need once its Spark tests are done)."""
    from pyspark import SparkContext

    engine.close()
    gateway = SparkContext._gateway
    if gateway is not None:
        gateway.shutdown()
        proc = getattr(gateway, "proc", None)
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=60)
        SparkContext._gateway = None
        SparkContext._jvm = None


@pytest.fixture(scope="module")
def spark_session() -> Any:
    return shared("spark_session", _start, _stop).session
