"""Particle weights: normalising log-weights, the effective sample size, and
systematic resampling."""

from __future__ import annotations

import numpy as np


def normalise(log_weights: np.ndarray) -> np.ndarray:
    """Weights summing to one from log-weights (``-inf`` allowed, not all of them)."""
    log_weights = np.asarray(log_weights, dtype=np.float64)
    top = np.max(log_weights)
    if not np.isfinite(top):
        raise ValueError("every particle has weight zero")
    w = np.exp(log_weights - top)  # shifted so the largest is 1: no overflow, no underflow to all-zero
    return w / w.sum()


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size 1 / sum(w^2) of normalised weights: N for equal
    weights, 1 when one particle carries all the weight."""
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    return float(1.0 / np.sum(w * w))


def systematic_resample(weights: np.ndarray, u: float) -> np.ndarray:
    """Indices of the N particles kept, by systematic resampling with one uniform draw
    ``u`` in [0, 1): particle i is copied floor or ceil of N w_i times (the lowest
    variance of the usual schemes), in index order."""
    w = np.asarray(weights, dtype=np.float64)
    n = len(w)
    if not 0.0 <= u < 1.0:
        raise ValueError("u must be in [0, 1)")
    last = int(np.flatnonzero(w > 0)[-1])
    cumulative = np.cumsum(w / w.sum())
    cumulative[last:] = 1.0  # rounding must not leave room for a zero-weight particle at the end
    pointers = (np.arange(n) + u) / n
    # A pointer that rounds up to 1.0 belongs to the last particle with weight.
    return np.minimum(np.searchsorted(cumulative, pointers, side="right"), last).astype(np.int64)


def ancestor_weights(members: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weight each prior member carries through the particles that descend from it
    (summing to one), over the members that have descendants."""
    members = np.asarray(members)
    _, index = np.unique(members, return_inverse=True)
    return np.bincount(index, weights=np.asarray(weights, dtype=np.float64) / np.sum(weights))


def ancestors(members: np.ndarray, weights: np.ndarray) -> dict[str, float]:
    """How many prior members a weighted posterior descends from (docs/forecast.md, *Ancestors*):

    - ``distinct``: members with any descendant, whatever its weight;
    - ``weighted``: sum over members of min(1, N W_a), W_a the weight a member carries, N the
      particles: a member counts in full when it carries at least one particle's share and in
      proportion below it, which is the number a resampling would keep on average (so a
      posterior kept weighted does not look more diverse by keeping particles of no weight);
      with equal weights it is ``distinct``;
    - ``effective``: Kish's effective number of members, 1 / sum W_a^2 (as the ESS, over members)."""
    w = ancestor_weights(members, weights)
    n = len(members)
    return {"distinct": int(np.count_nonzero(w > 0)), "weighted": float(np.minimum(1.0, n * w).sum()),
            "effective": float(1.0 / np.sum(w * w))}
