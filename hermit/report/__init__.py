"""Reports: data first (a JSON document with a versioned schema), then HTML and PDF.

A report is built by the core (this package never imports cli or api), written as JSON,
and rendered from that JSON alone, so it can be regenerated, diffed and checked.

How to make a report (see hermit/report/compliance.py for a whole one)::

    from hermit.report import cite, document, render, stamp

    stamp_ = stamp.Stamp(generated_at="2026-01-01T00:00:00Z")   # None: now, UTC
    stamp_.add_input(path)                      # sha256 of every input file read
    stamp_.add_lists(store_path)                # list versions held in the store
    stamp_.add_algorithm("hermit-compliance@1", {"rules": "provisions.yaml v1"})
    doc = document.Report("kims", "KIMS port report", stamp_, period=("2023-01-01", "2023-12-31"))
    n = doc.cite(cite.input_rows("work_permits.csv.gz", sha, [(12, "WP-1"), ...]))
    doc.figure("permits-valid", "Valid permits on 2017-08-05", 6191, "permits",
               cite=[n], method="count", how="permits valid that day ...")
    sec = doc.section("summary", "Summary")
    sec.text("One paragraph ...")
    sec.figures(["permits-valid"])               # figures shown as a key/value list
    sec.table("t1", "Caption", [("rule", "Rule", None), ("n", "Findings", "findings")],
              [{"rule": "UNSCR-2375-17", "n": {"figure": "violations-2375-17"}}])
    sec.chart("c1", "bar", "Findings by year", x=("year", None), y=("findings", "findings"),
              series=[("UNSCR-2375-17", [("2018", 12), ("2019", 3)])], cite=[n], how="...")
    doc.unknown("What could not be established", "why", cite=[m])
    data = doc.to_dict()                         # plain JSON-ready dict
    render.write(data, Path("out.pdf"))          # .json | .html | .pdf by suffix

The pieces:

- ``cite``: citation constructors, one per kind of source: ``list_record`` (list,
  version, entity id), ``input_rows`` (input file, its sha256, the (line, record id)
  pairs), ``input_file`` (a whole file), ``registry_record``, ``ais_positions`` (file,
  MMSI, first and last position time, count), ``provision`` (a rule of
  provisions.yaml and whether it is verified), ``parameter`` (a reviewed YAML value and
  its source), ``publication`` (a published figure). ``Report.cite`` numbers them in
  order of first use (the same citation twice keeps its number): the footnotes.
- ``document``: ``Report`` (figures, sections, citations, could-not-establish list) and
  ``Section`` (blocks: text, figures, table, chart; a block type of your own:
  ``Section.block(type, **fields)`` plus its schema in $defs and its template).
  Every number shown is a *figure*: id, label, value, unit, the citations it rests on,
  ``method`` (how a test recomputes it from its citations: ``count`` = number of
  distinct cited rows, ``sum`` / ``value`` of a ``field`` of the cited rows,
  ``product`` / ``ratio`` / ``difference`` / ``sum_of`` of other figures named in
  ``of``, ``given`` = a cited parameter or publication taken as is, ``derived`` = a
  documented computation the report's own test checks) and ``how`` (the same in words).
- ``stamp``: the generation stamp (hermit version, list versions in the store, sha256 of
  every input, algorithm names/versions and parameters). The only clock reading is
  ``generated_at``, which the caller can fix (``--generated-at``): the same inputs and
  stamp give the same bytes.
- ``schema``: ``dumps`` (deterministic JSON bytes: sorted keys, two-space indent) and
  ``validate`` against hermit/resources/report/report.schema.json (``SCHEMA_ID``;
  bump it and the file's ``$id`` on any incompatible change).
- ``charts``: inline SVG bar and line charts (axes, ticks, legend, units; no script).
- ``render``: ``html(data)`` (Jinja2 templates in hermit/resources/report/templates/:
  report.html.j2 lays out the document, blocks/<type>.html.j2 draws one block type,
  print.css the page: A4, running header, page numbers), ``pdf(data)`` (WeasyPrint from
  the same HTML; any http(s)/remote URL is refused: no network), ``write(data, path)``.
  A new block type drawn in Python (charts, maps) has its function in
  ``render.DRAWINGS`` (type -> callable(block) -> SVG markup) and a template.
"""
