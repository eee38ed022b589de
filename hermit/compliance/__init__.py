"""Compliance: the sanctions provisions as reviewed data (resources/compliance), read
with the labour records through a declared column mapping, and checked by one small
predicate per rule; every finding names its rule, its records and its reason."""
