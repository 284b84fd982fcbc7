"""Introduction paths: the best chains of strong, recent ties from one person to another or
to a group.

Distance along a tie is ``1 / weight``, so a path through strong ties is short. A group target
is reached through a virtual node tied at zero distance to every member. Intermediaries must
have consented to be named; the people at either end need not.
"""

from __future__ import annotations

import warnings

import numpy as np

from graphsvc.analyses.bridges import eligible
from graphsvc.analyses.network import Network
from graphsvc.errors import InputError, NotFound


def introduction_paths(network: Network, source: str, target: dict[str, str] | str, *,
                       k: int = 3) -> dict:
    """The k shortest simple paths from ``source`` to a node id or a group selector.

    Each path lists its hops, and each hop the tie behind it (weight, first and last seen,
    the sessions that made it).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_weighted_edges_from([("ann", "bob", 3), ("bob", "cat", 3), ("ann", "dan", 1),
    ...                            ("dan", "cat", 1)])
    >>> result = introduction_paths(Network.from_networkx(g), "ann", "cat", k=2)
    >>> [p["nodes"] for p in result["paths"]]
    [['ann', 'bob', 'cat'], ['ann', 'dan', 'cat']]

    References
    ----------
    J. Y. Yen, "Finding the K Shortest Loopless Paths in a Network", Management Science
    17(11), 712-716, 1971, doi:10.1287/mnsc.17.11.712.
    """
    import igraph as ig

    index = network.index()
    if source not in index:
        raise NotFound(f"no node {source!r} in the {network.description.get('network', '')} network")
    start = index[source]
    if isinstance(target, str):
        if target not in index:
            raise NotFound(f"no node {target!r} in the network")
        members = np.zeros(network.n, dtype=bool)
        members[index[target]] = True
    else:
        members = network.select(target)
        members[start] = False
    if not members.any():
        raise InputError("the target group has no members in the active network",
                         column="target", value=str(target))
    allowed = eligible(network) | members
    allowed[start] = True
    graph, suggestible = _base_graph(network)
    graph = graph.copy()
    sink = network.n
    edges, distance = _extra_edges(network, allowed & ~suggestible, allowed)
    for m in np.flatnonzero(members):
        edges.append((int(m), sink))
        distance.append(0.0)
    graph.add_edges(edges, attributes={"distance": distance})
    with warnings.catch_warnings():  # igraph warns when the target cannot be reached
        warnings.simplefilter("ignore", RuntimeWarning)
        found = graph.get_k_shortest_paths(start, to=sink, k=k, weights="distance", mode="all",
                                           output="vpath")
    paths = [_explain(network, [v for v in path if v != sink]) for path in found if len(path) > 1]
    return {"source": source, "target": target, "k": k, "paths": paths}


def _base_graph(network: Network):
    """The ties between nodes that may be suggested, as an igraph graph with a spare vertex
    for the target group; built once per network, copied per question."""
    import igraph as ig

    cache = network.__dict__.setdefault("_paths_cache", {})
    if "base" not in cache:
        ok = eligible(network)
        upper = network.adjacency.tocoo()
        keep = (upper.row < upper.col) & ok[upper.row] & ok[upper.col]
        graph = ig.Graph(n=network.n + 1, directed=False,
                         edges=np.column_stack([upper.row[keep], upper.col[keep]]).tolist())
        graph.es["distance"] = (1.0 / upper.data[keep]).tolist()
        cache["base"] = (graph, ok)
    return cache["base"]


def _extra_edges(network: Network, extra: np.ndarray, allowed: np.ndarray):
    """Ties of the nodes allowed for this question only (the asker, target members who may
    not be suggested) to other allowed nodes, each once."""
    edges, distance = [], []
    adjacency = network.adjacency
    for u in np.flatnonzero(extra):
        lo, hi = adjacency.indptr[u], adjacency.indptr[u + 1]
        for v, w in zip(adjacency.indices[lo:hi], adjacency.data[lo:hi]):
            if allowed[v] and not (extra[v] and v < u):
                edges.append((int(u), int(v)))
                distance.append(1.0 / float(w))
    return edges, distance


def _explain(network: Network, path: list[int]) -> dict:
    names = network.attributes.get("name") or network.node_ids
    hops = []
    for u, v in zip(path, path[1:]):
        tie = network.tie(network.arc(u, v))
        tie["from_name"], tie["to_name"] = names[u] or "", names[v] or ""
        hops.append(tie)
    return {"nodes": [network.node_ids[v] for v in path],
            "names": [names[v] or "" for v in path],
            "length": round(sum(1.0 / h["weight"] for h in hops), 6), "hops": hops}
