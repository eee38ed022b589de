"""Company registries read as FollowTheMoney entities with their provenance.

Every reader yields RegistryRecord (an entity, where it came from, its validity dates
and its checked identifiers), Rejected (a row that gave no record, with the reason) or
Refused (a value the model would not take, with the reason). Nothing is dropped
silently. Tabular files, built-in and user exports alike, are read through
FollowTheMoney mappings (hermit/resources/registry/mappings/ for the built-ins).
"""
