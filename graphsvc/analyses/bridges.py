"""Bridging contacts: who has active ties into both of two groups, and could introduce them.

A contact tied to x people (or organisations) on side A and y on side B could introduce each of
them to each of the others: the pairs across the two sides, less those already tied (and a
node on both sides cannot be paired with itself), are what they would connect. Contacts are
ranked by that number, then by the strength of their ties to the weaker side, each tie faded
by its age (half of its weight a year after it was last seen). So each pair of groups gets
its own contacts: the people with a foot on each side of that pair, not the busiest people
overall. People who have not consented to be named are never suggested.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

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

    Returns
    -------
    dict
        ``contacts``: each with ``id``, ``name``, where they work and are based (those of
        ``organisation``, ``organisation_id``, ``sector`` and ``borough`` the network
        records), ``pairs`` (pairs of one contact on side A
        and one on side B, not yet tied, that they could introduce), ``ties_to_a``,
        ``ties_to_b`` (how many of each side they are tied to), ``strength_to_a``,
        ``strength_to_b`` (those ties' faded weights) and ``ties`` (the strongest explained);
        ``candidates``, ``group_sizes``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("x", "a1"), ("x", "b1"), ("y", "a1"), ("y", "a2"), ("y", "b1"),
    ...               ("a1", "b1")])
    >>> nx.set_node_attributes(g, {"a1": "A", "a2": "A", "b1": "B", "x": "C", "y": "C"},
    ...                        "sector")
    >>> [(c["id"], c["pairs"]) for c in bridging_contacts(Network.from_networkx(g),
    ...     {"sector": "A"}, {"sector": "B"})["contacts"]]
    [('y', 1), ('x', 0)]

    References
    ----------
    R. S. Burt, "Structural Holes and Good Ideas", American Journal of Sociology 110(2),
    349-399, 2004, doi:10.1086/421787 (brokers across groups); M. S. Granovetter, "The
    Strength of Weak Ties", AJS 78(6), 1973, doi:10.1086/225469.
    """
    in_a, in_b = network.select(a), network.select(b)
    faded, binary = _weights(network, half_life_days)
    count_a, count_b = binary @ in_a.astype(np.float64), binary @ in_b.astype(np.float64)
    # a contact in both groups is not a bridge between them
    candidates = (count_a > 0) & (count_b > 0) & eligible(network) & ~(in_a & in_b)
    order = np.flatnonzero(candidates)
    pairs = open_pairs(binary, order, in_a, in_b)
    to_a, to_b = faded[order] @ in_a.astype(np.float64), faded[order] @ in_b.astype(np.float64)
    weaker = np.minimum(to_a, to_b)
    ranked = sorted(range(len(order)), key=lambda k: (-pairs[k], -weaker[k],
                                                      network.node_ids[order[k]]))[:limit]
    names = network.attributes.get("name") or network.node_ids
    contacts = []
    for k in ranked:
        i = order[k]
        contacts.append({
            "id": network.node_ids[i], "name": names[i] or "", **network.details(i),
            "pairs": int(pairs[k]),
            "ties_to_a": int(count_a[i]), "ties_to_b": int(count_b[i]),
            "strength_to_a": round(float(to_a[k]), 6), "strength_to_b": round(float(to_b[k]), 6),
            "ties": {"a": _strongest(network, i, in_a, explain),
                     "b": _strongest(network, i, in_b, explain)},
        })
    return {"a": a, "b": b, "group_sizes": {"a": int(in_a.sum()), "b": int(in_b.sum())},
            "candidates": int(candidates.sum()), "contacts": contacts}


def open_pairs(binary: sp.csr_matrix, nodes: np.ndarray, in_a: np.ndarray,
               in_b: np.ndarray) -> np.ndarray:
    """For each of ``nodes``: the pairs (x on side A, y on side B, x != y) among its contacts
    that are not tied to each other.

    All such pairs, less those already tied: ``x y`` tied with both ends among the node's
    contacts is a triangle, counted as ``(C_A K) * C_B`` summed over y, where ``C`` are the
    nodes' ties to each side and ``K`` the ties from side A to side B.
    """
    rows = binary[nodes]
    side_a, side_b = rows[:, in_a], rows[:, in_b]
    every = np.asarray(side_a.sum(axis=1)).ravel() * np.asarray(side_b.sum(axis=1)).ravel()
    itself = np.asarray(rows[:, in_a & in_b].sum(axis=1)).ravel()
    across = binary[in_a][:, in_b]
    tied = np.zeros(len(nodes))
    if across.nnz:
        tied = np.asarray((side_a @ across).multiply(side_b).sum(axis=1)).ravel()
    return (every - itself - tied).astype(np.int64)


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
