"""hermit-compliance@1's main checks through the engine seam (hermit.engine): the
labour files read and checked by DuckDB in this process or by Spark, with the same
findings on either."""
