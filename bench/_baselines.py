"""Baselines for bench_analyses.py: the same numbers computed the fastest way a skilled user
would with the libraries at hand (pandas/numpy, igraph, networkit, leidenalg), from the same
networks and facts graphsvc has in hand. Each returns values comparable with graphsvc's, so
the bench can check they agree before it compares times."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphsvc.analyses.network import months_before


# -- borough strength ----------------------------------------------------------------------
def _touching(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per borough, the sums of ``columns`` over the ties with either end in it (once each)."""
    ends = pd.concat([frame.rename(columns={"bu": "borough"}),
                      frame[frame.bu != frame.bv].rename(columns={"bv": "borough"})])
    return ends.groupby("borough")[columns].sum()


def _org_ties(orgs) -> pd.DataFrame:
    upper = sp.triu(orgs.adjacency, k=1).tocoo()
    borough = pd.Categorical(["" if b is None else b for b in orgs.attribute("borough")])
    sector = pd.Series([s or "" for s in orgs.attribute("sector")])
    kind = pd.Series([k or "" for k in orgs.attribute("type")])
    su, sv = sector.values[upper.row], sector.values[upper.col]
    ku, kv = kind.values[upper.row], kind.values[upper.col]
    frame = pd.DataFrame({"bu": borough[upper.row], "bv": borough[upper.col],
                          "one": 1, "cross": (su != "") & (sv != "") & (su != sv),
                          "stat_vcse": ((ku == "statutory") & (kv == "vcse"))
                          | ((ku == "vcse") & (kv == "statutory"))})
    frame["inside"] = frame.bu == frame.bv
    return _touching(frame, ["one", "inside", "cross", "stat_vcse"])


def _lived_ties(people) -> pd.Series:
    """Per borough: share of its active people's ties with lived experience at an end."""
    upper = sp.triu(people.adjacency, k=1).tocoo()
    borough = np.array([b or "" for b in people.attribute("borough")], dtype=object)
    lived = np.array([(x or "").lower() not in ("none", "") for x in
                      people.attribute("lived_experience")])
    frame = pd.DataFrame({"bu": borough[upper.row], "bv": borough[upper.col], "one": 1,
                          "lived": lived[upper.row] | lived[upper.col]})
    sums = _touching(frame, ["one", "lived"])
    return sums.lived / sums.one


def _attendance(facts, as_of: date, window_months: int) -> pd.DataFrame:
    rows = facts.row_arrays()
    frame = pd.DataFrame({"person": rows["person"], "org": rows["organisation"],
                          "pb": rows["person_borough"], "ob": rows["organisation_borough"],
                          "senior": rows["senior"], "led": rows["facilitating"],
                          "session": facts.attendance_session,
                          "day": facts.session_dates[facts.attendance_session]})
    start = np.datetime64(months_before(as_of, window_months))
    return frame[(frame.day >= start) & (frame.day <= np.datetime64(as_of))]


def _participation(frame: pd.DataFrame) -> pd.DataFrame:
    known = frame[frame.org != ""]
    by_org = known.groupby("ob")
    pairs = pd.concat([frame[["pb", "session", "led"]].rename(columns={"pb": "b"}),
                       frame[["ob", "session", "led"]].rename(columns={"ob": "b"})])
    led = pairs[pairs.led].drop_duplicates(["b", "session"]).groupby("b").size()
    return pd.DataFrame({
        "organisations": by_org.org.nunique(),
        "senior": known[known.senior].groupby("ob").org.nunique(),
        "people": frame.groupby("pb").person.nunique(),
        "rows": frame.groupby("pb").size(),
        "attended": pairs.drop_duplicates(["b", "session"]).groupby("b").size(),
        "led": led})


def strength_baseline(orgs, people, facts, *, as_of: date, window_months: int,
                      boroughs: list[str]) -> dict[str, float]:
    """Each borough's strength index, from vectorised pandas/numpy group-bys."""
    ties = _org_ties(orgs)
    part = _participation(_attendance(facts, as_of, window_months))
    measures = pd.DataFrame(index=pd.Index(boroughs))
    measures["tpo"] = ties.one / part.organisations
    measures["app"] = part.rows / part.people
    measures["cross"] = ties.cross / ties.one
    measures["sv"] = ties.stat_vcse / ties.one
    measures["lived"] = _lived_ties(people)
    measures["local"] = part.led / part.attended
    measures["senior"] = part.senior / part.organisations
    measures = measures.round(6)
    low, high = measures.min(), measures.max()
    scaled = (measures - low) / (high - low)
    scaled.loc[:, high == low] = 0.5
    scaled = scaled.where(measures.notna())
    index = (100 * scaled.fillna(0.0).round(6).mean(axis=1)).round(2)
    return index.to_dict()


# -- structural holes ----------------------------------------------------------------------
def _igraph(network, weights: bool = True):
    import igraph as ig

    upper = sp.triu(network.adjacency, k=1).tocoo()
    graph = ig.Graph(n=network.n, edges=np.column_stack([upper.row, upper.col]))
    return graph, upper.data


def holes_baseline(network) -> tuple[np.ndarray, np.ndarray]:
    """igraph's Burt constraint, and effective size from its weighted formula
    ``sum_j (1 - sum_q p_iq m_jq)`` by blocked sparse products."""
    graph, weight = _igraph(network)
    constraint = np.array(graph.constraint(weights=weight.tolist()))
    adjacency = network.adjacency.astype(np.float64)
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    top = adjacency.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        p = sp.diags(1 / strength) @ adjacency
        m_t = (sp.diags(1 / top) @ adjacency).T.tocsr()
    redundancy = np.zeros(network.n)
    for lo in range(0, network.n, 1024):
        block = (p[lo:lo + 1024] @ m_t).multiply(adjacency[lo:lo + 1024] > 0)
        redundancy[lo:lo + 1024] = np.asarray(block.sum(axis=1)).ravel()
    degree = np.diff(adjacency.indptr)
    effective = np.where(degree > 0, degree - redundancy, np.nan)
    constraint[degree == 0] = np.nan
    return constraint, effective


# -- betweenness ---------------------------------------------------------------------------
def betweenness_igraph(network, sources: np.ndarray) -> np.ndarray:
    """igraph's betweenness over paths from ``sources`` (distance 1/weight, its tolerance)."""
    graph, weight = _igraph(network)
    return np.array(graph.betweenness(weights=(1 / weight).tolist(), sources=sources.tolist()))


def networkit_graph(network, distance: bool):
    import networkit as nk

    upper = sp.triu(network.adjacency, k=1).tocoo()
    weights = 1 / upper.data if distance else upper.data
    return nk.GraphFromCoo((weights.astype(np.float64),
                            (upper.row.astype(np.uint64), upper.col.astype(np.uint64))),
                           n=network.n, weighted=True, directed=False)


def betweenness_networkit(network, pivots: int) -> np.ndarray:
    """networkit's estimate from ``pivots`` sources it draws itself (no API takes a list)."""
    import networkit as nk

    graph = networkit_graph(network, distance=True)
    run = nk.centrality.EstimateBetweenness(graph, pivots, normalized=False, parallel=True)
    run.run()
    return np.array(run.scores())


# -- communities ---------------------------------------------------------------------------
def plm(network, seed: int = 0) -> np.ndarray:
    """networkit's PLM (parallel Louvain with refinement), modularity."""
    import networkit as nk

    nk.engineering.setSeed(seed, False)
    graph = networkit_graph(network, distance=False)
    run = nk.community.PLM(graph, refine=True)
    run.run()
    return np.array(run.getPartition().getVector())


def leiden(network, seed: int = 0) -> np.ndarray:
    """leidenalg's Leiden, modularity, two iterations as graphsvc runs it."""
    import leidenalg

    graph, weight = _igraph(network)
    found = leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition,
                                     weights=weight.tolist(), n_iterations=2, seed=seed)
    return np.array(found.membership)


def leiden_igraph(network, seed: int = 0) -> np.ndarray:
    """igraph's Leiden, modularity, two iterations (its default)."""
    import random

    graph, weight = _igraph(network)
    random.seed(seed)  # igraph draws from Python's generator
    found = graph.community_leiden(objective_function="modularity", weights=weight.tolist(),
                                   n_iterations=2)
    return np.array(found.membership)


def modularity(network, labels: np.ndarray) -> float:
    graph, weight = _igraph(network)
    return graph.modularity(labels.tolist(), weights=weight.tolist())
