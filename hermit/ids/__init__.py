"""One format class per identifier kind, used everywhere instead of repeated regexes."""
