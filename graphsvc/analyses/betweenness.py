"""Weighted betweenness with distance = 1 / tie strength, exact or estimated from pivots.

Path lengths are sums of floating-point distances, so two equally short paths can add up to
slightly different numbers (1/4 + 1/2 is 0.75, 1/4 + 1/3 + 1/6 is 0.7499999999999999).
Comparing them exactly, as networkx and networkit do, drops one of the two paths and moves
the betweenness of every node on them. Here two lengths are equal when they differ by less
than a relative tolerance, igraph's rule, which agrees with exact arithmetic.
"""

from __future__ import annotations

import numpy as np

from graphsvc.analyses.kernels_paths import dependency_sums
from graphsvc.analyses.network import Network

DEFAULT_PIVOTS = 256
TOLERANCE = 1e-10  # igraph's IGRAPH_SHORTEST_PATH_EPSILON
TIES = ("path lengths a and b count as equal when |a - b| <= 1e-10 (a + b), "
        "as igraph compares them")
ESTIMATOR = ("estimated from pivots, linearly scaled "
             "(Geisberger, Sanders and Schultes 2008)")
_CHUNK_BUDGET = 1 << 24  # chunks x nodes: at most 128 MiB of partial sums


def betweenness(network: Network, *, k: int | None = None, seed: int = 0,
                exact_limit: int = 5_000) -> tuple[np.ndarray, dict]:
    """Betweenness of every node over shortest paths with distance 1 / weight.

    Exact (Brandes' algorithm) for networks up to ``exact_limit`` nodes, or when ``k`` is at
    least the number of nodes; otherwise estimated from ``k`` pivots (default 256) drawn
    without replacement by ``numpy.random.default_rng(seed)``. The estimate is Geisberger,
    Sanders and Schultes' linearly scaled one: a pivot ``s`` credits node ``v`` with the share
    ``d(s, v) / d(s, t)`` of each pair ``(s, t)`` whose shortest paths pass through ``v``, and
    the sum is scaled by ``n / k``; it is unbiased, and with every node a pivot it is exact.
    Values are normalised as networkx normalises undirected betweenness, by
    ``2 / ((n - 1)(n - 2))``.

    Ties: two path lengths ``a`` and ``b`` are equal when ``|a - b| <= 1e-10 (a + b)``, as
    igraph's ``igraph_cmp_epsilon`` compares them with its ``IGRAPH_SHORTEST_PATH_EPSILON`` of
    1e-10 (igraph asks for ``<``, and tests distances plus one, a slightly looser rule near
    zero). So paths whose lengths are equal in exact arithmetic all count,
    however their floating-point sums round; the exact and the sampled values use the same
    rule. Ties more than about 1e9 times stronger than others would defeat it.

    The work runs in parallel over sources with per-chunk sums added in a fixed order, so the
    same network, ``k`` and ``seed`` give the same values to the last digit.

    Returns the values and a description of how they were computed, for the output.

    Examples
    --------
    >>> import networkx as nx
    >>> values, how = betweenness(Network.from_networkx(nx.path_graph(3)))
    >>> values.tolist(), how["method"]
    ([0.0, 1.0, 0.0], 'exact')

    From a to d there are two equally short routes, a-x-d (1/4 + 1/2) and a-x-c-d
    (1/4 + 1/3 + 1/6, which adds up to 0.7499999999999999 in floating point), and from x to
    d two, x-d and x-c-d; c carries half of each of these two pairs, one of the three pairs
    it is not in, so 1/3:

    >>> graph = nx.Graph()
    >>> graph.add_weighted_edges_from([("a", "x", 4), ("x", "d", 2), ("x", "c", 3),
    ...                                ("c", "d", 6)])
    >>> values, _ = betweenness(Network.from_networkx(graph))
    >>> values.round(12).tolist()  # a, x, d, c
    [0.0, 0.666666666667, 0.0, 0.333333333333]

    References
    ----------
    U. Brandes (2001), "A faster algorithm for betweenness centrality", J. Math. Sociol.
    25(2), 163-177, doi:10.1080/0022250X.2001.9990249. R. Geisberger, P. Sanders and
    D. Schultes (2008), "Better approximation of betweenness centrality", ALENEX,
    doi:10.1137/1.9781611972887.9. igraph's ``igraph_cmp_epsilon`` (src/math/utils.c).
    """
    cache = network.__dict__.setdefault("_betweenness_cache", {})
    key = (k, seed, exact_limit)
    if key not in cache:
        cache[key] = _betweenness(network, k, seed, exact_limit)
    return cache[key]


def _betweenness(network: Network, k: int | None, seed: int, exact_limit: int):
    n = network.n
    exact_how = {"method": "exact", "k": None, "seed": None, "ties": TIES}
    if n < 3:
        return np.zeros(n), exact_how
    pivots = k if k is not None else (None if n <= exact_limit else DEFAULT_PIVOTS)
    if pivots is None or pivots >= n:
        return exact(network), exact_how
    pivots = max(int(pivots), 1)
    chosen = np.random.default_rng(int(seed)).choice(n, size=pivots, replace=False)
    return estimate(network, chosen), {"method": ESTIMATOR, "k": pivots, "seed": int(seed),
                                       "ties": TIES}


def exact(network: Network) -> np.ndarray:
    """Brandes' betweenness from every source, normalised by ``2 / ((n - 1)(n - 2))``."""
    n = network.n
    if n < 3:
        return np.zeros(n)
    # each unordered pair is counted from both ends: halve, then normalise
    return _sums(network, np.arange(n), linear=False) / ((n - 1) * (n - 2))


def estimate(network: Network, pivots: np.ndarray) -> np.ndarray:
    """The linearly scaled estimate from the given pivots (distinct nodes), normalised."""
    n = network.n
    if n < 3:
        return np.zeros(n)
    # a pair's two linear shares add to one, so the scaled sum counts each pair once
    scale = n / len(pivots) * 2 / ((n - 1) * (n - 2))
    return _sums(network, np.asarray(pivots), linear=True) * scale


def _sums(network: Network, sources: np.ndarray, *, linear: bool) -> np.ndarray:
    adjacency = network.adjacency
    if adjacency.nnz and adjacency.data.min() <= 0:
        raise ValueError("betweenness needs positive tie weights")
    chunks = int(max(1, min(len(sources), 64, _CHUNK_BUDGET // max(network.n, 1))))
    return dependency_sums(adjacency.indptr.astype(np.int64),
                           adjacency.indices.astype(np.int32),
                           1.0 / adjacency.data.astype(np.float64),
                           sources.astype(np.int64), TOLERANCE, linear, chunks)
