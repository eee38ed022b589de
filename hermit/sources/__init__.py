"""Readers of the official lists and exchange formats; each yields a ListSnapshot."""
