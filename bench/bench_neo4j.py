"""Benchmark of the Neo4j store: the ``--scale gm`` data (about 600,000 attendance rows) loaded
through the real loaders into Neo4j and, in the same run, into SQLite (the baseline), step by
step; then the analyses' input read back from each.

    python bench/bench_neo4j.py [--data DIR] [--url bolt://USER:PASSWORD@HOST:PORT] [--no-floor]

Without ``--url`` it starts the project's own test server (``scripts/neo4j-test-server``: Neo4j
Community 5.26, embedded, Bolt on 127.0.0.1 only). Target (issue 17, 2 cores): the Neo4j load
(plan and write) under 30 s. Each step is printed beside SQLite's, with the ratio, and the
CPU seconds the Neo4j write cost this process and the server (on a busy machine the wall
times count the other processes' turns; the CPU seconds much less).

On the test server it also times the server's floor, after graphsvc's load (so both run on
a warm server): the same organisations, people, sessions, employments and visits created bare
(ids and the visits' three fields, no claims), under labels of their own with the same
uniqueness constraints, by ``UNWIND ... CREATE`` in transactions of the same size: the fastest
way to put these facts into Neo4j with the driver at hand. The write's ratio to it is what
graphsvc's claims, folds and atomicity cost.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import jvm_cpu_seconds, peak_mib, spent, timed  # noqa: E402
from graphsvc.accounts import LOCAL  # noqa: E402
from graphsvc.data import generate_demo  # noqa: E402
from graphsvc.service import Graphsvc  # noqa: E402
from graphsvc.store import open_store  # noqa: E402
from graphsvc.store.neo4j_claims import chunks  # noqa: E402
from tests.neo4j_server import PASSWORD, Neo4jTestServer, wipe  # noqa: E402

TARGET_SECONDS = 30.0


def load_in_steps(service: Graphsvc, files: list[Path], server_pid: int | None = None
                  ) -> dict[str, float]:
    """Plan (parse and resolve) and write, timed apart; with the server's process id, the
    CPU seconds the write cost the server (by its threads' kinds) and this process as well."""
    plan, t_plan = timed(lambda: service.imports.preview(LOCAL, files))
    before = time.process_time(), server_pid and jvm_cpu_seconds(server_pid)
    _, t_write = timed(lambda: service.imports.confirm(LOCAL, plan))
    steps = {"plan": t_plan, "write": t_write, "load": t_plan + t_write,
             "client cpu": time.process_time() - before[0]}
    if server_pid:
        steps["server"] = spent(before[1], jvm_cpu_seconds(server_pid))
        steps["server cpu"] = sum(steps["server"].values())
    return steps


def floor(url: str, source, chunk_rows: int) -> float:
    """Seconds to create the same things bare (see the module's docstring), beside graphsvc's
    (labels ``FloorPerson`` and so on, left there: the test server is thrown away)."""
    from neo4j import GraphDatabase

    nodes = {"FloorOrganisation": [o.id for o in source.organisations()],
             "FloorPerson": [p.id for p in source.people()],
             "FloorSession": [s.id for s in source.sessions()]}
    works = [[e.person_id, e.organisation_id] for e in source.employments()]
    visits = [[a.person_id, a.session_id, a.organisation_id, a.minutes, a.role]
              for a in source.attendance()]
    statements = [(f"UNWIND $rows AS id CREATE (:{label} {{id: id}})", ids)
                  for label, ids in nodes.items()]
    statements += [("UNWIND $rows AS r MATCH (a:FloorPerson {id: r[0]}), "
                    "(b:FloorOrganisation {id: r[1]}) CREATE (a)-[:FLOOR_WORKS_AT]->(b)", works),
                   ("UNWIND $rows AS r MATCH (a:FloorPerson {id: r[0]}), (b:FloorSession "
                    "{id: r[1]}) CREATE (a)-[:FLOOR_ATTENDED {organisation_id: r[2], "
                    "minutes: r[3], role: r[4]}]->(b)", visits)]

    def create_all(driver) -> None:
        with driver.session() as session:
            for label in nodes:
                session.run(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE").consume()
            for query, rows in statements:
                for batch in chunks(rows, chunk_rows):
                    session.execute_write(lambda tx, b=batch, q=query: tx.run(q, rows=b).consume())

    with GraphDatabase.driver(url, auth=("neo4j", PASSWORD)) as driver:
        _, seconds = timed(lambda: create_all(driver))
    return seconds


def report(rows: int, steps: dict[str, dict[str, float]],
           floor_run: tuple[float, dict[str, float]] | None) -> None:
    """The steps side by side; ``floor_run``: the floor's seconds and the server's CPU
    seconds in it, by its threads' kinds."""
    sqlite, neo4j = steps["SQLite"], steps["Neo4j"]
    rust = importlib.util.find_spec("neo4j._rust") is not None
    print(f"load {rows:,} attendance rows; driver's packstream: "
          f"{'Rust (neo4j-rust-ext)' if rust else 'pure Python (no neo4j-rust-ext)'}")
    print(f"  {'step':22s} {'SQLite':>9s} {'Neo4j':>9s}  ratio")
    names = {"plan": "plan (parse, resolve)", "write": "write", "load": "load (plan + write)"}
    for step, name in names.items():
        line = (f"  {name:22s} {sqlite[step]:7.1f} s {neo4j[step]:7.1f} s  "
                f"x{neo4j[step] / sqlite[step]:.2f}")
        if step == "load":
            verdict = "ok" if neo4j[step] < TARGET_SECONDS else "OVER"
            line += f"   target Neo4j < {TARGET_SECONDS:.0f} s: {verdict}"
        print(line)
    print(f"  {'rows/s (load)':22s} {rows / sqlite['load']:9,.0f} {rows / neo4j['load']:9,.0f}")
    cpu = f"this process {neo4j['client cpu']:.1f} s"
    if "server cpu" in neo4j:
        cpu += f", the server {neo4j['server cpu']:.1f} s"
    print(f"  CPU time of the Neo4j write (robust on a busy machine): {cpu}")
    if floor_run is not None:
        floor_seconds, floor_kinds = floor_run
        floor_cpu = sum(floor_kinds.values())
        print(f"  Neo4j floor (the same things created bare): {floor_seconds:.1f} s; "
              f"graphsvc's write is x{neo4j['write'] / floor_seconds:.2f} of it")
        print(f"  the server's CPU time: floor {floor_cpu:.1f} s, graphsvc's write "
              f"{neo4j['server cpu']:.1f} s (x{neo4j['server cpu'] / floor_cpu:.2f})")
        print(f"  {'server threads (CPU s)':22s} {'floor':>9s} {'graphsvc':>9s}  (JIT: the first "
              "heavy write after the server starts compiles Neo4j's code; the floor runs after)")
        for kind, seconds in neo4j["server"].items():
            print(f"  {kind:22s} {floor_kinds[kind]:7.1f} s {seconds:7.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="the --scale gm data (written if missing)")
    parser.add_argument("--url", help="a Neo4j server to use instead of the test server")
    parser.add_argument("--no-floor", action="store_true", help="skip the server's floor")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="graphsvc-bench-neo4j-"))
    data = args.data or folder / "gm"
    if not (data / "organisations.csv").exists():
        generate_demo.write(data, 2016, generate_demo.GM)
    files = [data / "organisations.csv", data / "communities.csv",
             *sorted((data / "attendance").glob("*.csv"))]
    server = None
    url = args.url
    if url is None:
        server = Neo4jTestServer(folder / "neo4j")
        url = server.start().replace("bolt://", f"bolt://neo4j:{PASSWORD}@")
    try:
        if server is not None:
            wipe(server.url)
        on_sqlite = Graphsvc(folder / "gm.db")
        steps = {"SQLite": load_in_steps(on_sqlite, files)}
        rows = on_sqlite.store.counts()["attendance"]
        on_neo4j = Graphsvc(open_store(url), archive=folder / "archive")
        steps["Neo4j"] = load_in_steps(on_neo4j, files, server and server.process.pid)
        assert on_neo4j.store.counts() == on_sqlite.store.counts(), "the two stores differ"
        floor_run = None
        if server is not None and not args.no_floor:
            before = jvm_cpu_seconds(server.process.pid)
            floor_seconds = floor(server.url, on_sqlite.store, on_neo4j.store.chunk_rows)
            floor_run = floor_seconds, spent(before, jvm_cpu_seconds(server.process.pid))
        report(rows, steps, floor_run)
        for name, service in (("SQLite", on_sqlite), ("Neo4j", on_neo4j)):
            _, t_read = timed(lambda s=service: s.data.attendance_table())
            print(f"  read attendance back for projection from {name}: {t_read:.1f} s")
        print(f"  peak memory of this process (both loads): {peak_mib():,.0f} MiB")
        on_neo4j.close()
        on_sqlite.close()
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
