"""Import scan over every Flee folder of FabFlee: does caravana import it, does Flee 3.1 run it?

FabFlee (https://github.com/djgroen/FabFlee, BSD-3-Clause) is not part of caravana: give
the path of a checkout or a bare clone. Every folder under ``config_files`` holding
``input_csv/locations.csv`` is tried (a folder without ``simsetting.yml`` gets its nearest
parent's, as FabFlee's suites share one). For each: caravana's import with Flee 3.1 rules
(imported, or the refusal's message), and Flee 3.1 itself on the first ``--days`` days
(one seed, ``flee31_reference.py`` in a subprocess with a time limit): runs, or its error.

    nice -n 10 python benchmarks/flee_import_scan.py /path/to/FabFlee [--days 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fabflee_export import export  # noqa: E402

from caravana import load_scenario
from caravana.errors import CaravanaError

HERE = Path(__file__).parent


def give_settings(folder: Path, root: Path) -> str:
    """Copy the nearest parent's simsetting.yml into ``folder`` if it has none; say which."""
    if (folder / "simsetting.yml").exists():
        return ""
    for parent in folder.parents:
        if (parent / "simsetting.yml").exists():
            shutil.copy(parent / "simsetting.yml", folder / "simsetting.yml")
            return str(parent.relative_to(root))
        if parent == root:
            break
    return "none"


def flee31_runs(folder: Path, days: int, timeout: float) -> str:
    """'runs', or Flee 3.1's (or the reference runner's) last error line."""
    cmd = [sys.executable, str(HERE / "flee31_reference.py"), str(folder), "--seed", "0", "--days", str(days),
           "--in-process"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"no result within {timeout:.0f} s"
    if done.returncode == 0:
        return "runs"
    lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
    return (lines[-1] if lines else f"exit {done.returncode}")[:240]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fabflee", type=Path)
    parser.add_argument("--days", type=int, default=3, help="days of the Flee 3.1 trial run (default 3)")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--no-flee", action="store_true", help="only caravana's import")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="flee_scan_") as tmp:
        root, missing = export(args.fabflee.resolve(), "config_files", Path(tmp))
        if missing:
            print(f"{len(missing)} files absent from the FabFlee copy (skipped): {', '.join(missing[:8])} ...")
        folders = sorted(p.parent.parent for p in root.rglob("input_csv/locations.csv"))
        for folder in folders:
            name = str(folder.relative_to(root))
            settings_from = give_settings(folder, root)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    load_scenario(folder)
                    caravana = "imported"
                except CaravanaError as exc:
                    caravana = "refused: " + str(exc).replace(str(root) + "/", "")
            notes = sorted({str(w.message).replace(str(root) + "/", "") for w in caught})
            flee = "not tried" if args.no_flee else flee31_runs(folder, args.days, args.timeout)
            rows.append({"folder": name, "caravana": caravana, "flee31": flee, "warnings": notes,
                         "simsetting_from": settings_from})
            print(f"{name:55} {caravana[:8]:8} | Flee 3.1: {flee[:60]}", flush=True)

    imported = [r for r in rows if r["caravana"] == "imported"]
    refused = [r for r in rows if r["caravana"] != "imported"]
    print()
    print(f"{len(rows)} folders: caravana imports {len(imported)}, refuses {len(refused)}")
    both = sum(r["flee31"] == "runs" for r in imported)
    print(f"  imported and Flee 3.1 runs them: {both}; imported, Flee 3.1 does not: {len(imported) - both}")
    print(f"  refused and Flee 3.1 runs them: {sum(r['flee31'] == 'runs' for r in refused)}")
    for r in refused:
        print(f"- {r['folder']}: {r['caravana']}\n    Flee 3.1: {r['flee31']}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
