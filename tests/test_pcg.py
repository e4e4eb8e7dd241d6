"""The inline PCG64 stream (engine.pcg) gives NumPy's numbers, in NumPy's order."""

import sys

import numpy as np
import pytest

from caravana.engine.jit import njit
from caravana.engine.pcg import draws_between, geometric, give_state, next_double, row_streams, step_double, take_state


@njit()
def _draw(state, ps, out):
    """out[i]: a uniform draw where ps[i] < 0, else a geometric draw with p = ps[i]."""
    for i in range(ps.shape[0]):
        if ps[i] < 0:
            out[i] = next_double(state)
        else:
            out[i] = geometric(state, ps[i])


def _stream(seed):
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))


@pytest.mark.parametrize("seed", [0, 12345])
def test_inline_draws_equal_numpys_in_order(seed):
    # Flee's movement draws: uniforms, geometric waits at camps (p 0.001, NumPy's inversion
    # through its ziggurat exponential), at towns (0.3) and at the search method's threshold.
    ps = np.random.default_rng(seed + 1).choice([-1.0, 1e-9, 0.001, 0.2, 0.3, 1 / 3, 0.5, 0.99], size=50_000)
    inline, reference = _stream(seed), _stream(seed)
    out = np.empty(len(ps))
    state = take_state(inline)
    _draw(state, ps, out)
    give_state(inline, state)
    expected = np.array([reference.random() if p < 0 else reference.geometric(p) for p in ps])
    np.testing.assert_array_equal(out, expected)
    # ... and the Generator goes on from where the kernel stopped.
    assert inline.random() == reference.random()
    assert inline.bit_generator.state == reference.bit_generator.state


def test_other_bit_generators_are_refused():
    with pytest.raises(TypeError, match="PCG64"):
        take_state(np.random.Generator(np.random.MT19937(1)))


@njit()
def _rows(states, n, k, out):
    """Row r of out from stream r, drawing the rows side by side, column by column."""
    s = states.copy()
    for j in range(n):
        for r in range(k):
            s[r, 0], s[r, 1], out[r, j] = step_double(s[r, 0], s[r, 1], s[r, 2], s[r, 3])


@pytest.mark.parametrize("n", [0, 1, 1000])
def test_row_streams_draw_rng_random_rows_side_by_side(n):
    inline, reference = _stream(n), _stream(n)
    inline.integers(0, 5, size=3)  # leaves a buffered 32-bit word, which must survive
    reference.integers(0, 5, size=3)
    states = row_streams(inline, n, 3)
    out = np.empty((3, n))
    _rows(states, n, 3, out)
    give_state(inline, states[-1])
    np.testing.assert_array_equal(out, reference.random((3, n)))
    np.testing.assert_array_equal(inline.integers(0, 5, size=7), reference.integers(0, 5, size=7))
    assert inline.random() == reference.random()


def test_draws_between_counts_the_words_drawn():
    rng = _stream(7)
    start = rng.bit_generator.state
    assert draws_between(start, rng.bit_generator.state) == 0
    rng.random(12_345)
    assert draws_between(start, rng.bit_generator.state) == 12_345
    rng.bit_generator.advance(2**100 + 3)  # any distance below the period
    assert draws_between(start, rng.bit_generator.state) == 12_345 + 2**100 + 3
    with pytest.raises(ValueError, match="different"):
        draws_between(start, _stream(8).bit_generator.state)


def test_row_streams_from_two_threads_at_once_are_each_threads_own():
    # two simulations stepping on threads in one process (a Dask worker with threads, library use)
    # must not read each other's streams: the scratch generator is per thread
    from concurrent.futures import ThreadPoolExecutor

    def streams(seed: int) -> list[np.ndarray]:
        return [row_streams(np.random.default_rng(seed + i), 50 + i % 7, 3) for i in range(3000)]

    alone = [streams(1), streams(1_000)]
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # the threads take turns often, as under load (else a race may never show)
    try:
        with ThreadPoolExecutor(2) as pool:
            together = list(pool.map(streams, [1, 1_000]))
    finally:
        sys.setswitchinterval(switching)
    for a, b in zip(alone, together):
        assert all(np.array_equal(x, y) for x, y in zip(a, b))
