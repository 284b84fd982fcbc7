"""Benchmark of the Neo4j store: the ``--scale gm`` data (about 600,000 attendance rows) loaded
through the real loaders into Neo4j and, in the same run, into SQLite; then the analyses' input
read back from each.

    python bench/bench_neo4j.py [--data DIR] [--url bolt://USER:PASSWORD@HOST:PORT]

Without ``--url`` it starts the project's own test server (``scripts/neo4j-test-server``: Neo4j
Community 5.26, embedded, Bolt on 127.0.0.1). Target (2 cores): the Neo4j load under 120 s; the
script prints rows per second for both stores.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import timed  # noqa: E402
from graphsvc.accounts import LOCAL  # noqa: E402
from graphsvc.data import generate_demo  # noqa: E402
from graphsvc.service import Graphsvc  # noqa: E402
from graphsvc.store import open_store  # noqa: E402
from tests.neo4j_server import PASSWORD, Neo4jTestServer, wipe  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="the --scale gm data (written if missing)")
    parser.add_argument("--url", help="a Neo4j server to use instead of the test server")
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
        _, t_sqlite = timed(lambda: on_sqlite.imports.load(LOCAL, files))
        rows = on_sqlite.store.counts()["attendance"]
        on_neo4j = Graphsvc(open_store(url), archive=folder / "archive")
        _, t_neo4j = timed(lambda: on_neo4j.imports.load(LOCAL, files))
        assert on_neo4j.store.counts() == on_sqlite.store.counts(), "the two stores differ"
        print(f"load {rows:,} attendance rows (parse, resolve, write):")
        print(f"  SQLite  {t_sqlite:7.1f} s  {rows / t_sqlite:9,.0f} rows/s")
        print(f"  Neo4j   {t_neo4j:7.1f} s  {rows / t_neo4j:9,.0f} rows/s   "
              f"x{t_neo4j / t_sqlite:.1f} of SQLite; target < 120 s "
              f"{'ok' if t_neo4j < 120 else 'OVER'}")
        for name, service in (("SQLite", on_sqlite), ("Neo4j", on_neo4j)):
            _, t_read = timed(lambda s=service: s.attendance_table())
            print(f"  read attendance back for projection from {name}: {t_read:.1f} s")
        on_neo4j.close()
        on_sqlite.close()
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
