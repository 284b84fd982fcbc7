"""Weighted betweenness with distance = 1 / tie strength, exact or estimated from pivots."""

from __future__ import annotations

import numpy as np

from graphsvc.analyses.network import Network

DEFAULT_PIVOTS = 256


def _networkit_graph(network: Network):
    import networkit as nk

    upper = network.adjacency.tocoo()
    keep = upper.row < upper.col
    graph = nk.Graph(network.n, weighted=True, directed=False)
    if keep.any():
        graph.addEdges((1.0 / upper.data[keep], (upper.row[keep].astype(np.uint64),
                                                 upper.col[keep].astype(np.uint64))))
    return graph


def betweenness(network: Network, *, k: int | None = None, seed: int = 0,
                exact_limit: int = 5_000) -> tuple[np.ndarray, dict]:
    """Betweenness of every node over shortest paths with distance 1 / weight.

    Exact (Brandes' algorithm) for networks up to ``exact_limit`` nodes, or when ``k`` is at
    least the number of nodes; otherwise estimated from ``k`` pivots (default 256) drawn with
    ``seed``, by Geisberger, Sanders and Schultes' linearly scaled estimator. Values are
    normalised as networkx normalises undirected betweenness, by ``2 / ((n - 1)(n - 2))``.

    Returns the values and a description of how they were computed, for the output.

    Examples
    --------
    >>> import networkx as nx
    >>> values, how = betweenness(Network.from_networkx(nx.path_graph(3)))
    >>> values.tolist(), how["method"]
    ([0.0, 1.0, 0.0], 'exact')

    References
    ----------
    U. Brandes (2001), doi:10.1080/0022250X.2001.9990249. R. Geisberger, P. Sanders and
    D. Schultes, "Better Approximation of Betweenness Centrality", ALENEX 2008,
    doi:10.1137/1.9781611972887.9.
    """
    cache = network.__dict__.setdefault("_betweenness_cache", {})
    key = (k, seed, exact_limit)
    if key not in cache:
        cache[key] = _betweenness(network, k, seed, exact_limit)
    return cache[key]


def _betweenness(network: Network, k: int | None, seed: int, exact_limit: int):
    import networkit as nk

    n = network.n
    if n < 3:
        return np.zeros(n), {"method": "exact", "k": None, "seed": None}
    graph = _networkit_graph(network)
    exact = (k is None and n <= exact_limit) or (k is not None and k >= n)
    if exact:
        # one thread: threads add their partial sums in whatever order they finish, which
        # moves the last digit from run to run; exact answers should repeat exactly
        threads = nk.getMaxNumberOfThreads()
        nk.setNumberOfThreads(1)
        try:
            algorithm = nk.centrality.Betweenness(graph, normalized=True)
            algorithm.run()
        finally:
            nk.setNumberOfThreads(threads)
        return np.asarray(algorithm.scores()), {"method": "exact", "k": None, "seed": None}
    pivots = k or DEFAULT_PIVOTS
    nk.engineering.setSeed(int(seed), False)
    algorithm = nk.centrality.EstimateBetweenness(graph, pivots, normalized=True, parallel=True)
    algorithm.run()
    return np.asarray(algorithm.scores()), {
        "method": "estimated from pivots (Geisberger, Sanders and Schultes 2008)",
        "k": pivots, "seed": int(seed)}
