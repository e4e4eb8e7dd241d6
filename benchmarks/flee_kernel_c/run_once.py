"""One whole run of a Flee scenario (seed 1) with the C kernel (``c``) or Numba's (``numba``), for valgrind:

    valgrind --tool=callgrind --toggle-collect='ffi_call*' python benchmarks/flee_kernel_c/run_once.py mali2012 c

(the C kernel's instructions are those inside ``ffi_call``: callgrind does not name the library's own functions).
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ckernel  # noqa: E402

from caravana import load_scenario, simulation  # noqa: E402
from caravana.behaviours import flee_movement  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    scenario = load_scenario(sys.argv[1])
with tempfile.TemporaryDirectory(prefix="caravana-ckernel-") as folder:
    if sys.argv[2] == "c":
        flee_movement.move_people = ckernel.load(None, Path(folder))
    simulation(scenario, seed=1).run()
