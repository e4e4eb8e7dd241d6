"""engine.prefetch: a hint inside a kernel, for 1-D arrays of any type; it changes nothing."""

import numpy as np
import pytest

from caravana.engine import prefetch
from caravana.engine.jit import njit


@njit()
def _sum_prefetching(values, order, ahead):
    """The sum of values[order], prefetching the element ``ahead`` places on in ``order``."""
    total = 0.0
    for k in range(order.shape[0]):
        if k + ahead < order.shape[0]:
            prefetch.element(values, np.uint64(order[k + ahead]))
        total += values[order[k]]
    return total


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.bool_, np.int32, np.float32, np.float64])
def test_a_kernel_prefetching_reads_and_leaves_the_same_values(dtype):
    values = (np.random.default_rng(3).random(10_000) * 100).astype(dtype)
    before = values.copy()
    order = np.sort(np.random.default_rng(4).choice(len(values), 3_000, replace=False)).astype(np.int32)
    assert _sum_prefetching(values, order, 16) == pytest.approx(values[order].astype(np.float64).sum())
    np.testing.assert_array_equal(values, before)


def test_only_one_dimensional_arrays_are_taken():
    from numba.core.errors import TypingError

    @njit()
    def on_a_table(table):
        prefetch.element(table, 0)

    with pytest.raises(TypingError):
        on_a_table(np.zeros((2, 2)))
