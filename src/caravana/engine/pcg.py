"""NumPy's PCG64 stream drawn inside a compiled kernel, without going through the Generator.

Why: a kernel handed a ``np.random.Generator`` draws through Numba's binding, one
indirect call into NumPy per number (about 12 ns); Flee's rules need several draws per
person on the move per day, a third of a Flee day's kernel time. Here the generator's
128-bit state is copied into a small array (:func:`take_state`), stepped inline by the
kernel (:func:`next_double`, :func:`geometric`), and written back (:func:`give_state`):
the same numbers, in the same order, as ``rng.random()`` and ``rng.geometric(p)`` give
(``tests/test_pcg.py`` compares them).

The state array is ``uint64[4]``: the LCG state's high and low words, then the
increment's. PCG64 (XSL-RR 128/64): state = state * MULTIPLIER + increment, then the
output is the xor of the state's halves rotated right by the state's top 6 bits.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from .jit import njit, when_numba_loads

MULTIPLIER = (2549297995355413924 << 64) + 4865540595714422341  # PCG's default 128-bit multiplier
_MASK64 = (1 << 64) - 1


def take_state(rng: np.random.Generator) -> np.ndarray:
    """``rng``'s PCG64 state as ``uint64[4]`` for a kernel (see the module docstring)."""
    s = _pcg_state(rng)["state"]
    return np.array([s["state"] >> 64, s["state"] & _MASK64, s["inc"] >> 64, s["inc"] & _MASK64], dtype=np.uint64)


def _pcg_state(rng: np.random.Generator) -> Any:  # (NumPy types it as a private TypedDict)
    """``rng.bit_generator.state``, checked to be a PCG64's."""
    bits = rng.bit_generator
    if type(bits) is not np.random.PCG64:
        raise TypeError(f"an inline stream needs a PCG64 generator, not {type(bits).__name__}")
    return bits.state


def give_state(rng: np.random.Generator, state: np.ndarray) -> None:
    """Write a kernel's ``state`` back into ``rng``, which goes on from where the kernel stopped."""
    full = rng.bit_generator.state
    full["state"]["state"] = (int(state[0]) << 64) | int(state[1])
    rng.bit_generator.state = full


def draws_between(before: dict, after: dict) -> int:
    """How many 64-bit words a PCG64 stream drew to go from state ``before`` to ``after``
    (``bit_generator.state`` dicts, same increment): the number of steps of its LCG, found
    bit by bit as PCG's ``distance`` does (a step of 2**k is the LCG composed with itself k
    times, whose multiplier and increment are squared and folded as k grows). For
    benchmarks counting a run's draws without instrumenting its kernels."""
    state, target = before["state"]["state"], after["state"]["state"]
    increment = before["state"]["inc"]
    if increment != after["state"]["inc"]:
        raise ValueError("two states of different PCG64 streams")
    multiplier, distance, bit = MULTIPLIER, 0, 1
    while state != target:
        if (state ^ target) & bit:
            state = (state * multiplier + increment) & _MASK128
            distance |= bit
        increment = ((multiplier + 1) * increment) & _MASK128
        multiplier = (multiplier * multiplier) & _MASK128
        bit <<= 1
    return distance


_MASK128 = (1 << 128) - 1


# Set once Numba is loaded (caravana.engine.jit): the LCG step as an intrinsic, and NumPy's
# ziggurat tables as Numba keeps them. Kernels read them as globals when compiled.
_lcg_step: Any = None
fe_double: Any = None
ke_double: Any = None
we_double: Any = None
ziggurat_exp_r: Any = None


@when_numba_loads
def _numba_parts() -> None:
    global _lcg_step, fe_double, ke_double, we_double, ziggurat_exp_r
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic
    from numba.np.random import _constants

    fe_double, ke_double = _constants.fe_double, _constants.ke_double
    we_double, ziggurat_exp_r = _constants.we_double, _constants.ziggurat_exp_r

    @intrinsic
    def lcg_step(typingctx, hi, lo, inc_hi, inc_lo):
        """(hi, lo) of ``state * MULTIPLIER + increment`` mod 2**128, in 128-bit machine arithmetic."""
        sig = types.UniTuple(types.uint64, 2)(types.uint64, types.uint64, types.uint64, types.uint64)

        def codegen(context, builder, signature, args):
            wide = ir.IntType(128)
            shift = ir.Constant(wide, 64)

            def join(high, low):
                return builder.or_(builder.shl(builder.zext(high, wide), shift), builder.zext(low, wide))

            new = builder.add(builder.mul(join(args[0], args[1]), ir.Constant(wide, MULTIPLIER)),
                              join(args[2], args[3]))
            word = ir.IntType(64)
            parts = (builder.trunc(builder.lshr(new, shift), word), builder.trunc(new, word))
            return context.make_tuple(builder, signature.return_type, parts)

        return sig, codegen

    _lcg_step = lcg_step


@njit(inline="always")
def next_uint64(state):
    """NumPy's ``pcg64_next64``: step, then output from the new state."""
    hi, lo = _lcg_step(state[0], state[1], state[2], state[3])
    state[0] = hi
    state[1] = lo
    x = hi ^ lo
    rot = hi >> np.uint64(58)
    return (x >> rot) | (x << ((np.uint64(64) - rot) & np.uint64(63)))


@njit(inline="always")
def next_double(state):
    """``rng.random()``: the top 53 bits of the next word over 2**53."""
    return np.float64(next_uint64(state) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(inline="always")
def _standard_exponential(state):
    """NumPy's ziggurat exponential (``random_standard_exponential``), with its tables."""
    while True:
        ri = next_uint64(state) >> np.uint64(3)
        idx = np.intp(ri & np.uint64(0xFF))
        ri >>= np.uint64(8)
        x = np.float64(ri) * we_double[idx]
        if ri < ke_double[idx]:
            return x
        if idx == 0:
            return ziggurat_exp_r - np.log1p(-next_double(state))
        if (fe_double[idx - 1] - fe_double[idx]) * next_double(state) + fe_double[idx] < np.exp(-x):
            return x


@njit(inline="always")
def geometric(state, p):
    """``rng.geometric(p)`` for 0 < p < 1: trials up to the first success (NumPy's
    search for p >= 1/3, its inversion of an exponential below)."""
    if p >= 0.333333333333333333333333:
        x = 1
        total = prod = p
        q = 1.0 - p
        u = next_double(state)
        while u > total:
            prod *= q
            total += prod
            x += 1
        return np.int64(x)
    return np.int64(np.ceil(-_standard_exponential(state) / np.log1p(-p)))


# ---------------------------------------------------------------- rows of rng.random((k, n)) in one pass

@njit(inline="always")
def step_double(hi, lo, inc_hi, inc_lo):
    """``next_double`` on a state held in plain numbers (hi, lo: the LCG state's words; inc_hi,
    inc_lo: the increment's): returns the new (hi, lo) and the draw. A kernel keeping several
    streams keeps them in local variables this way (no array handed to a helper)."""
    hi, lo = _lcg_step(hi, lo, inc_hi, inc_lo)
    x = hi ^ lo
    rot = hi >> np.uint64(58)
    word = (x >> rot) | (x << ((np.uint64(64) - rot) & np.uint64(63)))
    return hi, lo, np.float64(word >> np.uint64(11)) * (1.0 / 9007199254740992.0)


# row_streams' scratch generator, one per thread (a new one costs a seeding, ~15 us a call; a shared one
# would let two simulations stepping on threads overwrite each other's state between set and advance)
_SCRATCH = threading.local()


def row_streams(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """States (``uint64[k + 1, 4]``, rows as :func:`take_state`'s) from which a kernel draws the
    rows of ``rng.random((k, n))`` side by side: row ``r`` starts ``r * n`` draws ahead of
    ``rng``. The last row is where ``rng`` stands after those draws: hand it to
    :func:`give_state` when the kernel is done (whatever it drew). ``rng`` is not changed
    here (nor its buffered 32-bit word, which ``PCG64.advance`` would reset)."""
    # ``rng``'s state read once, as row 0 and as the scratch's start (each read of ``.state`` builds
    # a dict of Python ints; row 0 took three), and rows written from Python ints only (the
    # increment's words were NumPy scalars mixed in): 10 -> 7 us a call, ~7 calls a particle-day.
    full = _pcg_state(rng)
    inc = full["state"]["inc"]
    inc_hi, inc_lo = inc >> 64, inc & _MASK64
    ahead: np.random.PCG64 | None = getattr(_SCRATCH, "pcg", None)
    if ahead is None:
        ahead = _SCRATCH.pcg = np.random.PCG64(0)  # (its state is replaced at once)
    ahead.state = full
    out = np.empty((k + 1, 4), dtype=np.uint64)
    s = full["state"]["state"]
    for r in range(k + 1):
        if r:
            ahead.advance(n)
            s = ahead.state["state"]["state"]
        out[r] = (s >> 64, s & _MASK64, inc_hi, inc_lo)
    return out
