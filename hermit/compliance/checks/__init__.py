"""The predicates the provisions name in their ``check`` field, one per rule."""
