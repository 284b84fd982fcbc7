"""Benchmark of the analyses on Greater Manchester scale data, beside the plain networkx route.

    python bench/bench_analyses.py [--data DIR]

Loads the ``--scale gm`` data (written by bench_foundation.py with ``--keep DIR``, or afresh),
then times each analysis step on the organisation network and the brokerage steps on the
person network, with peak memory. In the same run it times networkx on the same step: on the
whole network where that finishes in reasonable time, otherwise on a measured fraction (a
stated number of betweenness pivots or of nodes) and scaled up, and says so. Igraph's time is
printed where it implements the same measure.

Targets (2 cores): all analyses of the organisation network under 30 s; brokerage of the
person network (sampled betweenness k=256, constraint, effective size, roles by sector) under
60 s; at least 10x faster than networkx where it finishes; peak memory under 6 GiB.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from _timing import peak_mib, timed
from graphsvc.analyses import betweenness, role_counts, structural_holes
from graphsvc.analyses.communities import clusters
from graphsvc.data import generate_demo
from graphsvc.accounts import LOCAL
from graphsvc.service import Graphsvc


def peak_gib() -> float:
    return peak_mib() / 1024


def report(label: str, ours: float, theirs: float | None = None, how: str = "") -> None:
    ratio = f"{theirs / ours:8.1f}x" if theirs else "        "
    other = f"{theirs:9.2f} s" if theirs else "          "
    print(f"{label:<44}{ours:8.2f} s {other} {ratio}  {how}   peak {peak_gib():.2f} GiB")


SAMPLE_LIMIT = 120


def networkx_sample(network, count: int, measure) -> tuple[float, str]:
    """networkx on a sample of the nodes that have ties, scaled to all of them (isolated
    nodes cost networkx nothing, so sampling them would flatter it). Bounded: if the sample
    does not finish in SAMPLE_LIMIT seconds, the limit gives a lower bound."""
    graph = network.to_networkx()
    tied = [n for n in graph if graph.degree(n)]
    nodes = random.Random(0).sample(tied, min(count, len(tied)))
    seconds = bounded(lambda: measure(graph, nodes), SAMPLE_LIMIT)
    if seconds is None:
        return SAMPLE_LIMIT * len(tied) / len(nodes), (
            f"(networkx did not finish {len(nodes)} nodes in {SAMPLE_LIMIT} s: a lower bound)")
    return seconds * len(tied) / len(nodes), f"(networkx timed on {len(nodes)} nodes, scaled)"


LOUVAIN_LIMIT = 120


def _child(action, queue):
    start = time.perf_counter()
    action()
    queue.put(time.perf_counter() - start)


def bounded(action, limit: float) -> float | None:
    """Seconds ``action`` took in a child process, or None if it ran past ``limit``."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(action, queue))
    child.start()
    child.join(limit)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return queue.get()


def networkx_betweenness(network, pivots: int) -> float:
    """Seconds networkx takes for betweenness from ``pivots`` sources, distance 1/weight."""
    graph = network.to_networkx()
    for _, _, data in graph.edges(data=True):
        data["distance"] = 1 / data["weight"]
    _, seconds = timed(lambda: nx.betweenness_centrality(graph, k=pivots, seed=0,
                                                         weight="distance"))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="folder with gm/ and gm.db from bench_foundation")
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    database = folder / "gm.db"
    if not database.exists():
        data = folder / "gm"
        generate_demo.write(data, 2016, generate_demo.GM)
        Graphsvc(database).imports.load(LOCAL, [data / "organisations.csv", data / "communities.csv",
                                 *sorted((data / "attendance").glob("*.csv"))])
    service = Graphsvc(database)
    print(f"{'step':<44}{'graphsvc':>10} {'other':>11} {'ratio':>9}")
    _, t = timed(lambda: service.data.network("organisations"))
    report("project + active organisation network", t)
    orgs = service.data.network("organisations")
    print(f"  organisations: {orgs.n:,} nodes, {orgs.edges:,} active ties (18-month window)")
    total = t
    for name, options in (("strength", {}), ("brokers", {"partition": "sector"}),
                          ("gaps", {}), ("bridges", {"a": "sector=Housing", "b": "sector=Charity"}),
                          ("communities", {}), ("change", {})):
        _, t = timed(lambda: service.analyses.compute(name, **options))
        total += t
        report(f"organisations: {name}", t)
    print(f"  all analyses of the organisation network: {total:.1f} s (target < 30 s)")

    holes, t = timed(lambda: structural_holes(orgs))
    theirs, how = networkx_sample(orgs, 2, lambda g, nodes: (
        nx.constraint(g, nodes=nodes, weight="weight"),
        nx.effective_size(g, nodes=nodes, weight="weight")))
    report("organisations: constraint + effective size", t, theirs, how)
    _, t = timed(lambda: clusters(orgs))
    theirs = bounded(lambda: nx.community.louvain_communities(orgs.to_networkx(), weight="weight",
                                                              seed=0), LOUVAIN_LIMIT)
    report("organisations: Leiden vs networkx Louvain", t, theirs,
           "" if theirs else f"(networkx did not finish in {LOUVAIN_LIMIT} s)")

    people_time = 0.0
    _, t = timed(lambda: service.data.network("people"))
    people = service.data.network("people")
    print(f"  people: {people.n:,} nodes, {people.edges:,} active ties")
    report("project + active person network", t)
    (values, how), t = timed(lambda: betweenness(people, k=256, seed=0, exact_limit=0))
    people_time += t
    report("people: betweenness k=256", t, networkx_betweenness(people, 4) * 256 / 4,
           "(networkx timed with k=4, scaled to 256)")
    import igraph as ig

    upper = people.adjacency.tocoo()
    keep = upper.row < upper.col
    g = ig.Graph(n=people.n, edges=np.column_stack([upper.row[keep], upper.col[keep]]))
    sources = random.Random(0).sample(range(people.n), 16)
    _, sixteen = timed(lambda: g.betweenness(weights=(1 / upper.data[keep]).tolist(),
                                             sources=sources))
    report("people: betweenness k=256 vs igraph", t, sixteen * 16,
           "(igraph timed with 16 sources, scaled to 256)")
    groups, _ = people.partition("sector")
    holes, t = timed(lambda: structural_holes(people, groups))
    people_time += t
    theirs, how = networkx_sample(people, 2, lambda g, nodes: (
        nx.constraint(g, nodes=nodes, weight="weight"),
        nx.effective_size(g, nodes=nodes, weight="weight")))
    report("people: constraint + effective size", t, theirs, how)
    _, t = timed(lambda: role_counts(people, groups, holes.closed))
    people_time += t
    report("people: Gould-Fernandez roles by sector", t)
    print(f"  brokerage of the person network: {people_time:.1f} s (target < 60 s)")
    print(f"peak memory for the run: {peak_gib():.2f} GiB (target < 6 GiB)")


if __name__ == "__main__":
    main()
