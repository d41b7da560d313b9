"""Choosing the best of many scores."""

from __future__ import annotations

import numpy as np


def best_of(scores: np.ndarray, limit: int | None) -> tuple[np.ndarray, np.ndarray, int]:
    """(indexes, scores, number > 0) of the `limit` highest positive
    `scores`, best first; ties by index."""
    matched = np.flatnonzero(scores > 0)
    total = len(matched)
    if limit is not None and total > limit:
        part = np.argpartition(-scores[matched], limit - 1)[:limit]
        # every passage tied with the last one kept, so ties go by index
        matched = matched[scores[matched] >= scores[matched[part]].min()]
    order = np.lexsort((matched, -scores[matched]))[:limit]
    chosen = matched[order]
    return chosen, scores[chosen], total
