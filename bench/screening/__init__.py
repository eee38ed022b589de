"""The screening evaluation harness: labelled cases from the real lists, hermit and the
nomenklatura anchors on the same candidates, quality and speed figures (run.py)."""
