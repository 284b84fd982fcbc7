"""Introduction routes: chains of strong, recent ties from one person to another or to a group,
each through different people.

Distance along a tie is ``1 / weight``, so a route through strong ties is short. The first route
is the shortest; each next one is the shortest that passes through none of the intermediaries
of the routes before it, so the routes are node-disjoint apart from their ends: different
people to ask, not the same last introducer reached by a longer detour. Two people already
tied need no introduction, and are told so. A group target is reached through a virtual node
tied at zero distance to every member (the member reached is the route's end). Intermediaries
must have consented to be named; the people at either end need not.
"""

from __future__ import annotations

import warnings

import numpy as np

from graphsvc.analyses.bridges import eligible
from graphsvc.analyses.network import Network
from graphsvc.errors import InputError, NotFound

DETAILS = ("organisation", "organisation_id", "sector", "borough")


def introduction_paths(network: Network, source: str, target: dict[str, str] | str, *,
                       k: int = 3) -> dict:
    """Up to k routes from ``source`` to a node id or a group selector, each through people
    none of the earlier routes went through.

    Returns
    -------
    dict
        ``already_know_each_other`` (the source is tied to the target, or to a member of the
        target group) with ``direct`` (those ties, the strongest first, at most k), else
        ``paths``: each with ``nodes``, ``names``, ``persons`` (each person on the route with
        their ``organisation`` and its ``organisation_id``, ``sector`` and ``borough`` and
        their ``step`` along it),
        ``length`` and ``hops`` (the tie behind each: weight, first and last seen, sessions).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_weighted_edges_from([("ann", "bob", 3), ("bob", "cat", 3), ("ann", "dan", 1),
    ...                            ("dan", "cat", 1), ("ann", "eve", 2), ("eve", "bob", 2)])
    >>> result = introduction_paths(Network.from_networkx(g), "ann", "cat", k=3)
    >>> [p["nodes"] for p in result["paths"]]  # not ann-eve-bob-cat: bob is taken
    [['ann', 'bob', 'cat'], ['ann', 'dan', 'cat']]
    >>> introduction_paths(Network.from_networkx(g), "ann", "bob")["already_know_each_other"]
    True

    References
    ----------
    E. W. Dijkstra, "A note on two problems in connexion with graphs", Numerische Mathematik
    1, 269-271, 1959, doi:10.1007/BF01386390 (each route); successive shortest routes with
    the earlier routes' intermediaries removed give node-disjoint routes (Suurballe's
    algorithm, doi:10.1002/net.3230040204, would make the pair's total shortest instead).
    """
    for end, given in (("from", source), ("to", target)):
        if not given:
            raise InputError("give the person to start from (from: an id) and whom to reach "
                             "(to: a person's id, or a group such as sector=Housing)",
                             column=end)
    index = network.index()
    if source not in index:
        raise NotFound(f"no node {source!r} in the {network.description.get('network', '')} network")
    start = index[source]
    members = _members(network, index, start, target)
    result = {"source": source, "target": target, "k": k}
    direct = _direct(network, start, members, k)
    if direct:
        return {**result, "already_know_each_other": True, "direct": direct, "paths": []}
    routes = _disjoint_routes(network, start, members, k)
    return {**result, "already_know_each_other": False, "direct": [],
            "paths": [_explain(network, route) for route in routes]}


def _members(network: Network, index: dict, start: int, target) -> np.ndarray:
    """The target as a mask: one node, or the members of a group (never the source)."""
    if isinstance(target, str):
        if target not in index:
            raise NotFound(f"no node {target!r} in the network")
        if index[target] == start:
            raise InputError("the two ends are the same: choose someone else to reach",
                             column="to", value=target)
        members = np.zeros(network.n, dtype=bool)
        members[index[target]] = True
    else:
        members = network.select(target)
    members[start] = False
    if not members.any():
        raise InputError("no one else in the network belongs to this group in this window: "
                         "choose a longer window, all time, or another group", column="to",
                         value=",".join(f"{key}={value}" for key, value in target.items()))
    return members


def _direct(network: Network, start: int, members: np.ndarray, k: int) -> list[dict]:
    """The source's own ties to the target (or its members), the strongest first."""
    adjacency = network.adjacency
    lo, hi = adjacency.indptr[start], adjacency.indptr[start + 1]
    arcs = [a for a in range(lo, hi) if members[adjacency.indices[a]]]
    arcs.sort(key=lambda a: (-adjacency.data[a], adjacency.indices[a]))
    return [_hop(network, start, int(adjacency.indices[a])) for a in arcs[:k]]


def _disjoint_routes(network: Network, start: int, members: np.ndarray, k: int) -> list:
    """Shortest routes, each avoiding the intermediaries of those found before it."""
    graph, sink = _question_graph(network, start, members)
    routes = []
    with warnings.catch_warnings():  # igraph warns when the target cannot be reached
        warnings.simplefilter("ignore", RuntimeWarning)
        while len(routes) < k:
            path = graph.get_shortest_paths(start, to=sink, weights="distance", mode="all",
                                            output="vpath")[0]
            if len(path) < 3:  # unreachable (a route has an intermediary and the sink)
                break
            route = path[:-1]
            routes.append(route)
            taken = route[1:-1]
            graph.delete_edges([e for v in taken for e in graph.incident(v, mode="all")])
    return routes


def _question_graph(network: Network, start: int, members: np.ndarray):
    """The ties usable for this question (between people who may be suggested, and those of
    the ends), with a sink tied to every target member at zero distance."""
    allowed = eligible(network) | members
    allowed[start] = True
    base, suggestible = _base_graph(network)
    graph = base.copy()
    sink = network.n
    edges, distance = _extra_edges(network, allowed & ~suggestible, allowed)
    for m in np.flatnonzero(members):
        edges.append((int(m), sink))
        distance.append(0.0)
    graph.add_edges(edges, attributes={"distance": distance})
    return graph, sink


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


def _hop(network: Network, u: int, v: int) -> dict:
    names = network.attributes.get("name") or network.node_ids
    tie = network.tie(network.arc(u, v))
    tie["from_name"], tie["to_name"] = names[u] or "", names[v] or ""
    return tie


def _explain(network: Network, path: list[int]) -> dict:
    names = network.attributes.get("name") or network.node_ids
    hops = [_hop(network, u, v) for u, v in zip(path, path[1:])]
    persons = []
    for step, v in enumerate(path):
        person = {"id": network.node_ids[v], "name": names[v] or "", "step": step}
        person.update({key: network.attributes.get(key, [""] * network.n)[v] or ""
                       for key in DETAILS})
        persons.append(person)
    return {"nodes": [network.node_ids[v] for v in path],
            "names": [names[v] or "" for v in path], "persons": persons,
            "length": round(sum(1.0 / h["weight"] for h in hops), 6), "hops": hops}
