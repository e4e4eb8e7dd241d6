"""The kernel's benchmarks follow its source: ``flee_kernel_work.py`` finds every statement it
counts before (a renamed statement used to stop it only when run), ``flee_kernel_ab.py``
calls a kernel with the arguments it names and alternates its runs, and the C kernel of
``flee_kernel_c/`` (session 23's record) refuses wrong arrays and moves everyone as Numba's does."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _benchmark(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_instrumented_copy_finds_every_counted_statement(tmp_path):
    work = _benchmark("flee_kernel_work")
    try:
        kernel = work.instrumented_kernel(tmp_path)  # stops (SystemExit) if a statement is missing
    finally:
        sys.modules.pop("counted_kernels", None)
    copy = (tmp_path / "counted_kernels.py").read_text().splitlines()
    assert sum(line.strip().startswith("COUNTERS[") for line in copy) == len(work.COUNTED)  # a line each
    assert list(kernel.py_func.__code__.co_varnames[:1]) == ["COUNTERS"]


def test_a_b_passes_a_kernel_the_arguments_it_names():
    ab = _benchmark("flee_kernel_ab")

    def older(day, loc, wake):  # an older kernel: fewer arguments, in its own order
        return day + loc + wake

    call, clock = ab.by_name(_Kernel(older), ["day", "wake", "loc", "visit"])
    assert call(1, 10, 100, 1000) == 111
    assert clock[0] >= 0.0

    def newer(day, loc, due):
        return day

    with pytest.raises(SystemExit, match="due"):
        ab.by_name(_Kernel(newer), ["day", "loc", "wake"])


class _Kernel:
    """A stand-in for a Numba kernel: callable, with its Python function as ``py_func``."""

    def __init__(self, func) -> None:
        self.py_func = func

    def __call__(self, *args):
        return self.py_func(*args)


def test_profile_blocks_read_callgrind_instruction_counts(tmp_path):
    """``flee_kernel_profile.py --blocks``: per-instruction counts of one function, from a file in
    callgrind's compressed format (relative addresses, names given once, call costs not the
    caller's own), grouped into stretches run equally often."""
    profile = _benchmark("flee_kernel_profile")
    out = tmp_path / "callgrind.out"
    out.write_text("\n".join([
        "positions: instr line", "events: Ir Bc",
        "fn=(1) other_function", "0x100 0 7", "+2 0 7",
        "fn=(2) my_pass_Literal_5bint_5d_281_29_x", "0x200 0 5 1", "+4 0 5", "+3 0 5",
        "cfn=(1)", "calls=3 0x100", "* 0 21",  # a call: its cost is the callee's
        "+2 0 9", "* 0 1",  # the same instruction again: counts add up
        "fn=(1)", "0x104 0 7",
        "fn=(2)", "0x20b 0 9",
    ]) + "\n")
    counts = profile.executed(out, "Literal_5bint_5d_281_29")
    assert counts == {0x200: 5, 0x204: 5, 0x207: 5, 0x209: 10, 0x20b: 9}
    assert profile.stretches(counts) == [(5, 3, 0x200), (10, 1, 0x209), (9, 1, 0x20b)]


def _annotate_table(*functions: str) -> str:
    """``callgrind_annotate --show=Ir,Bc,Bcm``'s table with a row for each of ``functions``."""
    rows = [f"{1000 * (i + 1):,} (10.00%) {100 * (i + 1)} (10.00%) {i + 1} (10.00%)  ???:{name} "
            f"[/tmp/aot/flee_kernels.so]" for i, name in enumerate(functions)]
    return "\n".join(["Events shown:     Ir Bc Bcm", "-" * 80, "Ir Bc Bcm file:function", "-" * 80, *rows]) + "\n"


def test_profile_reads_each_part_from_the_annotated_table():
    profile = _benchmark("flee_kernel_profile")
    header, rows = profile.part_rows(_annotate_table(*(f"cpython::{key}_x" for _, key in profile.PARTS)))
    assert header == ["Ir", "Bc", "Bcm"]
    assert [rows[label] for label, _ in profile.PARTS] == [[1000, 100, 1], [2000, 200, 2], [3000, 300, 3]]


def test_profile_stops_when_a_pass_is_not_in_the_build(capsys):
    """A pass renamed or inlined in the build is not summed as zero into a kernel total that would read
    as a gain: one line naming it, exit 2."""
    profile = _benchmark("flee_kernel_profile")
    (scan, scan_key), (departure, departure_key), (travel, travel_key) = profile.PARTS
    table = _annotate_table(f"cpython::{scan_key}_x", f"cpython::{travel_key}_x", "cpython::some_other_function")
    with pytest.raises(SystemExit) as stop:
        profile.part_rows(table)
    assert stop.value.code == 2
    assert capsys.readouterr().err.strip() == f"{departure} ({departure_key}) not found in the build"


def test_a_b_rounds_alternate_abba_baab_and_summarise(monkeypatch):
    """Each round runs both sides twice, ABBA then BAAB; B/A per round is its two B runs over its two A runs."""
    ab = _benchmark("flee_kernel_ab")
    order = []
    kernel_cpu = {0: iter([1.0, 1.0, 2.0, 2.0]), 1: iter([0.5, 0.5, 3.0, 3.0])}

    def one_run(scenario, seed, kernel, clock):
        order.append(kernel)
        return 9.0, next(kernel_cpu[kernel]), "same"

    monkeypatch.setattr(ab, "one_run", one_run)
    runs = ab.alternated(None, 1, [(0, None), (1, None)], rounds=2)
    assert order == [0, 1, 1, 0, 1, 0, 0, 1]
    line = ab.summary(runs)
    assert "B/A over 2 rounds: median 1.000, quartiles 0.750-1.250" in line  # rounds: 0.5 and 1.5
    assert line.endswith("same counts: True")


def _c_kernel():
    """``benchmarks/flee_kernel_c/ckernel.py`` (not in the package), or a skip without a C compiler."""
    import shutil

    if shutil.which("cc") is None:
        pytest.skip("no C compiler")
    sys.path.insert(0, str(ROOT / "benchmarks" / "flee_kernel_c"))
    try:
        import ckernel
    finally:
        sys.path.pop(0)
    return ckernel


def test_c_kernel_refuses_an_array_of_another_type(tmp_path):
    """The C kernel reads raw memory: an argument of the wrong dtype is refused, named, before the call."""
    import numpy as np

    ckernel = _c_kernel()
    kernel = ckernel.load(None, tmp_path)  # (also checks that kernel.c's struct and ckernel's agree in size)
    args = []
    for name in ckernel.PARAMETERS:
        if name in ckernel.ARRAYS:
            dtype, ndim = ckernel.ARRAYS[name]
            args.append(np.zeros((1,) * ndim, dtype=dtype))
        else:
            args.append(0.0 if name in ckernel.FLOATS else 0)
    args[ckernel.PARAMETERS.index("dist")] = np.zeros(1, dtype=np.float32)
    with pytest.raises(TypeError, match="dist: float32"):
        kernel(*args)


@pytest.mark.slow  # (13.5 s under load 2.3 on a fresh tree: Numba compiles the kernel first)
def test_c_kernel_counts_are_numbas_to_the_person(tmp_path):
    """The C kernel of the session-23 A/B moves everyone as Numba's kernel does (mali2012, whole period)."""
    import warnings

    import numpy as np

    from caravana import load_scenario, simulation
    from caravana.behaviours import flee_movement

    ckernel = _c_kernel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_scenario("mali2012")
    numba_counts = simulation(scenario, seed=2).run().counts
    real = flee_movement.move_people
    flee_movement.move_people = ckernel.load(None, tmp_path)
    try:
        c_counts = simulation(scenario, seed=2).run().counts
    finally:
        flee_movement.move_people = real
    assert np.array_equal(numba_counts, c_counts)
    assert np.asarray(c_counts).sum() > 0
