"""Returns' compiled pass draws the leavers NumPy's code drew, from the same numbers."""

import numpy as np
import pytest

from caravana.behaviours.corridor.returns import _leavers
from caravana.engine.pcg import give_state, row_streams


@pytest.mark.parametrize("wait_share", [0.0, 0.3])
@pytest.mark.parametrize("held", [False, True])
def test_leavers_are_the_masks_numpy_drew(wait_share, held):
    rng, reference = np.random.default_rng(5), np.random.default_rng(5)
    ckm = np.random.default_rng(1).choice(np.array([3.0, 7.5], dtype=np.float32), 40_000)
    m = np.sort(np.random.default_rng(2).choice(len(ckm), 25_000, replace=False))
    body, rate, held_rate, return_share = np.float32(7.5), 0.05, 0.4, 0.6
    rows = 3 if wait_share > 0 else 2
    streams = row_streams(rng, len(m), rows)
    home, stay, wait = _leavers(m, streams, rate, held, held_rate, body, ckm, wait_share, return_share)
    give_state(rng, streams[rows])
    # Returns.step before the compiled pass:
    u = reference.random((2, len(m)))
    leave = u[0] < (np.where(ckm[m] == body, held_rate, rate) if held else rate)
    want_wait = np.zeros(len(m), dtype=bool)
    if wait_share > 0:
        want_wait = leave & (reference.random(len(m)) < wait_share)
        leave &= ~want_wait
    back = u[1] < return_share
    assert wait.tolist() == m[want_wait].tolist()
    assert home.tolist() == m[leave & back].tolist() and stay.tolist() == m[leave & ~back].tolist()
    assert len(home) > 100 and len(stay) > 100
    assert rng.random() == reference.random()  # the stream goes on where NumPy's did
