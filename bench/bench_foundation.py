"""Benchmark of the foundation on Greater Manchester scale data.

Writes the ``--scale gm`` data set (16,000 organisations, ~60,000 people, 6,000 sessions,
~600,000 attendance rows), loads it into a fresh SQLite file through the real loaders, projects
both tie networks, and in the same run projects a tenth of the data with networkx's
``bipartite.weighted_projected_graph`` beside graphsvc's projection of that same tenth.

    python bench/bench_foundation.py [--keep DIR]

Targets (2-core machine): load under 20 s, both projections under 5 s, peak memory under 4 GiB.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

import networkx as nx
from networkx.algorithms import bipartite

from _timing import peak_mib
from _timing import timed as measure
from graphsvc.accounts import LOCAL
from graphsvc.data import generate_demo
from graphsvc.service import Graphsvc
from graphsvc.ties import AttendanceTable, ProjectionRule, project


def timed(label: str, action):
    result, elapsed = measure(action)
    print(f"{label:<48}{elapsed:>9.2f} s   peak {peak_mib():>7.0f} MiB")
    return result, elapsed


def networkx_projection(table: AttendanceTable, sessions: set[int]) -> nx.Graph:
    graph = nx.Graph()
    people = set()
    for s, p in zip(table.session.tolist(), table.person.tolist()):
        if s in sessions:
            graph.add_edge(("s", s), p)
            people.add(p)
    return bipartite.weighted_projected_graph(graph, people)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="write the data and database here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    data = folder / "gm"
    if not (data / "organisations.csv").exists():
        summary, _ = timed("write --scale gm data (not a target)",
                           lambda: generate_demo.write(data, 2016, generate_demo.GM))
        print("  data:", {k: v for k, v in summary.items() if k != "brokers"})
    files = [data / "organisations.csv", data / "communities.csv",
             *sorted((data / "attendance").glob("*.csv"))]
    database = folder / "gm.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    service = Graphsvc(database)
    plan, load_time = timed("load into SQLite (parse, resolve, write)", lambda: service.imports.load(LOCAL, files))
    rows = service.store.counts()["attendance"]
    print(f"  {rows:,} attendance rows, {rows / load_time:,.0f} rows/s")
    table, _ = timed("read attendance back for projection", service.data.attendance_table)
    people, t_people = timed("project the person network", lambda: project(table, "people"))
    orgs, t_orgs = timed("project the organisation network", lambda: project(table, "organisations"))
    print(f"  person ties {len(people):,}, organisation ties {len(orgs):,}; rule: "
          f"{ProjectionRule().describe()}")

    # the plain networkx route on a tenth of the sessions (of those the rule keeps whole)
    sizes = table.session_sizes()
    eligible = [s for s in range(len(sizes)) if sizes[s] <= ProjectionRule().large_session_size]
    tenth = set(random.Random(1).sample(eligible, len(sizes) // 10))
    keep = [i for i, s in enumerate(table.session.tolist()) if s in tenth]
    sub = AttendanceTable(table.session_ids, table.session_dates, table.person_ids,
                          table.organisation_ids, table.session[keep], table.person[keep],
                          table.organisation[keep])
    ours, t_ours = timed("graphsvc: person projection of a tenth", lambda: project(sub, "people"))
    theirs, t_nx = timed("networkx weighted_projected_graph, same tenth",
                         lambda: networkx_projection(table, tenth))
    assert theirs.number_of_edges() == len(ours), "the two projections disagree"
    print(f"  same {len(ours):,} ties; graphsvc is {t_nx / t_ours:,.0f}x faster than networkx")

    print("\nagainst the targets:")
    for label, value, target, unit in (
        ("load 600,000 attendance rows", load_time, 20, "s"),
        ("project both tie networks", t_people + t_orgs, 5, "s"),
        ("peak memory, whole run", peak_mib() / 1024, 4, "GiB"),
    ):
        verdict = "ok" if value < target else "OVER"
        print(f"  {label:<34}{value:>8.2f} {unit:<4} target < {target} {unit}   {verdict}")


if __name__ == "__main__":
    main()
