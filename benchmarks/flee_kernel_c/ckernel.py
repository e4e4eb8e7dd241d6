"""Flee's movement kernel in C (``kernel.c`` beside this file), built with the system C compiler and
called through ctypes, with the arrays handed over as one struct of pointers: an experiment
against Numba's ``flee_kernels.move_people`` (``ab.py``), not part of the package.

``load(march)`` compiles ``kernel.c`` (``cc -O3 -g -ffp-contract=off -fno-math-errno -fPIC``, with
``-march=<march>`` if given, optionally profile-guided) into a folder and returns a ``move_people`` with Numba's
kernel's parameters (same names, same order), so that ``flee_kernel_ab.by_name`` and
``FleeMovement.step`` call it as they call Numba's. Every array's dtype, dimensions and layout are
checked (as ``caravana.engine.aot.ENTRIES`` declares them) the first time the array is met: a wrong
one would have the C code read the wrong memory. (Outcome, session 23: 0-8 % slower than Numba's,
``results/flee_kernel_ab-2026-11-28-session23-s23ckern-outcome.txt``.)
"""

from __future__ import annotations

import ctypes
import inspect
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from caravana.behaviours import flee_kernels

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "kernel.c"
PARAMETERS = list(inspect.signature(flee_kernels.move_people.py_func).parameters)

# move_people's parameters that are arrays: dtype and dimensions (as aot.ENTRIES declares them)
ARRAYS: dict[str, tuple[str, int]] = {
    "loc": ("int32", 1), "link": ("int32", 1), "dist": ("float64", 1), "status": ("int8", 1),
    "route": ("int32", 1), "route_pos": ("int8", 1), "wake": ("int32", 1), "wake_at": ("int32", 1),
    "hops": ("uint8", 1), "recent": ("float32", 1), "recent_day": ("int32", 1), "bounce": ("bool", 1),
    "movechance": ("float64", 1), "town": ("bool", 1), "origin_ptr": ("int64", 1), "cum": ("float64", 2),
    "route_end": ("int32", 1), "edge_ptr": ("int64", 1), "route_edges": ("int32", 1),
    "route_n_edges": ("int16", 1), "link_src": ("int32", 1), "link_dst": ("int32", 1),
    "link_km": ("float64", 1), "link_speed": ("float64", 1), "link_walk_probability": ("float64", 1),
    "link_open": ("bool", 1), "camp": ("bool", 1), "capacity": ("float64", 1), "present": ("int64", 1),
    "tally": ("int64", 2), "group": ("int32", 1), "person_rule": ("int8", 1), "stream": ("uint64", 1),
    "travellers": ("int32", 1), "visit": ("uint8", 1), "night": ("int32", 1), "staying": ("bool", 1),
    "arrivals": ("int64", 1), "departures": ("int64", 1), "stuck": ("bool", 1),
}
FLOATS = ("buffer", "max_move_speed", "max_walk_speed")
INTEGERS = ("day", "start_on_foot", "avoid_short_stints", "individuals_only", "count_flows", "lazy_links")

# kernel.c's struct Kernel, field for field
P, I64, F64 = ctypes.c_void_p, ctypes.c_int64, ctypes.c_double
FIELDS = [(name, P if name in ARRAYS else F64 if name in FLOATS else I64) for name in PARAMETERS]
FIELDS.insert(PARAMETERS.index("person_rule") + 1, ("n_person_rule", I64))
FIELDS += [("n", I64), ("cum_stride", I64), ("tally_stride", I64), ("fe_double", P), ("ke_double", P),
           ("we_double", P), ("ziggurat_exp_r", F64), ("halvings", P)]


class Kernel(ctypes.Structure):
    _fields_ = FIELDS


def build(march: str | None, folder: Path, profile: str | None = None, tag: str = "") -> Path:
    """``kernel.c`` compiled into ``folder``; the library's path. ``profile``: None, ``"generate"``
    (instrumented: the process that loads it writes its profile, ``kernel.gcda``, into ``folder`` at
    exit) or ``"use"`` (optimised with the profile found there: gcc's profile-guided optimisation)."""
    name = f"flee_kernel_{march or 'generic'}{tag}"
    flags = ["-O3", "-g", "-ffp-contract=off", "-fno-math-errno", "-fPIC"]
    if march:
        flags.append(f"-march={march}")
    if profile == "generate":
        flags += ["-fprofile-generate", "-fprofile-update=single"]
    elif profile == "use":
        flags += ["-fprofile-use", "-fprofile-correction", "-Wno-missing-profile"]
    obj = folder / "kernel.o"  # (the profile's name follows the object's)
    subprocess.run(["cc", *flags, "-c", "-o", str(obj), str(SOURCE)], check=True)
    out = folder / f"{name}.so"
    subprocess.run(["cc", *flags, "-shared", "-o", str(out), str(obj), "-lm"], check=True)
    return out


def load(march: str | None = None, folder: Path | None = None, profile: str | None = None, tag: str = ""):
    """A ``move_people`` calling the C kernel built for ``march`` (None: the compiler's default target;
    ``profile``: as :func:`build`'s)."""
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="caravana-ckernel-"))
    library = ctypes.CDLL(str(build(march, folder, profile, tag)))
    library.move_people.argtypes = [ctypes.POINTER(Kernel)]
    library.move_people.restype = ctypes.c_int64
    library.kernel_struct_size.restype = ctypes.c_int64
    if library.kernel_struct_size() != ctypes.sizeof(Kernel):
        raise RuntimeError("kernel.c's struct and ckernel.Kernel differ")
    from numba.np.random import _constants

    tables = {  # kept alive as long as the function
        "fe_double": np.ascontiguousarray(_constants.fe_double, dtype=np.float64),
        "ke_double": np.ascontiguousarray(_constants.ke_double, dtype=np.uint64),
        "we_double": np.ascontiguousarray(_constants.we_double, dtype=np.float64),
        "halvings": np.ascontiguousarray(flee_kernels.HALVINGS, dtype=np.float64),
    }
    k = Kernel()
    for name, table in tables.items():
        setattr(k, name, table.ctypes.data)
    k.ziggurat_exp_r = float(_constants.ziggurat_exp_r)
    pointer = ctypes.byref(k)
    call = library.move_people
    words = np.frombuffer(k, dtype=np.uint64)  # the struct's 8-byte fields, written in one assignment a call
    index = {name: j for j, (name, _) in enumerate(FIELDS)}
    array_at = [PARAMETERS.index(name) for name in ARRAYS]
    array_slots = np.array([index[name] for name in ARRAYS])
    wanted = {name: (np.dtype(dtype), ndim) for name, (dtype, ndim) in ARRAYS.items()}
    int_at = [PARAMETERS.index(name) for name in INTEGERS]
    int_slots = np.array([index[name] for name in INTEGERS])
    float_at = [PARAMETERS.index(name) for name in FLOATS]
    float_slots = np.array([index[name] for name in FLOATS])
    size_slots = np.array([index[name] for name in ("n_person_rule", "n", "cum_stride", "tally_stride")])
    person_rule_at, loc_at, cum_at, tally_at = (PARAMETERS.index(n) for n in ("person_rule", "loc", "cum", "tally"))
    checked: dict[int, tuple[np.ndarray, int]] = {}  # id -> (array, address): arrays already checked

    def address(a: np.ndarray, name: str) -> int:
        """``a``'s address, its dtype and layout checked the first time ``a`` is met (an array is
        kept here while remembered, so that its id is not reused by another)."""
        known = checked.get(id(a))
        if known is not None and known[0] is a:
            return known[1]
        dtype, ndim = wanted[name]
        if a.dtype != dtype or a.ndim != ndim or not a.flags.c_contiguous:
            raise TypeError(f"{name}: {a.dtype}[{a.ndim}] (C order {a.flags.c_contiguous}), wanted {dtype}[{ndim}]")
        if len(checked) > 512:  # (the day's new views would otherwise pile up)
            checked.clear()
        checked[id(a)] = (a, a.ctypes.data)
        return checked[id(a)][1]

    names = list(ARRAYS)

    def prepare(*args):
        """The struct filled from ``args`` (checked), without calling the kernel."""
        words[array_slots] = [address(args[at], name) for at, name in zip(array_at, names)]
        words[int_slots] = [int(args[at]) & 0xFFFFFFFFFFFFFFFF for at in int_at]
        words[float_slots] = np.array([float(args[at]) for at in float_at]).view(np.uint64)
        words[size_slots] = (args[person_rule_at].shape[0], args[loc_at].shape[0], args[cum_at].shape[1],
                             args[tally_at].shape[1])

    def move_people(*args):
        prepare(*args)
        return call(pointer)

    move_people.py_func = move_people  # type: ignore[attr-defined]  # (flee_kernel_ab.by_name reads its parameters)
    move_people.__signature__ = inspect.signature(flee_kernels.move_people.py_func)  # type: ignore[attr-defined]
    move_people.prepare = prepare  # type: ignore[attr-defined]  # (ab.py times the Python side alone)
    move_people.keep = (library, tables, k)  # type: ignore[attr-defined]
    return move_people
