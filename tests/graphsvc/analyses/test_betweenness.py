"""Weighted betweenness (distance = 1 / weight) against oracles that get tied paths right.

networkx and networkit compare floating-point path lengths exactly, so two equally short
paths whose sums round differently (1/4 + 1/2 = 0.75, 1/4 + 1/3 + 1/6 = 0.7499999999999999)
are not both counted: they cannot be the oracle. These tests use exact arithmetic (fractions)
written here from the definition, igraph (which compares lengths with a relative tolerance)
from Python, and R's igraph through Rscript.
"""

import math
import random
import subprocess
from fractions import Fraction
from itertools import combinations

import igraph as ig
import networkx as nx
import numba
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from graphsvc.analyses import Network, betweenness
from graphsvc.analyses.betweenness import estimate, exact
from tests.graphsvc.analyses.r_reference import r_package_or_skip


# -- exact-arithmetic oracles ---------------------------------------------------------------

def _neighbours(n, edges):
    adjacent = {u: {} for u in range(n)}
    for u, v, w in edges:
        adjacent[u][v] = adjacent[v][u] = Fraction(1, 1) / Fraction(w)
    return adjacent


def betweenness_by_enumeration(n, edges):
    """From the definition: every simple path between every pair, its length in exact
    arithmetic; the shortest ones share the pair, equally. Normalised as networkx does."""
    adjacent = _neighbours(n, edges)
    score = [Fraction(0)] * n
    for s, t in combinations(range(n), 2):
        paths = []

        def walk(path, length):
            if path[-1] == t:
                paths.append((length, path))
                return
            for nxt, d in adjacent[path[-1]].items():
                if nxt not in path:
                    walk(path + [nxt], length + d)

        walk([s], Fraction(0))
        if not paths:
            continue
        shortest = min(length for length, _ in paths)
        geodesics = [path for length, path in paths if length == shortest]
        for path in geodesics:
            for v in path[1:-1]:
                score[v] += Fraction(1, len(geodesics))
    return [float(x * 2 / ((n - 1) * (n - 2))) for x in score]


def exact_geodesics(n, edges):
    """Exact distances (Floyd-Warshall on fractions) and numbers of shortest paths sigma[s][t]
    (a shortest path to t ends with a tie u-t with d(s, u) + d(u, t) = d(s, t))."""
    adjacent = _neighbours(n, edges)
    d = [[Fraction(0) if s == t else adjacent[s].get(t) for t in range(n)] for s in range(n)]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if d[i][k] is not None and d[k][j] is not None and (
                        d[i][j] is None or d[i][k] + d[k][j] < d[i][j]):
                    d[i][j] = d[i][k] + d[k][j]
    sigma = [[0] * n for _ in range(n)]
    for s in range(n):
        sigma[s][s] = 1
        for t in sorted((t for t in range(n) if d[s][t] is not None), key=lambda t: d[s][t]):
            if t != s:
                sigma[s][t] = sum(sigma[s][u] for u, w in adjacent[t].items()
                                  if d[s][u] is not None and d[s][u] + w == d[s][t])
    return d, sigma


def betweenness_by_counting(n, edges, pivots=None):
    """Exact betweenness from sigma_st(v) = sigma_sv sigma_vt when d(s,v) + d(v,t) = d(s,t).

    With ``pivots``, Geisberger, Sanders and Schultes' linearly scaled estimate from those
    sources: pair (s, t) gives v the share d(s, v) / d(s, t), scaled by n / len(pivots)."""
    d, sigma = exact_geodesics(n, edges)
    score = [Fraction(0)] * n
    for s in (range(n) if pivots is None else pivots):
        for t in range(n):
            if t == s or d[s][t] is None or (pivots is None and t < s):
                continue
            for v in range(n):
                if v in (s, t) or d[s][v] is None or d[v][t] is None:
                    continue
                if d[s][v] + d[v][t] == d[s][t]:
                    share = Fraction(sigma[s][v] * sigma[v][t], sigma[s][t])
                    score[v] += share if pivots is None else share * d[s][v] / d[s][t]
    scale = Fraction(2, (n - 1) * (n - 2))
    if pivots is not None:
        scale *= Fraction(n, len(pivots))
    return [float(x * scale) for x in score]


def network_of(n, edges):
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(edges)
    return Network.from_networkx(graph)


def igraph_betweenness(n, edges):
    graph = ig.Graph(n=n, edges=[(u, v) for u, v, _ in edges])
    raw = graph.betweenness(weights=[1 / w for *_, w in edges], directed=False)
    return np.asarray(raw) * 2 / ((n - 1) * (n - 2))


@st.composite
def small_weighted_graphs(draw, weights=(1, 2, 3, 4), most=7):
    """Up to ``most`` nodes, each pair tied with one of ``weights`` or not at all (0)."""
    n = draw(st.integers(3, most))
    pairs = list(combinations(range(n), 2))
    drawn = draw(st.lists(st.sampled_from((0, *weights)), min_size=len(pairs),
                          max_size=len(pairs)))
    return n, [(u, v, w) for (u, v), w in zip(pairs, drawn) if w]


# Weights 1-4 make equal lengths common, but only 1/3 is inexact, so lengths that round
# apart are rare (about 1 graph in 200); with the divisors of 12 about 1 in 10 has some.
WEIGHT_SETS = [(1, 2, 3, 4), (2, 3, 4, 6, 12)]


# a to d: a-x-d is 1/4 + 1/2 = 0.75, a-x-c-d is 1/4 + 1/3 + 1/6 = 0.7499999999999999
FLOAT_TIE = (4, [(0, 1, 4), (1, 2, 2), (1, 3, 3), (3, 2, 6)])  # a, x, d, c
# weights 1-4, 0 to 3: 1/3 + 1/3 + 1/4 = 0.9166666666666666 by 1 and 2,
# 1/3 + 1/4 + 1/3 = 0.9166666666666665 by 4 and 5
FLOAT_TIE_SMALL_WEIGHTS = (6, [(0, 1, 3), (1, 2, 3), (2, 3, 4), (0, 4, 3), (4, 5, 4), (5, 3, 3)])


# -- exact betweenness ----------------------------------------------------------------------

@pytest.mark.parametrize("graph", [FLOAT_TIE, FLOAT_TIE_SMALL_WEIGHTS])
def test_float_ties_equal_exact_arithmetic_both_exact_and_estimated(graph):
    """Graphs where comparing float sums exactly drops a path. The estimator runs on the same
    tie rule: with every node a pivot it is exact too."""
    n, edges = graph
    expected = betweenness_by_enumeration(n, edges)
    assert betweenness(network_of(n, edges))[0].tolist() == pytest.approx(expected, rel=1e-12)
    assert estimate(network_of(n, edges), np.arange(n)).tolist() == pytest.approx(
        expected, rel=1e-12)


def test_the_float_tie_counts_both_paths():
    n, edges = FLOAT_TIE
    values, how = betweenness(network_of(n, edges))
    assert how["method"] == "exact" and "1e-10" in how["ties"]
    # c carries half of (a, d) and half of (x, d): 1 of the 3 pairs c is not in
    assert values.tolist() == pytest.approx([0, 2 / 3, 0, 1 / 3], rel=1e-12)
    assert values.tolist() == pytest.approx(betweenness_by_enumeration(n, edges), rel=1e-12)
    # networkx counts a-x-c-d alone from a, both paths from d: c gets 0.41666 (5/12)


@pytest.mark.parametrize("weights", WEIGHT_SETS)
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_equals_exact_arithmetic_on_small_graphs(weights, data):
    n, edges = data.draw(small_weighted_graphs(weights))
    values, _ = betweenness(network_of(n, edges))
    expected = betweenness_by_enumeration(n, edges)
    assert betweenness_by_counting(n, edges) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert values.tolist() == pytest.approx(expected, rel=1e-9, abs=1e-12)


def davis_women() -> nx.Graph:
    graph = nx.davis_southern_women_graph()
    women = [node for node, data in graph.nodes(data=True) if data["bipartite"] == 0]
    return nx.bipartite.weighted_projected_graph(graph, women)  # weight: events shared, 1-7


def test_davis_southern_women_equals_exact_arithmetic_and_igraph():
    graph = davis_women()
    nodes = list(graph)
    n = len(nodes)
    edges = [(nodes.index(u), nodes.index(v), w) for u, v, w in graph.edges(data="weight")]
    values, _ = betweenness(Network.from_networkx(graph))
    assert values.tolist() == pytest.approx(betweenness_by_counting(n, edges), rel=1e-9)
    assert values == pytest.approx(igraph_betweenness(n, edges), rel=1e-9)
    # The motivating bug: networkx (weight = 1 / w) gets 3 of these 18 values wrong (beyond
    # 1e-9 relative), the worst by 7.3 %; so does networkit. Not asserted: not an oracle.


def test_seventy_people_with_tie_weights_one_to_three_equal_igraph():
    graph = nx.gnm_random_graph(70, 220, seed=5)
    rng = random.Random(5)
    edges = [(u, v, rng.choice([1, 2, 3])) for u, v in graph.edges]
    values, _ = betweenness(network_of(70, edges))
    expected = igraph_betweenness(70, edges)
    assert values == pytest.approx(expected, rel=1e-9, abs=1e-15)
    # networkx and networkit differ from these (beyond 1e-9 relative) at 61 of the 70 nodes,
    # one of them 0 where igraph and exact arithmetic give more, and 26 ranks move
    assert np.count_nonzero(expected) > 50


def test_exact_answers_repeat_to_the_last_digit_whatever_the_threads():
    graph = nx.gnm_random_graph(300, 1200, seed=2)
    rng = random.Random(2)
    edges = [(u, v, rng.choice([1, 2, 3, 4])) for u, v in graph.edges]
    first = exact(network_of(300, edges))
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        single = exact(network_of(300, edges))
    finally:
        numba.set_num_threads(threads)
    assert np.array_equal(first, single)
    assert np.array_equal(first, exact(network_of(300, edges)))


def test_florentine_families_unweighted():
    graph = nx.florentine_families_graph()
    values, _ = betweenness(Network.from_networkx(graph, weight=None))
    expected = nx.betweenness_centrality(graph)  # unweighted: no float sums, networkx is fine
    assert values.tolist() == pytest.approx([expected[f] for f in graph], abs=1e-12)


def test_disconnected_graphs_isolates_and_tiny_networks():
    n, edges = 7, [(0, 1, 2), (1, 2, 1), (3, 4, 3), (4, 5, 3), (3, 5, 1)]
    values, _ = betweenness(network_of(n, edges))
    assert values.tolist() == pytest.approx(betweenness_by_enumeration(n, edges), abs=1e-15)
    assert betweenness(network_of(2, [(0, 1, 1)]))[0].tolist() == [0.0, 0.0]


# -- R's igraph as a further outside oracle -------------------------------------------------
# (R's sna::betweenness compares path lengths exactly, as networkx does: on FLOAT_TIE it gives
# c 1.25 pairs, not 1, so it is not an oracle here.)

R_SCRIPT = """
suppressPackageStartupMessages(library(igraph))
args <- commandArgs(trailingOnly = TRUE)
ties <- read.table(args[1], header = TRUE)
g <- graph_from_data_frame(ties, directed = FALSE,
                           vertices = data.frame(name = 0:(as.integer(args[2]) - 1)))
b <- betweenness(g, weights = 1 / E(g)$weight, normalized = TRUE)
cat(sprintf("%.17g", b), sep = "\\n")
"""


def test_equals_r_igraph(tmp_path):
    r_package_or_skip("igraph")
    graph = nx.gnm_random_graph(40, 110, seed=9)
    rng = random.Random(9)
    edges = [(u, v, rng.choice([1, 2, 3, 4])) for u, v in graph.edges] + list(
        (u + 40, v + 40, w) for u, v, w in FLOAT_TIE[1])
    n = 44
    (tmp_path / "ties.txt").write_text(
        "from to weight\n" + "".join(f"{u} {v} {w}\n" for u, v, w in edges))
    (tmp_path / "betweenness.R").write_text(R_SCRIPT)
    out = subprocess.run(["Rscript", str(tmp_path / "betweenness.R"),
                          str(tmp_path / "ties.txt"), str(n)],
                         capture_output=True, text=True, check=True).stdout
    expected = [float(x) for x in out.split()]
    values, _ = betweenness(network_of(n, edges))
    assert len(expected) == n
    assert values.tolist() == pytest.approx(expected, rel=1e-9, abs=1e-15)
    assert values[43] * (n - 1) * (n - 2) / 2 == pytest.approx(1.0)  # c in FLOAT_TIE


# -- the sampled estimate -------------------------------------------------------------------

def weighted_watts_strogatz(n, seed):
    graph = nx.connected_watts_strogatz_graph(n, 6, 0.2, seed=seed)
    rng = random.Random(seed)
    return [(u, v, rng.choice([1, 2, 3, 4])) for u, v in graph.edges]


def test_sampled_with_k_at_least_n_is_exact():
    n, edges = 60, weighted_watts_strogatz(60, 1)
    network = network_of(n, edges)
    values, how = betweenness(network, k=n, exact_limit=10)
    assert how == {"method": "exact", "k": None, "seed": None, "ties": how["ties"]}
    assert np.array_equal(values, exact(network))
    assert np.array_equal(betweenness(network_of(n, edges), k=10 * n)[0], values)


def test_sampled_states_k_and_seed_repeats_and_is_close_to_exact():
    n, edges = 400, weighted_watts_strogatz(400, 3)
    network = network_of(n, edges)
    truth = exact(network)
    estimate_, how = betweenness(network, k=100, seed=7, exact_limit=10)
    assert (how["k"], how["seed"]) == (100, 7) and "linearly scaled" in how["method"]
    assert np.array_equal(estimate_, betweenness(network_of(n, edges), k=100, seed=7)[0])
    assert not np.array_equal(estimate_, betweenness(network, k=100, seed=8)[0])
    assert np.corrcoef(truth, estimate_)[0, 1] > 0.95
    assert abs(estimate_.sum() / truth.sum() - 1) < 0.1
    top = set(np.argsort(-truth)[:20])
    assert len(top & set(np.argsort(-estimate_)[:20])) >= 14


@pytest.mark.parametrize("weights", WEIGHT_SETS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_estimate_equals_exact_arithmetic_for_any_pivots(weights, data):
    """The estimator follows the same tie rule: from every node as pivot it is the exact
    betweenness, and from any pivots it is the estimator computed in exact arithmetic."""
    n, edges = data.draw(small_weighted_graphs(weights))
    rng = data.draw(st.randoms(use_true_random=False))
    pivots = rng.sample(range(n), rng.randint(1, n))
    network = network_of(n, edges)
    assert estimate(network, np.array(pivots)).tolist() == pytest.approx(
        betweenness_by_counting(n, edges, pivots), rel=1e-9, abs=1e-12)
    assert estimate(network, np.arange(n)).tolist() == pytest.approx(
        betweenness_by_counting(n, edges), rel=1e-9, abs=1e-12)


def test_estimate_is_unbiased_over_all_pivot_sets():
    n, edges = 7, [(0, 1, 1), (1, 2, 2), (2, 3, 4), (3, 4, 1), (4, 0, 3), (1, 5, 2),
                   (5, 3, 4), (2, 6, 1), (6, 4, 2)]
    network = network_of(n, edges)
    sets = list(combinations(range(n), 3))
    mean = sum(estimate(network, np.array(s)) for s in sets) / len(sets)
    assert mean.tolist() == pytest.approx(exact(network).tolist(), rel=1e-12, abs=1e-15)
    assert not math.isclose(estimate(network, np.array(sets[0]))[1], mean[1])
