"""Entity resolution of registry records (issue 12): which records of the registry
store are the same company or person, across registries, scripts and identifier schemes.

hermit turns each record into comparison columns of its own (records.py, features.py:
script-neutral name readings with legal forms set aside, validated identifiers, dates,
address numbers and postcodes, countries); Splink (DuckDB backend) blocks, trains
(u by random sampling, m by expectation maximisation, fixed seeds) and scores the pairs
(model.py), hermit's name scorer inside it as a DuckDB function (udf.py); clusters are
Splink's connected components of the links at or above the threshold of
hermit/resources/resolve/resolve.yaml (run.py). Organizations are resolved first; people
then also by whether the companies they are attached to resolved to one entity.
"""
