"""nomenklatura's public name-pair benchmark (contrib/name_bench) run on hermit and the
nomenklatura matchers side by side."""
