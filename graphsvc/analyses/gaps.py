"""Sector gaps: which groups are tied far less than their overall activity would predict.

The null model keeps each group's total number of tie ends and places ties at random among
them (the configuration model's expectation, as in Newman's modularity): between groups g and h
the expected number of ties is ``T_g T_h / 2M``, within g it is ``T_g^2 / 4M``, where ``T_g`` is
the sum of degrees in g and M the number of ties.

A pair of groups is judged only when at least ``min_expected`` ties are expected between them
(fewer: "too few to judge"). A judged pair is a gap when its ties are both few and clearly so:
at most ``max_ratio`` of those expected, and the exact Poisson probability of so few ties or
fewer is below ``alpha`` after Holm's correction for the number of pairs judged. At Greater
Manchester scale a shortfall of a few per cent is beyond chance without being a gap anyone
would act on; in a small network a pair with no ties may be chance: both conditions matter.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy import special

from graphsvc.analyses.network import Network

MIN_EXPECTED = 5.0
MAX_RATIO = 0.5
ALPHA = 0.05
PLURALS = {"community": "communities"}


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
    p_below = poisson_lower_tail(observed, expected)
    return {
        "rows": row_names, "columns": col_names,
        "observed": [[int(round(x)) for x in r] for r in observed],
        "expected": _rounded(expected), "ratio": _rounded(ratio), "z": _rounded(z),
        "p_below": _unrounded(p_below), "row_totals": _rounded(total_r),
        "column_totals": _rounded(total_c), "ties": int(two_m // 2),
        "within": within or {},
    }


def _unrounded(matrix) -> list:
    """Probabilities in full: rounded to places, a small one would read as 0."""
    return [[None if math.isnan(x) else float(x) for x in row] for row in np.asarray(matrix)]


def _rounded(matrix) -> list:
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim == 1:
        return [None if math.isnan(x) else round(float(x), 6) for x in matrix]
    return [[None if math.isnan(x) else round(float(x), 6) for x in row] for row in matrix]


def poisson_lower_tail(observed, expected) -> np.ndarray:
    """P(X <= observed) for X ~ Poisson(expected): the chance of so few ties or fewer.

    Computed as the regularised upper incomplete gamma function ``Q(observed + 1, expected)``
    (which equals the sum of the Poisson probabilities 0..observed), not by a normal
    approximation; NaN where nothing is expected.

    Examples
    --------
    >>> float(poisson_lower_tail(0, 2.0)) == math.exp(-2.0)
    True
    """
    observed = np.asarray(observed, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(expected > 0, special.pdtr(np.floor(observed), expected), np.nan)


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjusted p-values (the family-wise error stays under alpha when
    every adjusted value below alpha is taken as a finding).

    References
    ----------
    S. Holm, "A Simple Sequentially Rejective Multiple Test Procedure", Scandinavian Journal of
    Statistics 6(2), 65-70, 1979.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=np.float64)
    order = np.argsort(p, kind="stable")
    factors = len(p) - np.arange(len(p))
    stepped = np.minimum(1.0, np.maximum.accumulate(p[order] * factors))
    adjusted = np.empty_like(p)
    adjusted[order] = stepped
    return adjusted


def sector_gaps(network: Network, partition: str = "sector", *, within: dict | None = None,
                min_expected: float = MIN_EXPECTED, max_ratio: float = MAX_RATIO,
                alpha: float = ALPHA, limit: int = 20, bridges: int = 3,
                bridges_network: Network | None = None) -> dict:
    """The group x group matrix, the gaps among its pairs (widest first), and for each gap who
    could bridge it and who could convene.

    Parameters
    ----------
    network : Network
        The organisations network (conveners come from it).
    partition : str
        The node attribute whose values are the groups.
    within : dict, optional
        Count only ties among these nodes, e.g. ``{"borough": "Wigan"}``.
    min_expected : float
        Pairs expecting fewer ties are "too few to judge".
    max_ratio, alpha : float
        A gap has at most ``max_ratio`` of its expected ties and a Holm-adjusted lower-tail
        Poisson p-value under ``alpha``.
    bridges_network : Network, optional
        Where to look for people who could bridge each gap (default: ``network``).

    Returns
    -------
    dict
        ``matrix`` (see :func:`mixing`, with ``judged`` per cell), ``gaps`` (each with ``a``,
        ``b``, ``observed``, ``expected``, ``ratio``, ``p_below``, ``p_adjusted``, ``why`` in
        words, ``candidate_brokers`` with ``broker_group_sizes`` (each side's size in the
        network they come from) and ``convening_organisations``), ``too_few_to_judge``
        and ``method``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.complete_bipartite_graph(6, 6)  # a and b always together, c nowhere near b
    >>> g.add_edges_from((u, 12 + i) for u in range(6) for i in range(6))
    >>> nx.set_node_attributes(g, {n: "a" if n < 6 else "b" if n < 12 else "c" for n in g},
    ...                        "sector")
    >>> [(x["a"], x["b"], x["observed"]) for x in sector_gaps(Network.from_networkx(g))["gaps"]]
    [('b', 'c', 0)]

    References
    ----------
    Newman (2003), doi:10.1103/PhysRevE.67.026126 (the null model); Holm (1979).
    """
    matrix = mixing(network, partition, within=within)
    found, too_few = _judge(matrix, min_expected, max_ratio, alpha)
    found.sort(key=lambda gap: (gap["ratio"], gap["observed"] - gap["expected"],
                                gap["p_below"], gap["a"], gap["b"]))
    found = found[:limit]
    for gap in found:
        gap["why"] = shortfall_in_words(gap, partition, within)
        _add_bridges(gap, network, bridges_network, partition, within, bridges)
    return {"partition": partition, "matrix": matrix, "gaps": found,
            "too_few_to_judge": too_few, "min_expected": min_expected,
            "max_ratio": max_ratio, "alpha": alpha,
            "method": _method(min_expected, max_ratio, alpha)}


def _judge(matrix: dict, min_expected: float, max_ratio: float,
           alpha: float) -> tuple[list[dict], list[dict]]:
    """The gaps among the pairs of known groups, and the pairs too small to judge; marks
    each cell of the matrix judged or not."""
    names = matrix["rows"]
    judged = [[(e is not None and e >= min_expected) for e in row] for row in matrix["expected"]]
    matrix["judged"] = judged
    pairs, too_few = [], []
    for g in range(len(names)):
        for h in range(g + 1, len(names)):
            if not names[g] or not names[h]:
                continue
            cell = {"a": names[g], "b": names[h], "observed": matrix["observed"][g][h],
                    "expected": matrix["expected"][g][h]}
            if judged[g][h]:
                pairs.append({**cell, "ratio": matrix["ratio"][g][h], "z": matrix["z"][g][h],
                              "p_below": matrix["p_below"][g][h]})
            else:
                too_few.append(cell)
    adjusted = holm([p["p_below"] for p in pairs])
    gaps = []
    for pair, p in zip(pairs, adjusted):
        pair["p_adjusted"] = round(float(p), 6)
        if p < alpha and pair["observed"] <= max_ratio * pair["expected"]:
            gaps.append(pair)
    return gaps, too_few


def shortfall_in_words(gap: dict, partition: str, within: dict | None = None) -> str:
    """``"Faith group and Housing: 0 ties where about 13 would be expected if sectors mixed
    at random"``."""
    expected = gap["expected"]
    about = f"{expected:.1f}" if expected < 10 else f"{math.floor(expected + 0.5):,}"
    ties = "tie" if gap["observed"] == 1 else "ties"
    groups = PLURALS.get(partition, partition + "s")
    where = ""
    for key, value in (within or {}).items():
        where += f" in {value}" if key == "borough" else f" among {key} {value}"
    return (f"{gap['a']} and {gap['b']}{where}: {gap['observed']:,} {ties} where about {about} "
            f"would be expected if {groups} mixed at random")


def bridge_in_words(contact: dict, gap: dict) -> str:
    """``"Ann Lee (3 Faith group, 5 Housing; 15 pairs)"``: who could bridge a gap, their ties
    to each side and the pairs across it they could introduce (a count withheld from the
    reader is a dash)."""
    def count(key):
        return "–" if contact.get(key) is None else f"{contact[key]:,}"
    return (f"{contact.get('name') or '(not named)'} ({count('ties_to_a')} {gap['a']}, "
            f"{count('ties_to_b')} {gap['b']}; {count('pairs')} pairs)")


def _method(min_expected: float, max_ratio: float, alpha: float) -> str:
    return (f"A pair is judged when at least {min_expected:g} ties are expected between them "
            "(fewer: too few to judge), and is a gap when it has at most "
            f"{max_ratio:.0%} of the ties expected and the exact Poisson chance of so few is "
            f"below {alpha:g} after Holm's correction for the pairs judged. Who could bridge a "
            "gap: people tied to both sides, ranked by the pairs across it they could "
            "introduce who are not yet tied; who could convene: organisations, likewise.")


def _add_bridges(gap: dict, network: Network, people: Network | None, partition: str,
                 within: dict | None, limit: int) -> None:
    from graphsvc.analyses.bridges import bridging_contacts

    side_a = {partition: gap["a"], **(within or {})}
    side_b = {partition: gap["b"], **(within or {})}
    brokers = bridging_contacts(people or network, side_a, side_b, limit=limit, explain=0)
    conveners = bridging_contacts(network, side_a, side_b, limit=limit, explain=0)
    gap["candidate_brokers"] = [_brief(c) for c in brokers["contacts"]]
    gap["broker_group_sizes"] = brokers["group_sizes"]  # each side's people, in that network
    gap["convening_organisations"] = [_brief(c) for c in conveners["contacts"]]


def _brief(contact: dict) -> dict:
    return {k: contact[k] for k in ("id", "name", "organisation", "organisation_id", "sector",
                                    "borough", "pairs", "ties_to_a", "ties_to_b")
            if k in contact}
