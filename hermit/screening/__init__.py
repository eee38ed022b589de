"""Screening names against the loaded lists: candidate index, scorer, explanations."""
