"""Where Splink runs a resolution: DuckDB in this process (the default, hermit's name
scorer a DuckDB function: udf.py) or the Spark session of an engine of hermit.engine
(spark_splink.py). A backend gives Splink its database API and hermit's settings and
training rules in the SQL of that database."""

from __future__ import annotations

from typing import Any

from hermit.engine.base import Engine


class SplinkBackend:
    """One Splink database API for one table's resolution; ``close`` lets it go."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.name = "duckdb" if engine is None or engine.name == "duckdb" else engine.name
        self._con: Any = None
        if self.name == "duckdb":
            import duckdb
            from splink import DuckDBAPI

            from hermit.resolve.udf import register

            self._con = duckdb.connect()
            register(self._con)
            self.db_api: Any = DuckDBAPI(self._con)
        elif self.name == "spark":
            from hermit.engine.spark_engine import SparkEngine
            from hermit.resolve.spark_splink import spark_api

            assert isinstance(engine, SparkEngine)
            self.db_api = spark_api(engine.session)
        else:
            raise ValueError(f"resolution does not run on engine {self.name!r}")

    def settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        """model.py's settings (DuckDB SQL) in this backend's SQL."""
        if self.name == "duckdb":
            return settings
        from hermit.resolve.spark_splink import spark_settings

        return spark_settings(settings)

    def rule(self, rule: str) -> str:
        """A training rule (DuckDB SQL) in this backend's SQL."""
        if self.name == "duckdb":
            return rule
        from hermit.resolve.spark_splink import spark_rule

        return spark_rule(rule)

    def stored(self, trained: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
        """A trained model (Splink's JSON) as the DuckDB backend stores it: its SQL
        that of ``settings`` (model.py's, DuckDB's dialect), so a run made on Spark is
        read back (hermit.resolve.incremental) as one made on DuckDB."""
        if self.name == "duckdb":
            return trained
        return duckdb_model(trained, settings)

    def close(self) -> None:
        if self._con is not None:
            self._con.close()


def duckdb_model(trained: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """``trained`` with each comparison level's condition and each blocking rule taken
    from ``settings`` (the same comparisons, levels and rules, in another dialect)."""
    written = {c["output_column_name"]: c["comparison_levels"] for c in settings["comparisons"]}
    comparisons = []
    for comparison in trained["comparisons"]:
        levels = written[comparison["output_column_name"]]
        kept = comparison["comparison_levels"]
        if [x["label_for_charts"] for x in kept] != [x["label_for_charts"] for x in levels]:
            raise ValueError(f"comparison {comparison['output_column_name']}: other levels")
        comparison = {
            **comparison,
            "comparison_levels": [
                {**level, "sql_condition": level_sql["sql_condition"]}
                for level, level_sql in zip(kept, levels, strict=True)
            ],
        }
        comparisons.append(comparison)
    rules = [
        {**rule, "blocking_rule": rule_sql["blocking_rule"], "sql_dialect": "duckdb"}
        for rule, rule_sql in zip(
            trained["blocking_rules_to_generate_predictions"],
            settings["blocking_rules_to_generate_predictions"],
            strict=True,
        )
    ]
    return {
        **trained,
        "sql_dialect": "duckdb",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": rules,
    }
