"""Flee 3.1's figures on the small rule cases of ``tests/data/flee_rules`` (stored for the tests).

For the base case, each variant of ``variants.yml`` and each variant's ``without`` (the
same case with the rule's key left out), runs Flee 3.1 for the case's 20 days over
``--seeds`` seeds and records, per seed, the people in each camp and the agents in all
on the last day. Also records whether Flee 3.1 *as shipped* runs the variant, and if
not its error; variants it cannot run are then run with the one-line repair named in
``flee31_fix`` (see ``flee31_reference.FIXES``). Writes ``tests/data/flee_rules/references.json``.
Needs Flee 3.1 (``pip install flee==3.1``).

    nice -n 10 python benchmarks/flee31_rule_references.py --seeds 10
    nice -n 10 python benchmarks/flee31_rule_references.py --only ChildrenAvoidHazards BoysTakeRisk

``--only`` runs just those variants and updates their entries in the stored file (with
the stored file's number of seeds), leaving the others as they are.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from flee31_reference import run_flee31  # noqa: E402
from tests.flee_rule_cases import CAMPS, DATA, make_case, variants  # noqa: E402


def _runs(folder: str, seeds: int, fixes: tuple[str, ...]) -> dict:
    """All seeds of one case in one fresh process (Flee's globals reset between seeds)."""
    out: dict = {camp: [] for camp in CAMPS} | {"agents": []}
    for seed in range(seeds):
        res = run_flee31(folder, seed, fixes=fixes)
        for j, camp in enumerate(res.camps):
            out[camp].append(int(res.sim[-1, j]))
        out["agents"].append(int(res.total_agents[-1]))
    return out


def _as_shipped(folder: str) -> str:
    try:
        run_flee31(folder, 0)
        return "runs"
    except Exception as exc:  # noqa: BLE001 - Flee's own failure is what we record
        return f"{type(exc).__name__}: {exc}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--only", nargs="*", default=None, help="update only these variants in the stored file")
    args = parser.parse_args()
    ctx = multiprocessing.get_context("spawn")
    report: dict = {"seeds": args.seeds, "flee": "3.1", "cases": {}}
    if args.only:
        report = json.loads((DATA / "references.json").read_text())
        args.seeds = report["seeds"]
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        tmp_path = Path(tmp)
        if not args.only:
            report["cases"]["base"] = pool.submit(_runs, str(DATA / "base"), args.seeds, ()).result()
        for name, spec in variants().items():
            if args.only and name not in args.only:
                continue
            folder = make_case(name, tmp_path)
            entry: dict = {"as_shipped": pool.submit(_as_shipped, str(folder)).result()}
            fixes = () if entry["as_shipped"] == "runs" else (spec["flee31_fix"],)
            entry["fixes"] = list(fixes)
            entry["with"] = pool.submit(_runs, str(folder), args.seeds, fixes).result()
            if "without" in spec:
                without = make_case(name, tmp_path, with_rule=False)
                entry["without"] = pool.submit(_runs, str(without), args.seeds, fixes).result()
            report["cases"][name] = entry
            print(name, json.dumps(entry), flush=True)
    (DATA / "references.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {DATA / 'references.json'}")


if __name__ == "__main__":
    main()
