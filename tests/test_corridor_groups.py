"""The compiled membership passes give exactly the NumPy masks they replace."""

from __future__ import annotations

import numpy as np

from caravana.behaviours.corridor.groups import by_group, members_of
from caravana.engine.status import N_STATUS, Status


def test_members_and_groups_match_the_masks():
    rng = np.random.default_rng(4)
    group = rng.integers(-1, 5, size=20_000).astype(np.int32)
    status = rng.integers(0, N_STATUS, size=20_000).astype(np.int8)
    moving = (status == Status.RESTING) | (status == Status.TRAVELLING)
    idx, ptr = by_group(group, status, 4)  # group 4 is left out, as -1 is
    for c in range(5):
        expected = np.flatnonzero(moving & (group == c))
        assert members_of(group, status, c).tolist() == expected.tolist()
        if c < 4:
            assert idx[ptr[2 * c]:ptr[2 * c + 1]].tolist() == expected.tolist()
            assert idx[ptr[2 * c + 1]:ptr[2 * c + 2]].tolist() == np.flatnonzero(~moving & (group == c)).tolist()
    assert ptr[-1] == np.count_nonzero((group >= 0) & (group < 4))
    assert len(members_of(group[:0], status[:0], 1)) == 0
