"""Sector gaps: which groups are tied far less than their overall activity would predict.

The null model keeps each group's total number of tie ends and places ties at random among
them (the configuration model's expectation, as in Newman's modularity): between groups g and h
the expected number of ties is ``T_g T_h / 2M``, within g it is ``T_g^2 / 4M``, where ``T_g`` is
the sum of degrees in g and M the number of ties. A gap is a pair of groups, both present and
active, whose observed ties fall far below that.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy import stats

from graphsvc.analyses.network import Network


def mixing(network: Network, rows: str, columns: str | None = None, *,
           within: dict[str, str] | None = None) -> dict:
    """Observed and expected ties between the groups of two partitions.

    Parameters
    ----------
    network : Network
    rows, columns : str
        Node attributes (``columns`` defaults to ``rows``: a sector x sector matrix).
    within : dict, optional
        A selector such as ``{"borough": "Wigan"}``: count only ties among those nodes.

    Returns
    -------
    dict
        ``rows``, ``columns`` (group names), ``observed``, ``expected``, ``ratio`` and ``z``
        (Poisson, ``(O - E) / sqrt(E)``) as lists of lists, and ``p_below`` (the Poisson
        probability of so few ties or fewer).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([(0, 1), (2, 3), (0, 2)])
    >>> nx.set_node_attributes(g, {0: "a", 1: "a", 2: "b", 3: "b"}, "sector")
    >>> m = mixing(Network.from_networkx(g), "sector")
    >>> m["observed"], m["expected"]
    ([[1, 1], [1, 1]], [[0.75, 1.5], [1.5, 0.75]])

    References
    ----------
    M. E. J. Newman, "Mixing patterns in networks", Phys. Rev. E 67, 026126 (2003),
    doi:10.1103/PhysRevE.67.026126; M. E. J. Newman and M. Girvan, Phys. Rev. E 69, 026113
    (2004), doi:10.1103/PhysRevE.69.026113 (the null model).
    """
    columns = columns or rows
    adjacency = network.adjacency
    if within:
        keep = network.select(within).astype(np.float64)
        mask = sp.diags(keep)
        adjacency = (mask @ adjacency @ mask).tocsr()
        adjacency.eliminate_zeros()
    binary = adjacency.copy()
    binary.data[:] = 1.0
    row_groups, row_names = network.partition(rows)
    col_groups, col_names = network.partition(columns)
    R = sp.csr_matrix((np.ones(network.n), (np.arange(network.n), row_groups)),
                      shape=(network.n, len(row_names)))
    C = sp.csr_matrix((np.ones(network.n), (np.arange(network.n), col_groups)),
                      shape=(network.n, len(col_names)))
    ends = (R.T @ binary @ C).toarray()  # ordered tie ends u in r, v in c
    degree = np.asarray(binary.sum(axis=1)).ravel()
    total_r, total_c = R.T @ degree, C.T @ degree
    two_m = degree.sum()
    expected_ends = np.outer(total_r, total_c) / two_m if two_m else np.zeros_like(ends)
    same = rows == columns
    halve = np.eye(len(row_names)) if same else np.zeros_like(ends)
    observed = ends / (1 + halve)  # within a group each tie has two ordered ends
    expected = expected_ends / (1 + halve)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
        z = np.where(expected > 0, (observed - expected) / np.sqrt(expected), np.nan)
    p_below = stats.poisson.cdf(observed, expected)
    return {
        "rows": row_names, "columns": col_names,
        "observed": [[int(round(x)) for x in r] for r in observed],
        "expected": _rounded(expected), "ratio": _rounded(ratio), "z": _rounded(z),
        "p_below": _rounded(p_below), "row_totals": _rounded(total_r),
        "column_totals": _rounded(total_c), "ties": int(two_m // 2),
        "within": within or {},
    }


def _rounded(matrix) -> list:
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim == 1:
        return [None if math.isnan(x) else round(float(x), 6) for x in matrix]
    return [[None if math.isnan(x) else round(float(x), 6) for x in row] for row in matrix]


def sector_gaps(network: Network, partition: str = "sector", *, within: dict | None = None,
                min_expected: float = 2.0, limit: int = 20,
                bridges_network: Network | None = None) -> dict:
    """The sector x sector matrix and a ranked list of gaps, each with candidate brokers
    (people, or organisations if no person network is given) and convening organisations.

    A gap is an off-diagonal pair of groups, both with ties, whose expected ties are at least
    ``min_expected`` and whose observed ties are below expectation; gaps are ranked by the
    Poisson probability of so few ties (smallest first).

    References
    ----------
    Newman (2003), doi:10.1103/PhysRevE.67.026126; candidates as in
    :func:`graphsvc.analyses.bridges.bridging_contacts`.
    """
    from graphsvc.analyses.bridges import bridging_contacts

    matrix = mixing(network, partition, within=within)
    names = matrix["rows"]
    found = []
    for g in range(len(names)):
        for h in range(g + 1, len(names)):
            if not names[g] or not names[h]:
                continue
            expected, observed = matrix["expected"][g][h], matrix["observed"][g][h]
            if expected is None or expected < min_expected or observed >= expected:
                continue
            found.append({"a": names[g], "b": names[h], "observed": observed,
                          "expected": expected, "ratio": matrix["ratio"][g][h],
                          "z": matrix["z"][g][h], "p_below": matrix["p_below"][g][h]})
    found.sort(key=lambda gap: (gap["p_below"], gap["ratio"], gap["a"], gap["b"]))
    found = found[:limit]
    for gap in found:
        side_a, side_b = {partition: gap["a"], **(within or {})}, {partition: gap["b"], **(within or {})}
        people = bridging_contacts(bridges_network or network, side_a, side_b, limit=3)
        conveners = bridging_contacts(network, side_a, side_b, limit=3)
        gap["candidate_brokers"] = [_brief(c) for c in people["contacts"]]
        gap["convening_organisations"] = [_brief(c) for c in conveners["contacts"]]
    return {"partition": partition, "matrix": matrix, "gaps": found}


def _brief(contact: dict) -> dict:
    return {k: contact[k] for k in ("id", "name", "score", "ties_to_a", "ties_to_b")}
