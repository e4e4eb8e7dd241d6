"""Random streams and seeds: the one place they are made.

A behaviour's stream is keyed by its name, not its position in the loop, so two
scenarios that differ in one policy draw identical numbers everywhere else. The
forecast's own streams use integer keys the same way. Ensemble members get
independent seeds spawned from one root seed.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np


def stream_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def make_stream(seed: int | Sequence[int], key: str | int) -> np.random.Generator:
    """The stream of ``key`` (a behaviour's name, or an integer key) under ``seed``."""
    spawn_key = stream_key(key) if isinstance(key, str) else int(key)
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(spawn_key,))
    return np.random.Generator(np.random.PCG64(sequence))


def child_seeds(root_seed: int, n: int) -> list[int]:
    """``n`` independent integer seeds spawned from ``SeedSequence(root_seed)``.

    Seed ``i`` depends only on the root seed and ``i``, so the first ten of a hundred
    are the ten of ten. Seeds fit in a signed 64-bit integer (Parquet, JSON, ``--seed``).
    """
    children = np.random.SeedSequence(root_seed).spawn(n)
    return [int(child.generate_state(1, np.uint64)[0] >> np.uint64(1)) for child in children]
