"""SQL over the Parquet results of every catalogued run (DuckDB, the ``query`` extra).

Views: ``runs`` (the catalogue: id, kind, scenario, scenario_name, seed, created, path)
and, for each table name found in the catalogued folders (``counts``, ``needs``,
``caravans``, ``events``, an ensemble's ``quantiles``...), a view of that name with
every folder's rows and a ``run_id`` column first::

    caravana runs query "SELECT run_id, max(count) FROM counts WHERE place = 'Tijuana' GROUP BY run_id"
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .records import list_runs
from .store import CatalogueError


def query(sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of ``sql`` run over the catalogue's views."""
    import duckdb

    records = list_runs()
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE runs (id VARCHAR, kind VARCHAR, scenario VARCHAR, scenario_name VARCHAR, "
                    "seed BIGINT, created TIMESTAMP, path VARCHAR)")
        con.executemany("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(r.id, r.kind, r.scenario, r.scenario_name, r.seed, r.created.replace(tzinfo=None),
                          str(r.path)) for r in records])
        files: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in records:
            for path in sorted(r.path.glob("*.parquet")) if r.path.is_dir() else []:
                files[path.stem].append((r.id, str(path)))
        for name, pairs in files.items():
            con.execute(f'CREATE TABLE "_{name}_files" (run_id VARCHAR, filename VARCHAR)')
            con.executemany(f'INSERT INTO "_{name}_files" VALUES (?, ?)', pairs)
            listed = ", ".join("'" + f.replace("'", "''") + "'" for _, f in pairs)
            con.execute(
                f'CREATE VIEW "{name}" AS SELECT f.run_id, t.* EXCLUDE (filename) FROM '
                f"read_parquet([{listed}], filename = true, union_by_name = true) t "
                f'JOIN "_{name}_files" f USING (filename)'
            )
        try:
            result = con.execute(sql)
        except duckdb.Error as exc:
            raise CatalogueError(f"query failed: {str(exc).splitlines()[0]}") from None
        return [d[0] for d in result.description or []], result.fetchall()
    finally:
        con.close()
