"""Names across scripts and romanizations: pure functions over reviewed data files.

The screening engine uses one interface, :func:`hermit.names.korean.compare_names`:
names in, a score with reasons out.
"""
