"""Members' arrays kept on disk as they arrive, reduced cell by cell in blocks.

An ensemble's quantiles need every member's value of a cell at once, so an exact
reduction cannot forget a member. Instead of a (members, ...) array in memory, each
member's array is written into an anonymous temporary file at its row as it arrives;
the reduction reads a block of cells of every member at a time. The parent's memory
then grows with the cells of one array, not with the number of members (the disk
holds members x cells values, e.g. 340 KB of counts per corridor member).

The file is unlinked as soon as it is made, so nothing is left behind whatever
happens; it lives as long as the :class:`Spool` does, and is closed when the spool is
collected (not left to the file's own finalizer, whose ResourceWarning the command line
shows users as "unclosed file").
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Callable
from math import prod
from typing import Any

import numpy as np

BLOCK_BYTES = 16 << 20  # read at most this much at once (members x a block of cells)


def scratch_file(owner: object, folder: str | None = None):
    """An unlinked temporary file that is closed when ``owner`` is collected."""
    file = tempfile.TemporaryFile(dir=folder)
    weakref.finalize(owner, file.close)
    return file


class Spool:
    """``members`` arrays of one ``shape`` and ``dtype``, stored in a file.

    Indexing (``spool[i]``, ``spool[:, -1]``) returns an ndarray of what it asks for;
    ``np.asarray(spool)`` reads it all (small ensembles, tests)."""

    def __init__(self, members: int, shape: tuple[int, ...], dtype: Any, folder: str | None = None) -> None:
        self.members, self.cell_shape, self.dtype = int(members), tuple(shape), np.dtype(dtype)
        self.cells = prod(self.cell_shape)
        self._row_bytes = self.cells * self.dtype.itemsize
        self._file = scratch_file(self, folder)  # unlinked: gone when closed or collected
        self._file.truncate(self.members * self._row_bytes)
        self.filled = np.zeros(self.members, dtype=bool)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.members, *self.cell_shape)

    @property
    def ndim(self) -> int:
        return 1 + len(self.cell_shape)

    def __len__(self) -> int:
        return self.members

    def put(self, member: int, values: np.ndarray) -> None:
        """Store one member's array at its row."""
        values = np.ascontiguousarray(values, dtype=self.dtype)
        if values.shape != self.cell_shape:
            raise ValueError(f"member {member}: shape {values.shape}, the others have {self.cell_shape}")
        os.pwrite(self._file.fileno(), values.tobytes(), member * self._row_bytes)
        self.filled[member] = True

    def member(self, i: int) -> np.ndarray:
        """Member ``i``'s array (a copy, read with one system call)."""
        if not -self.members <= i < self.members:
            raise IndexError(f"member {i} of {self.members}")
        raw = os.pread(self._file.fileno(), self._row_bytes, (i % self.members) * self._row_bytes)
        return np.frombuffer(raw, dtype=self.dtype).reshape(self.cell_shape).copy()

    def __getitem__(self, key) -> np.ndarray:
        """Read member by member (no memory map: its pages would stay counted as this
        process's memory), keeping of each only the part ``key`` asks for."""
        key = key if isinstance(key, tuple) else (key,)
        first, rest = key[0], key[1:]
        if isinstance(first, int | np.integer):
            return self.member(int(first))[rest]
        chosen = np.arange(self.members)[first]
        if not len(chosen):
            return np.empty((0, *np.empty(self.cell_shape, dtype=self.dtype)[rest].shape), dtype=self.dtype)
        return np.stack([self.member(int(i))[rest] for i in chosen])

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        whole = self[:]
        return whole if dtype is None else whole.astype(dtype)

    def __reduce__(self):
        return (np.asarray, (np.asarray(self),))  # pickled as a plain array

    def reduce(self, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """``fn`` over the members of every cell: ``fn`` takes a (members, k) block of
        cells and returns (r, k); the answer is (r, *shape). Blocks are read whole for
        every member, so cell by cell the answer is what ``fn`` gives on all at once."""
        if not self.filled.all():
            raise ValueError(f"{int((~self.filled).sum())} of {self.members} members were never stored")
        block = max(1, BLOCK_BYTES // max(1, self.members * self.dtype.itemsize))
        size, fd = self.dtype.itemsize, self._file.fileno()
        parts = []
        for start in range(0, self.cells, block):
            values = np.empty((self.members, min(block, self.cells - start)), dtype=self.dtype)
            for m in range(self.members):  # read straight into the block: no mapping, no copy
                os.preadv(fd, [values[m]], m * self._row_bytes + start * size)
            parts.append(np.asarray(fn(values)))
        if not parts:
            return np.asarray(fn(np.zeros((self.members, 0), dtype=self.dtype))).reshape(-1, *self.cell_shape)
        out = np.concatenate(parts, axis=-1)
        return out.reshape(out.shape[0], *self.cell_shape)

    def close(self) -> None:
        self._file.close()
