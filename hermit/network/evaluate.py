"""Measures for the network's quality floors (tests, bench): ROC-AUC of a score."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def roc_auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """The probability that a positive scores above a negative, ties counting half
    (the Mann-Whitney U statistic over both counts)."""
    if not positives or not negatives:
        raise ValueError("ROC-AUC needs at least one positive and one negative")
    values = np.asarray(list(positives) + list(negatives), dtype=np.float64)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2.0)[inverse]
    n_pos, n_neg = len(positives), len(negatives)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))
