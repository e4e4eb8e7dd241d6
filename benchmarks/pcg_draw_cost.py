"""What a random word costs Flee's movement kernel, against drawing the words in bulk.

    python benchmarks/pcg_draw_cost.py [--words 13000000] [--chunk 45000] [--repeat 5]

The kernel draws one 64-bit word at a time, stepping NumPy's PCG64 inline (``engine.pcg``:
``next_double``). The alternative (issue 17, session 13: "draws taken in bulk") is NumPy's bit
generator filling a buffer (``random_raw``) once per day or chunk, the kernel reading the
buffer in the same order: the same words. Prints, per word and for ``--words`` words (mali2012
draws 13.5 M in a run, ~45,000 a day): the inline draw in a compiled loop (the words summed as
doubles, so that nothing is optimised away), ``random_raw`` filling chunks of ``--chunk``
words, and reading such a buffer as doubles in a compiled loop; medians of ``--repeat``
(``time.process_time``). Numba's kernels (compiled here, for this processor).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from caravana.engine.jit import load_numba, njit
from caravana.engine.pcg import next_double, take_state


@njit()
def inline_words(state, n):
    total = 0.0
    for _ in range(n):
        total += next_double(state)
    return total


@njit()
def read_words(words):
    total = 0.0
    for k in range(words.shape[0]):
        total += np.float64(words[k] >> np.uint64(11)) * (1.0 / 9007199254740992.0)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=13_000_000)
    parser.add_argument("--chunk", type=int, default=45_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    load_numba()
    n, chunk = args.words, args.chunk
    inline_words(take_state(np.random.default_rng(0)), 10)  # compiled before timing
    read_words(np.zeros(10, dtype=np.uint64))
    inline, bulk, read = [], [], []
    for r in range(args.repeat):
        state = take_state(np.random.default_rng(r))
        c = time.process_time()
        inline_words(state, n)
        inline.append(time.process_time() - c)
        bits = np.random.PCG64(r)
        c = time.process_time()
        for _ in range(n // chunk):
            words = bits.random_raw(chunk)
        bulk.append(time.process_time() - c)
        c = time.process_time()
        for _ in range(n // chunk):
            read_words(words)
        read.append(time.process_time() - c)
    done = n // chunk * chunk
    for label, times, count in (("inline draw in the kernel (engine.pcg.next_double)", inline, n),
                                (f"NumPy random_raw, chunks of {chunk:,}", bulk, done),
                                ("reading a chunk's words as doubles (compiled)", read, done)):
        t = statistics.median(times)
        print(f"{label}: {t / count * 1e9:.2f} ns a word ({t * 1e3:.1f} ms for {count / 1e6:.1f} M words), "
              f"median of {args.repeat}")


if __name__ == "__main__":
    main()
