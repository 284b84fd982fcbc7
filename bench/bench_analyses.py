"""Benchmark of the organisation analyses at Greater Manchester scale, each step beside a
baseline run in the same process on the same network.

    python bench/bench_analyses.py [--data DIR] [--people]

Loads the ``--scale gm`` data (``DIR/gm.db``, as bench_foundation.py writes with ``--keep DIR``,
or afresh), then runs every organisation analysis as the service runs it (the user's wait:
these add up to the total), with the process's peak memory at that point. Then, step by step,
the part of it that a baseline computes is timed beside the fastest way a skilled user would
compute the same numbers with the libraries at hand, from the same networks and facts, after
checking that the two agree:

* borough strength: a vectorised pandas/numpy computation of the same seven components;
* communities: networkit's PLM, leidenalg and igraph's Leiden (modularity; their modularity is
  printed too);
* constraint and effective size: igraph's ``Graph.constraint``, and effective size from its
  weighted formula by blocked sparse products;
* betweenness: igraph from the same sources (it compares path lengths with the same
  tolerance, so the values must agree), and networkit's estimate from as many sources of
  its own choosing (no networkit API takes a list; it compares lengths exactly).

Targets (issue 17, 2 cores): all organisation analyses under 15 s; each step within 2x of
its baseline (ratio = graphsvc / baseline); peak memory under 4 GiB. ``--people`` adds the
brokerage of the person network (sampled betweenness, constraint, roles).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import _baselines as base
from _timing import peak_mib, timed
from graphsvc.accounts import LOCAL
from graphsvc.analyses import role_counts, structural_holes
from graphsvc.analyses.betweenness import _sums
from graphsvc.analyses.communities import clusters
from graphsvc.analyses.strength import borough_strength
from graphsvc.data import generate_demo
from graphsvc.service import Graphsvc

TOTAL_TARGET, RATIO_TARGET, PEAK_TARGET = 15.0, 2.0, 4.0
STEPS = (("strength", {}), ("brokers", {"partition": "sector"}), ("gaps", {}),
         ("bridges", {"a": "sector=Housing", "b": "sector=Charity"}), ("communities", {}),
         ("change", {}))
NO_BASELINE = "no baseline (issue 17 names none for this step)"


def peak_gib() -> float:
    return peak_mib() / 1024


def row(label: str, ours: float, theirs: float | None = None, note: str = "") -> None:
    if theirs is None:
        print(f"{label:<46}{ours:8.2f} s {'':>10} {'':>7} {'':>12}  {note}")
        return
    ratio = ours / theirs
    verdict = "ok" if ratio <= RATIO_TARGET else "OVER"
    print(f"{label:<46}{ours:8.2f} s {theirs:8.2f} s {ratio:6.2f}x  <= 2x {verdict:<4}  {note}")


def load(folder: Path) -> Graphsvc:
    database = folder / "gm.db"
    if not database.exists():
        data = folder / "gm"
        generate_demo.write(data, 2016, generate_demo.GM)
        Graphsvc(database).imports.load(LOCAL, [data / "organisations.csv",
                                                data / "communities.csv",
                                                *sorted((data / "attendance").glob("*.csv"))])
    return Graphsvc(database, cache_dir=False)  # cold: no results from an earlier run


def service_steps(service: Graphsvc) -> dict:
    """Every organisation analysis as the service runs it; the user's wait."""
    print(f"{'step (as the service runs it)':<46}{'graphsvc':>10} {'baseline':>10} "
          f"{'ratio':>7} {'target':>12}")
    _, t = timed(lambda: service.data.network("organisations"))
    row("project + active organisation network", t, note=NO_BASELINE)
    orgs = service.data.network("organisations")
    print(f"  organisations: {orgs.n:,} nodes, {orgs.edges:,} active ties (18-month window)")
    total, results = t, {}
    for name, options in STEPS:
        results[name], t = timed(lambda: service.analyses.compute(name, **options))
        total += t
        row(f"organisations: {name}", t, note="(baseline below)" if name in (
            "strength", "brokers", "communities") else NO_BASELINE)
    verdict = "ok" if total < TOTAL_TARGET else "OVER"
    print(f"all analyses of the organisation network: {total:.1f} s (target < 15 s) {verdict}")
    peak = peak_gib()
    print(f"peak memory after them: {peak:.2f} GiB (target < 4 GiB) "
          f"{'ok' if peak < PEAK_TARGET else 'OVER'}")
    return results


def compare_strength(service: Graphsvc, result: dict) -> None:
    as_of = service.data.latest_session()
    orgs, people = service.data.network("organisations"), service.data.network("people")
    facts = service.data.facts()
    facts.row_arrays()  # built once and kept by the service: neither side pays for it
    boroughs = [b["borough"] for b in result["boroughs"]]
    kwargs = dict(as_of=as_of, window_months=18, boroughs=boroughs)
    ours, t = timed(lambda: borough_strength(orgs, people, facts, **kwargs))
    theirs, b = timed(lambda: base.strength_baseline(orgs, people, facts, **kwargs))
    worst = max(abs(r["index"] - (theirs.get(r["borough"]) or 0.0)) for r in ours["boroughs"])
    row("  strength: borough_strength vs pandas/numpy", t, b,
        f"(indexes agree within {worst:.2g})" if worst <= 0.011 else f"DISAGREE by {worst:.3g}")
    print("    (the service step adds the person network's projection and the trend by "
          "quarter, which the baseline does not compute)")


def compare_brokers(orgs) -> None:
    holes, t = timed(lambda: structural_holes(orgs))
    (constraint, effective), b = timed(lambda: base.holes_baseline(orgs))
    agree = (np.allclose(holes.constraint, constraint, rtol=1e-9, equal_nan=True)
             and np.allclose(holes.effective_size, effective, rtol=1e-9, equal_nan=True))
    row("  brokers: constraint + effective size vs igraph", t, b,
        "(values agree)" if agree else "VALUES DISAGREE")
    chosen = np.random.default_rng(0).choice(orgs.n, size=256, replace=False)
    ours, t = timed(lambda: _sums(orgs, chosen, linear=False))
    theirs, b = timed(lambda: base.betweenness_igraph(orgs, chosen))
    ours = ours / 2  # graphsvc sums each pair from its source's side; igraph halves
    scale = np.abs(ours).max() or 1.0
    worst = np.abs(ours - theirs).max() / scale
    row("  brokers: betweenness, 256 sources vs igraph", t, b,
        f"(same sources; agree within {worst:.1g} of the largest)" if worst < 1e-9
        else f"DISAGREE by {worst:.3g} of the largest")
    _, b = timed(lambda: base.betweenness_networkit(orgs, 256))
    row("  brokers: betweenness, 256 sources vs networkit", t, b,
        "(networkit draws its own 256 sources and compares lengths exactly: values not compared)")


def compare_communities(orgs) -> None:
    labels, t = timed(lambda: clusters(orgs, seed=0))
    ours = base.modularity(orgs, labels)
    for name, method in (("networkit PLM", base.plm), ("leidenalg", base.leiden),
                         ("igraph's Leiden", base.leiden_igraph)):
        theirs, b = timed(lambda: method(orgs, seed=0))
        row(f"  communities: Leiden vs {name}", t, b,
            f"(modularity {ours:.4f} against {base.modularity(orgs, theirs):.4f})")


def people_brokerage(service: Graphsvc) -> None:
    people, t = timed(lambda: service.data.network("people"))
    print(f"  people: {people.n:,} nodes, {people.edges:,} active ties")
    chosen = np.random.default_rng(0).choice(people.n, size=64, replace=False)
    _, t = timed(lambda: _sums(people, chosen, linear=False))
    _, b = timed(lambda: base.betweenness_igraph(people, chosen))
    row("  people: betweenness, 64 sources vs igraph", t, b)
    groups, _ = people.partition("sector")
    holes, t = timed(lambda: structural_holes(people, groups))
    _, b = timed(lambda: base.holes_baseline(people))
    row("  people: constraint + effective size vs igraph", t, b)
    _, t = timed(lambda: role_counts(people, groups, holes.closed))
    row("  people: Gould-Fernandez roles by sector", t, note="no baseline (none at hand)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="folder with gm/ and gm.db from bench_foundation")
    parser.add_argument("--people", action="store_true", help="add the person network's brokerage")
    args = parser.parse_args()
    service = load(args.data or Path(tempfile.mkdtemp(prefix="graphsvc-bench-")))
    results = service_steps(service)
    orgs = service.data.network("organisations")
    print(f"\n{'the part a baseline computes (same process)':<46}{'graphsvc':>10} "
          f"{'baseline':>10} {'ratio':>7} {'target':>12}")
    compare_strength(service, results["strength"])
    compare_brokers(orgs)
    compare_communities(orgs)
    if args.people:
        people_brokerage(service)
    print(f"peak memory for the whole run, baselines included: {peak_gib():.2f} GiB")


if __name__ == "__main__":
    main()
