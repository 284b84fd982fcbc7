"""What the network explorer draws: a filtered piece of the organisation or person network, or an
ego view of one node, capped so a browser can draw it (beyond the cap, grouped by sector and
said so). The web page and scripts get the same :class:`View`.

>>> import networkx as nx
>>> from graphsvc.analyses.network import Network
>>> path = nx.path_graph(4)
>>> nx.set_node_attributes(path, {n: {"name": f"Org {n}", "sector": "", "borough": ""}
...                               for n in path})
>>> view = explore(Network.from_networkx(path), "organisations")
>>> view.matched, len(view.edges), view.nodes[1]["name"]
(4, 3, 'Org 1')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from graphsvc.analyses.betweenness import betweenness
from graphsvc.analyses.network import Network
from graphsvc.errors import InputError, NotFound

SIZE_MEASURES = ("strength", "ties", "betweenness")
DEFAULT_LIMIT = 300
EDGES_PER_NODE = 4  # beyond this many ties per node drawn, only the strongest are drawn
BROKER_SHARE = 0.05  # the top 5 % by betweenness are highlighted as brokers


@dataclass
class View:
    network: str
    nodes: list[dict]
    edges: list[dict]
    matched: int  # nodes the filters selected, before the cap
    aggregated: bool = False
    message: str | None = None
    description: dict = field(default_factory=dict)


def explore(net: Network, network: str = "organisations", *, borough: str | None = None,
            sector: str | None = None, community: str | None = None, min_weight: float = 0.0,
            ego: str | None = None, depth: int = 1, size_by: str = "strength",
            limit: int = DEFAULT_LIMIT, grouped: str | None = None) -> View:
    """The part of the active network ``net`` (of ``network``: organisations or people) that
    the filters select (or ``ego`` and its neighbours to ``depth``), its ties of at least
    ``min_weight``, nodes sized by ``size_by``; grouped by sector, whatever their number,
    when ``grouped`` says why."""
    if size_by not in SIZE_MEASURES:
        raise InputError("accepted: " + ", ".join(SIZE_MEASURES), column="size_by", value=size_by)
    adjacency = net.adjacency.copy()
    adjacency.data[adjacency.data < min_weight] = 0
    adjacency.eliminate_zeros()
    if ego:
        mask = _ego_mask(net, adjacency, ego, depth)
    else:
        selector = {k: v for k, v in (("borough", borough), ("sector", sector),
                                      ("community", community)) if v}
        mask = net.select(selector) if selector else np.ones(net.n, dtype=bool)
    chosen = np.flatnonzero(mask)
    scores, _ = betweenness(net)
    measure = _measure(adjacency, scores, size_by)
    brokers = _brokers(scores)
    if len(chosen) > limit or grouped:
        return _grouped(net, adjacency, chosen, network, limit, grouped)
    sub = adjacency[chosen][:, chosen].tocoo()
    names, sectors = net.attribute("name"), net.attribute("sector")
    boroughs = net.attribute("borough")
    nodes = [{"id": net.node_ids[i], "name": names[i], "sector": sectors[i] or "",
              "borough": boroughs[i] or "", **net.details(i, ("organisation", "organisation_id")),
              "size": float(measure[i]),
              "betweenness": float(scores[i]), "broker": bool(brokers[i]),
              "ego": net.node_ids[i] == ego}
             for i in chosen]
    edges = [{"from": net.node_ids[chosen[a]], "to": net.node_ids[chosen[b]],
              "weight": float(w)} for a, b, w in zip(sub.row, sub.col, sub.data) if a < b]
    message = None
    edge_limit = EDGES_PER_NODE * max(len(nodes), 1)
    if len(edges) > edge_limit:
        edges = sorted(edges, key=lambda e: (-e["weight"], e["from"], e["to"]))[:edge_limit]
        message = (f"Showing the {edge_limit:,} strongest of {len(sub.data) // 2:,} ties, so the "
                   "picture stays readable; raise the tie strength or filter to see the rest.")
    return View(network, nodes, edges, len(chosen), message=message,
                description=net.description)


def _ego_mask(net, adjacency: sp.csr_matrix, ego: str, depth: int) -> np.ndarray:
    index = net.index()
    if ego not in index:
        raise NotFound(f"{ego!r} is not in the active {net.description.get('network', '')} "
                       "network (no ties in the window, or no such id)")
    if depth not in (1, 2):
        raise InputError("give a depth of 1 or 2", column="depth", value=str(depth))
    mask = np.zeros(net.n, dtype=bool)
    mask[index[ego]] = True
    for _ in range(depth):
        mask |= (adjacency @ mask.astype(np.float64)) > 0
    return mask


def _measure(adjacency: sp.csr_matrix, scores: np.ndarray, size_by: str) -> np.ndarray:
    if size_by == "ties":
        return np.diff(adjacency.indptr).astype(np.float64)
    if size_by == "betweenness":
        return scores
    return np.asarray(adjacency.sum(axis=1)).ravel()


def _brokers(scores: np.ndarray) -> np.ndarray:
    if not len(scores) or scores.max() <= 0:
        return np.zeros(len(scores), dtype=bool)
    threshold = np.quantile(scores, 1 - BROKER_SHARE)
    return (scores >= threshold) & (scores > 0)


def _grouped(net, adjacency: sp.csr_matrix, chosen: np.ndarray, network: str,
             limit: int, why: str | None = None) -> View:
    """Too many to draw one by one: one node per sector, ties summed between sectors."""
    sectors = [net.attribute("sector")[i] or "Sector not known" for i in chosen]
    groups = sorted(set(sectors))
    member = sp.csr_matrix((np.ones(len(chosen)), (np.arange(len(chosen)),
                            [groups.index(s) for s in sectors])), shape=(len(chosen), len(groups)))
    between = (member.T @ adjacency[chosen][:, chosen] @ member).tocoo()
    counts = np.asarray(member.sum(axis=0)).ravel()
    kind = "organisations" if network == "organisations" else "people"
    nodes = [{"id": f"group:{g}", "name": g, "sector": g,
              "borough": "", "size": float(c), "betweenness": 0.0, "broker": False,
              "ego": False, "members": int(c)} for g, c in zip(groups, counts)]
    edges = [{"from": f"group:{groups[a]}", "to": f"group:{groups[b]}", "weight": float(w)}
             for a, b, w in zip(between.row, between.col, between.data) if a < b]
    message = why or (f"More {kind} match than the {limit:,} a page can draw one by one, so "
                      "they are shown grouped by sector (ties between sectors summed). Choose "
                      "a borough, sector or community, or open one node's ego view, to see "
                      "fewer one by one.")
    return View(network, nodes, edges, len(chosen), True, message, net.description)
