"""Random streams: one per behaviour, all derived from one seed.

A behaviour's stream is keyed by its name, not its position in the loop, so two
scenarios that differ in one policy draw identical numbers everywhere else.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def make_stream(seed: int, name: str) -> np.random.Generator:
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(stream_key(name),))
    return np.random.Generator(np.random.PCG64(sequence))
