"""Bridging contacts: who has active ties into both of two groups, and could introduce them.

A candidate's strength on a side is the sum of its ties into that side, each faded by its age
(half of its weight a year after it was last seen). Candidates are ranked by the geometric
mean of their two sides (strong on both, not one) times ``1 + exclusivity``, where exclusivity
is the share of their contacts on side B that no other candidate reaches: the fewer the
alternatives, the more a contact matters. People who have not consented to be named are never
suggested.
"""

from __future__ import annotations

import numpy as np

from graphsvc.analyses.network import Network

RECENCY_HALF_LIFE_DAYS = 365.0


def eligible(network: Network) -> np.ndarray:
    """Nodes that may be suggested: organisations, and people whose consent is ``named``."""
    consent = network.attributes.get("consent")
    if consent is None:
        return np.ones(network.n, dtype=bool)
    return np.array([c in (None, "", "named") for c in consent], dtype=bool)


def bridging_contacts(network: Network, a: dict[str, str], b: dict[str, str], *,
                      limit: int = 10, explain: int = 3,
                      half_life_days: float = RECENCY_HALF_LIFE_DAYS) -> dict:
    """Ranked contacts with active ties into both group A and group B.

    Parameters
    ----------
    network : Network
    a, b : dict
        Selectors, ``{"sector": "Housing", "borough": "Wigan"}`` or ``{"id": "org:..."}``.
    limit : int
        How many contacts to return.
    explain : int
        How many of each contact's strongest ties per side to explain.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("x", "a1"), ("x", "b1"), ("y", "a1")])
    >>> nx.set_node_attributes(g, {"a1": "A", "b1": "B", "x": "C", "y": "C"}, "sector")
    >>> [c["id"] for c in bridging_contacts(Network.from_networkx(g),
    ...     {"sector": "A"}, {"sector": "B"})["contacts"]]
    ['x']

    References
    ----------
    R. S. Burt, "Structural Holes and Good Ideas", American Journal of Sociology 110(2),
    349-399, 2004, doi:10.1086/421787 (brokers across groups); M. S. Granovetter, "The
    Strength of Weak Ties", AJS 78(6), 1973, doi:10.1086/225469.
    """
    in_a, in_b = network.select(a), network.select(b)
    faded, binary = _weights(network, half_life_days)
    to_a, to_b = faded @ in_a.astype(np.float64), faded @ in_b.astype(np.float64)
    count_a, count_b = binary @ in_a.astype(np.float64), binary @ in_b.astype(np.float64)
    # a contact in both groups is not a bridge between them
    candidates = (to_a > 0) & (to_b > 0) & eligible(network) & ~(in_a & in_b)
    order = np.flatnonzero(candidates)
    reach = binary[order].T @ np.ones(len(order))  # how many candidates reach each node
    towards_b = binary[order][:, np.flatnonzero(in_b)]
    exclusive = towards_b @ (reach[in_b] <= 1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        exclusivity = np.where(count_b[order] > 0, exclusive / count_b[order], 0.0)
    scores = np.sqrt(to_a[order] * to_b[order]) * (1 + exclusivity)
    ids = np.array(network.node_ids, dtype=object)[order]
    ranked = sorted(zip(-scores, ids, order))[:limit]
    names = network.attributes.get("name") or network.node_ids
    contacts = []
    for negative, node, i in ranked:
        contacts.append({
            "id": node, "name": names[i] or "", "score": round(float(-negative), 6),
            "strength_to_a": round(float(to_a[i]), 6), "strength_to_b": round(float(to_b[i]), 6),
            "ties_to_a": int(count_a[i]), "ties_to_b": int(count_b[i]),
            "ties": {"a": _strongest(network, i, in_a, explain),
                     "b": _strongest(network, i, in_b, explain)},
        })
    return {"a": a, "b": b, "group_sizes": {"a": int(in_a.sum()), "b": int(in_b.sum())},
            "candidates": int(candidates.sum()), "contacts": contacts}


def _weights(network: Network, half_life_days: float):
    """The network's ties faded by age, and as plain 0/1, computed once per network."""
    cache = network.__dict__.setdefault("_bridges_cache", {})
    if half_life_days not in cache:
        fade = np.power(0.5, network.last_seen_days() / half_life_days)
        faded = network.adjacency.copy()
        faded.data = network.adjacency.data * fade
        binary = network.adjacency.copy()
        binary.data[:] = 1.0
        cache[half_life_days] = (faded.tocsr(), binary.tocsr())
    return cache[half_life_days]


def _strongest(network: Network, i: int, side: np.ndarray, count: int) -> list[dict]:
    lo, hi = network.adjacency.indptr[i], network.adjacency.indptr[i + 1]
    arcs = [a for a in range(lo, hi) if side[network.adjacency.indices[a]]]
    arcs.sort(key=lambda a: -network.adjacency.data[a])
    names = network.attributes.get("name") or network.node_ids
    out = []
    for arc in arcs[:count]:
        tie = network.tie(arc)
        tie["to_name"] = names[network.adjacency.indices[arc]] or ""
        out.append(tie)
    return out
