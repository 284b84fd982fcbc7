"""Brokerage: who sits between others, and between which groups.

Burt's structural-hole measures (effective size, efficiency, constraint, hierarchy), weighted
betweenness, and Gould and Fernandez's five brokerage roles with their expected counts and
z-scores, for people or organisations and any partition of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphsvc.analyses.betweenness import betweenness
from graphsvc.analyses.kernels import ROLES, all_two_paths_by_role, two_path_sums
from graphsvc.analyses.network import Network


@dataclass
class StructuralHoles:
    effective_size: np.ndarray
    efficiency: np.ndarray
    constraint: np.ndarray
    hierarchy: np.ndarray
    closed: np.ndarray  # closed ordered two-paths per node, by role


def structural_holes(network: Network, groups: np.ndarray | None = None) -> StructuralHoles:
    """Burt's effective size, efficiency, constraint and hierarchy for every node, weighted.

    Definitions follow Burt (1992) as networkx computes them for an undirected weighted graph:
    ``p_ij = w_ij / sum_k w_ik``, ``m_jq = w_jq / max_k w_jk``,
    effective size ``sum_j (1 - sum_q p_iq m_jq)``, constraint ``sum_j (p_ij + sum_q p_iq p_qj)^2``;
    hierarchy is Burt's ``sum_j r_j ln r_j / (N ln N)`` with ``r_j = c_ij / (C / N)``, the
    concentration of constraint on one contact (0 for one contact). Nodes without ties get NaN.

    Parameters
    ----------
    network : Network
    groups : array of int, optional
        Group of each node, used only for the closed two-paths by brokerage role.

    Examples
    --------
    >>> import networkx as nx
    >>> holes = structural_holes(Network.from_networkx(nx.star_graph(3)))
    >>> float(holes.effective_size[0]), float(holes.constraint[0])
    (3.0, 0.3333333333333333)

    References
    ----------
    R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard University
    Press, 1992, doi:10.4159/9780674029095. S. P. Borgatti, "Structural holes: unpacking Burt's
    redundancy measures", Connections 20(1), 35-38, 1997.
    """
    adjacency = network.adjacency
    indptr = adjacency.indptr.astype(np.int64)
    indices = adjacency.indices.astype(np.int32)
    weights = adjacency.data.astype(np.float64)
    if groups is None:
        groups = np.zeros(network.n, dtype=np.int64)
    indirect, redundancy, closed, strength = two_path_sums(
        indptr, indices, weights, groups.astype(np.int32), int(groups.max(initial=0)) + 1)
    degree = np.diff(indptr)
    owner = np.repeat(np.arange(network.n), degree)
    groups = groups.astype(np.int32)
    with np.errstate(divide="ignore", invalid="ignore"):
        proportional = weights / strength[owner]
        contribution = (proportional + indirect) ** 2
        constraint = np.bincount(owner, contribution, network.n)
        effective = np.bincount(owner, 1.0 - redundancy, network.n)
        efficiency = effective / degree
        hierarchy = _hierarchy(contribution, owner, constraint, degree)
    isolated = degree == 0
    # float throughout: an empty network's bincounts come back as integers
    effective, efficiency, constraint, hierarchy = (
        np.asarray(m, dtype=np.float64) for m in (effective, efficiency, constraint, hierarchy))
    for measure in (constraint, effective, efficiency, hierarchy):
        measure[isolated] = np.nan
    return StructuralHoles(effective, efficiency, constraint, hierarchy, closed)


def _hierarchy(contribution, owner, constraint, degree) -> np.ndarray:
    share = contribution / (constraint[owner] / degree[owner])
    terms = np.where(share > 0, share * np.log(share), 0.0)
    total = np.bincount(owner, terms, len(degree))
    out = total / (degree * np.log(degree))
    out[degree == 1] = 0.0
    return out


def role_counts(network: Network, groups: np.ndarray, closed: np.ndarray | None = None) -> np.ndarray:
    """Gould-Fernandez role counts per node: open two-paths a - v - c (a and c not tied),
    counted over ordered pairs as R's ``sna::brokerage`` counts a symmetric graph."""
    if closed is None:
        closed = structural_holes(network, groups).closed
    adjacency = network.adjacency
    every = all_two_paths_by_role(adjacency.indptr.astype(np.int64),
                                  adjacency.indices.astype(np.int64),
                                  groups.astype(np.int64), int(groups.max(initial=0)) + 1)
    return every - closed


def role_expectations(network: Network, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected role counts and their standard deviations per node, under random assignment
    of the observed group sizes to the nodes of a random graph of the observed density.

    These are Gould and Fernandez's (1989) moments as R's ``sna::brokerage`` computes them,
    with density ``d = m / (N (N - 1))`` over ordered pairs.

    References
    ----------
    R. V. Gould and R. M. Fernandez, "Structures of Mediation: A Formal Approach to Brokerage in
    Transaction Networks", Sociological Methodology 19, 89-126, 1989, doi:10.2307/270949.
    """
    N = float(network.n)
    sizes = np.bincount(groups, minlength=int(groups.max(initial=0)) + 1).astype(np.float64)
    d = network.adjacency.nnz / (N * (N - 1)) if N > 1 else 0.0
    base = d * d * (1 - d)
    spread = d ** 3 * (1 - d) ** 3
    expected = np.zeros((len(sizes), 5))
    variance = np.zeros((len(sizes), 5))
    for g, n in enumerate(sizes):
        rest = np.delete(sizes, g)
        e_coord = base * (n - 1) * (n - 2)
        e_itin = base * np.sum(rest * (rest - 1))
        e_rep = base * (N - n) * (n - 1)
        e_liaison = base * (rest.sum() ** 2 - np.sum(rest ** 2))
        expected[g] = (e_coord, e_itin, e_rep, e_rep, e_liaison)
        keep = 1 - base
        v_rep = e_rep * keep + 2 * ((n - 1) * _choose2(N - n) + (N - n) * _choose2(n - 1)) * spread
        variance[g] = (
            e_coord * keep + 2 * (n - 1) * (n - 2) * (n - 3) * spread,
            e_itin * keep + 2 * np.sum(rest * (rest - 1) * (rest - 2)) * spread,
            v_rep, v_rep,
            e_liaison * keep + 4 * np.sum(rest * _choose2(N - rest - n)) * spread,
        )
    return expected[groups], np.sqrt(variance[groups])


def _choose2(x):
    return x * (x - 1) / 2


def brokers(network: Network, partition: str, *, k: int | None = None, seed: int = 0,
            exact_limit: int = 5_000, eligible: np.ndarray | None = None) -> dict:
    """Every node's brokerage: betweenness, Burt's measures and Gould-Fernandez roles.

    Parameters
    ----------
    network : Network
    partition : str
        The node attribute whose values are the groups (sector, borough, type, scope, ...).
    k : int, optional
        Pivots for sampled betweenness; by default exact up to ``exact_limit`` nodes and
        256 pivots beyond.
    seed : int
        Seed of the pivot sample (stated in the output).

    Returns
    -------
    dict
        ``nodes``: one dict per node with ``id``, ``name``, ``group``, ``betweenness``
        (normalised as networkx normalises it), ``effective_size``, ``efficiency``,
        ``constraint``, ``hierarchy`` and ``roles`` (per role ``observed``, ``expected``,
        ``z``); ``betweenness``: how it was computed.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.path_graph(3)
    >>> nx.set_node_attributes(g, {0: "a", 1: "b", 2: "a"}, "sector")
    >>> result = brokers(Network.from_networkx(g), "sector")
    >>> middle = next(row for row in result["nodes"] if row["id"] == "1")
    >>> middle["roles"]["itinerant"]["observed"], middle["betweenness"]
    (2, 1.0)

    References
    ----------
    Burt (1992), doi:10.4159/9780674029095; Gould and Fernandez (1989), doi:10.2307/270949;
    U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25(2),
    163-177, 2001, doi:10.1080/0022250X.2001.9990249.
    """
    groups, names = network.partition(partition)
    holes = structural_holes(network, groups)
    observed = role_counts(network, groups, holes.closed)
    expected, sd = role_expectations(network, groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (observed - expected) / sd
    between, how = betweenness(network, k=k, seed=seed, exact_limit=exact_limit)
    labels = network.attributes.get("name") or network.node_ids
    measures = {"betweenness": between, "effective_size": holes.effective_size,
                "efficiency": holes.efficiency, "constraint": holes.constraint,
                "hierarchy": holes.hierarchy}
    columns = {key: _numbers(values) for key, values in measures.items()}
    observed, expected, z = observed.tolist(), _numbers(expected), _numbers(z)
    group_names = [names[g] for g in groups.tolist()]
    nodes = []
    for i, node in enumerate(network.node_ids):
        if eligible is not None and not eligible[i]:
            continue
        nodes.append({
            "id": node, "name": labels[i] or "", "group": group_names[i],
            **{key: column[i] for key, column in columns.items()},
            "roles": {role: {"observed": observed[i][r], "expected": expected[i][r],
                             "z": z[i][r]} for r, role in enumerate(ROLES)},
        })
    nodes.sort(key=lambda row: (-(row["betweenness"] or 0), row["id"]))
    return {"partition": partition, "groups": names, "betweenness": how, "nodes": nodes}


def _numbers(values: np.ndarray) -> list:
    """As nested lists of floats, None where not a finite number."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(values), values, None).tolist()
