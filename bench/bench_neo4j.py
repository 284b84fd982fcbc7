"""Benchmark of the Neo4j store: the ``--scale gm`` data (about 600,000 attendance rows) loaded
through the real loaders into Neo4j and, in the same run, into SQLite (the baseline), step by
step; then the analyses' input read back from each.

    python bench/bench_neo4j.py [--data DIR] [--url bolt://USER:PASSWORD@HOST:PORT] [--no-floor]

Without ``--url`` it starts the project's own test server (``scripts/neo4j-test-server``: Neo4j
Community 5.26, embedded, Bolt on 127.0.0.1 only). Target (issue 17, 2 cores): the Neo4j load
(plan and write) under 30 s. Each step is printed beside SQLite's, with the ratio, and the
CPU seconds the Neo4j write cost this process and the server (on a busy machine the wall
times count the other processes' turns; the CPU seconds much less).

On the test server it also times the server's floor: the same organisations, people,
sessions, employments and visits created bare (ids and the visits' three fields, no claims),
under labels of their own with the same uniqueness constraints, by ``UNWIND ... CREATE`` in
transactions of the same size: the fastest way to put these facts into Neo4j with the driver at
hand. It runs on a second test server, started afresh as graphsvc's was (the first heavy write
after a start pays the JIT compiling Neo4j's own code), and then again on that server, warm.
The write's ratio to it is what graphsvc's claims, folds and atomicity cost; graphsvc's plan
plus the cold floor is the least a load through Bolt could take here.
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


def floor(url: str, source, chunk_rows: int, again: bool = False) -> float:
    """Seconds to create the same things bare (see the module's docstring), under labels of
    their own (``FloorPerson``, or ``FloorPersonAgain`` when ``again``; left there: the test
    server is thrown away)."""
    from neo4j import GraphDatabase

    run = "Again" if again else ""
    nodes = {f"FloorOrganisation{run}": [o.id for o in source.organisations()],
             f"FloorPerson{run}": [p.id for p in source.people()],
             f"FloorSession{run}": [s.id for s in source.sessions()]}
    works = [[e.person_id, e.organisation_id] for e in source.employments()]
    visits = [[a.person_id, a.session_id, a.organisation_id, a.minutes, a.role]
              for a in source.attendance()]
    statements = [(f"UNWIND $rows AS id CREATE (:{label} {{id: id}})", ids)
                  for label, ids in nodes.items()]
    statements += [(f"UNWIND $rows AS r MATCH (a:FloorPerson{run} {{id: r[0]}}), "
                    f"(b:FloorOrganisation{run} {{id: r[1]}}) CREATE (a)-[:FLOOR_WORKS_AT]->(b)",
                    works),
                   (f"UNWIND $rows AS r MATCH (a:FloorPerson{run} {{id: r[0]}}), "
                    f"(b:FloorSession{run} {{id: r[1]}}) CREATE (a)-[:FLOOR_ATTENDED "
                    "{organisation_id: r[2], minutes: r[3], role: r[4]}]->(b)", visits)]

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


def floors(folder: Path, source, chunk_rows: int) -> dict[str, tuple[float, dict]]:
    """The floor on a test server of its own, first as it starts (cold), then again (warm):
    its seconds and the server's CPU seconds by its threads' kinds, each."""
    server = Neo4jTestServer(folder)
    server.start()
    runs = {}
    try:
        for run in ("cold", "warm"):
            before = jvm_cpu_seconds(server.process.pid)
            seconds = floor(server.url, source, chunk_rows, again=run == "warm")
            runs[run] = seconds, spent(before, jvm_cpu_seconds(server.process.pid))
    finally:
        server.stop()
    return runs


def report(rows: int, steps: dict[str, dict[str, float]],
           floor_runs: dict[str, tuple[float, dict[str, float]]] | None) -> None:
    """The steps side by side; ``floor_runs``: the floor's seconds, cold and warm, and the
    server's CPU seconds in each, by its threads' kinds."""
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
    if floor_runs is None:
        return
    (cold, cold_kinds), (warm, warm_kinds) = floor_runs["cold"], floor_runs["warm"]
    print(f"  Neo4j floor (the same things created bare, on a server of its own): as it starts "
          f"{cold:.1f} s, again {warm:.1f} s; graphsvc's write (as its server starts) is "
          f"x{neo4j['write'] / cold:.2f} of the first")
    bound = neo4j["plan"] + cold
    print(f"  the least a load through Bolt could take here: graphsvc's plan + the floor as its "
          f"server starts = {bound:.1f} s; target < {TARGET_SECONDS:.0f} s: "
          f"{'within reach' if bound < TARGET_SECONDS else 'out of reach'}")
    print(f"  {'server threads (CPU s)':22s} {'floor':>9s} {'again':>9s} {'graphsvc':>9s}  (JIT: "
          "the first heavy write after a start compiles Neo4j's own code)")
    for kind, seconds in neo4j["server"].items():
        print(f"  {kind:22s} {cold_kinds[kind]:7.1f} s {warm_kinds[kind]:7.1f} s {seconds:7.1f} s")
    print(f"  {'in all':22s} {sum(cold_kinds.values()):7.1f} s {sum(warm_kinds.values()):7.1f} s "
          f"{neo4j['server cpu']:7.1f} s")


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
        reads = {}
        for name, service in (("SQLite", on_sqlite), ("Neo4j", on_neo4j)):
            _, reads[name] = timed(lambda s=service: s.data.attendance_table())
        on_neo4j.close()
    finally:
        if server is not None:
            server.stop()
    floor_runs = None
    if server is not None and not args.no_floor:  # graphsvc's server stopped: one at a time
        floor_runs = floors(folder / "floor", on_sqlite.store, on_neo4j.store.chunk_rows)
    report(rows, steps, floor_runs)
    for name, seconds in reads.items():
        print(f"  read attendance back for projection from {name}: {seconds:.1f} s")
    print(f"  peak memory of this process (both loads): {peak_mib():,.0f} MiB")
    on_sqlite.close()


if __name__ == "__main__":
    main()
