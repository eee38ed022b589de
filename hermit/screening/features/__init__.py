"""The named features of hermit-screen@5: each compares one aspect of a query with a
listed entity and returns a Contribution (signed value and reason), or None when it
has nothing to say."""
