"""Bulk screening: queries from a CSV, JSON lines or Parquet file, screened in worker
processes, results written as one row per (query, candidate) with a rejects file and a
run record beside them.

Modules: ``rows`` (what flows through a run), ``columns`` (input header to query
fields), ``csv_io``/``jsonl_io``/``parquet_io`` (one reader and one writer per format),
``formats`` (format by extension, opening readers and writers), ``work`` (screening a
chunk, in a worker or in-process), ``output`` (files written whole or not at all, the
rejects file), ``summary`` (counts and the run record), ``runner`` (the run itself).
The Screener a run uses comes from ``hermit.screening.store_screener``.
"""
