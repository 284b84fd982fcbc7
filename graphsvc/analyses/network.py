"""The network every analysis takes: a weighted, undirected graph in CSR form with node
attributes, as of a date.

A tie is *active* when it was last seen inside the window before the "as of" date (18 months by
default); its strength is its weight, counted over every session up to that date. Analyses
that measure paths use distance = 1 / weight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.attributes import NodeAttributes
from graphsvc.errors import InputError
from graphsvc.ties import TieNetwork
from graphsvc.ties_kernels import symmetric_arcs

DEFAULT_WINDOW_MONTHS = 18


def months_before(day: date, months: int) -> date:
    month = day.month - 1 - months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


DETAILS = ("organisation", "organisation_id", "sector", "borough")


class Nodes:
    """Node attributes by name, a list each in node order (``self.attributes``)."""

    attributes: dict[str, list]

    def attribute(self, name: str) -> list:
        if name not in self.attributes:
            raise InputError("unknown node attribute; accepted: " + ", ".join(sorted(self.attributes)),
                             column="partition", value=name)
        return self.attributes[name]

    def partition(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Integer group labels for an attribute, and the group names ('' is a group too)."""
        values = ["" if v is None else str(v) for v in self.attribute(name)]
        names = sorted(set(values))
        index = {v: i for i, v in enumerate(names)}
        return np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values)), names

    def crossings(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For ties u - v: whether they join two different (known) sectors, and whether they
        join a statutory and a VCSE organisation."""
        sector, sectors = self.partition("sector")
        kind, kinds = self.partition("type")
        unknown, statutory, vcse = (names.index(value) if value in names else -1 for names, value
                                    in ((sectors, ""), (kinds, "statutory"), (kinds, "vcse")))
        su, sv, ku, kv = sector[u], sector[v], kind[u], kind[v]
        cross = (su != unknown) & (sv != unknown) & (su != sv)
        statutory_vcse = (((ku == statutory) & (kv == vcse)) | ((ku == vcse) & (kv == statutory))
                          if statutory >= 0 and vcse >= 0 else np.zeros(len(u), dtype=bool))
        return cross, statutory_vcse


@dataclass
class Network(Nodes):
    """A symmetric weighted graph over integer node indices, with node attributes."""

    node_ids: list[str]
    adjacency: sp.csr_matrix  # symmetric, weights as values, sorted indices, no diagonal
    attributes: dict[str, list] = field(default_factory=dict)
    description: dict = field(default_factory=dict)
    ties: TieNetwork | None = None
    edge_of_arc: np.ndarray | None = None  # per adjacency entry: the tie's index in ``ties``

    @property
    def n(self) -> int:
        return len(self.node_ids)

    @property
    def edges(self) -> int:
        return self.adjacency.nnz // 2

    def index(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.node_ids)}

    def details(self, i: int, keys: tuple[str, ...] = DETAILS) -> dict[str, str]:
        """Where node ``i`` works and is based: those of ``keys`` this network records (a
        person's organisation and its id; anyone's sector and borough)."""
        return {key: self.attributes[key][i] or "" for key in keys if key in self.attributes}

    def to_networkx(self) -> nx.Graph:
        graph = nx.Graph()
        for i, node in enumerate(self.node_ids):
            graph.add_node(node, **{k: v[i] for k, v in self.attributes.items()})
        upper = sp.triu(self.adjacency, k=1).tocoo()
        graph.add_weighted_edges_from(
            (self.node_ids[u], self.node_ids[v], w) for u, v, w in zip(upper.row, upper.col, upper.data))
        return graph

    @classmethod
    def from_networkx(cls, graph: nx.Graph, weight: str | None = "weight") -> "Network":
        nodes = list(graph.nodes)
        index = {n: i for i, n in enumerate(nodes)}
        rows, cols, data = [], [], []
        for u, v, d in graph.edges(data=True):
            if u == v:
                continue
            w = float(d.get(weight, 1.0)) if weight else 1.0
            rows += [index[u], index[v]]
            cols += [index[v], index[u]]
            data += [w, w]
        keys = sorted({k for _, d in graph.nodes(data=True) for k in d})
        attributes = {k: [graph.nodes[n].get(k) for n in nodes] for k in keys}
        return cls([str(n) for n in nodes], _symmetric(rows, cols, data, len(nodes)), attributes)

    @classmethod
    def from_ties(cls, ties: TieNetwork, attributes: dict[str, dict], *,
                  as_of: date | None = None, window_months: int | None = DEFAULT_WINDOW_MONTHS,
                  keep_isolates: bool = True) -> "Network":
        """The active network as of a date, from a projection of sessions up to that date.

        Its nodes are everyone who had attended a session by ``as_of``: nobody first seen
        later is a node, so counts, expectations and normalisations are those of the network
        as it stood. Those seen before but not within the window stay, as isolates.
        """
        as_of = as_of or ties.as_of
        node_ids, renumber = _seen(ties, as_of)
        adjacency, edge_of_arc = _arcs(ties, _active(ties, as_of, window_months), renumber,
                                       len(node_ids))
        attrs = _in_order(attributes, node_ids)
        description = {**ties.describe(), "as_of": as_of.isoformat() if as_of else None,
                       "active_window_months": window_months}
        return cls(node_ids, adjacency, attrs, description, ties, edge_of_arc)

    def tie(self, arc: int) -> dict:
        """What is known of the tie at adjacency entry ``arc``: weight, dates, sessions."""
        u = int(np.searchsorted(self.adjacency.indptr, arc, side="right") - 1)
        v = int(self.adjacency.indices[arc])
        out = {"from": self.node_ids[u], "to": self.node_ids[v],
               "weight": float(self.adjacency.data[arc])}
        if self.ties is not None and self.edge_of_arc is not None:
            edge = int(self.edge_of_arc[arc])
            out.update(sessions=int(self.ties.shared_sessions[edge]),
                       first_seen=str(self.ties.first_seen[edge]),
                       last_seen=str(self.ties.last_seen[edge]),
                       session_ids=self.ties.sessions_behind(edge))
        return out

    def tie_ends(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each tie once (u < v), with its number in ``ties`` (-1 without a projection)."""
        upper = sp.triu(self.adjacency, k=1).tocoo()
        if self.edge_of_arc is None:
            return upper.row, upper.col, np.full(len(upper.row), -1, dtype=np.int64)
        numbers = sp.csr_matrix((self.edge_of_arc.astype(np.float64) + 1, self.adjacency.indices,
                                 self.adjacency.indptr), shape=self.adjacency.shape)
        numbered = sp.triu(numbers, k=1).tocoo()
        return numbered.row, numbered.col, numbered.data.astype(np.int64) - 1

    def arc(self, u: int, v: int) -> int:
        """The adjacency entry of the tie u - v, or -1."""
        lo, hi = self.adjacency.indptr[u], self.adjacency.indptr[u + 1]
        at = lo + int(np.searchsorted(self.adjacency.indices[lo:hi], v))
        return at if at < hi and self.adjacency.indices[at] == v else -1

    def last_seen_days(self) -> np.ndarray:
        """Per adjacency entry: days between the tie's last sighting and the "as of" date."""
        if self.ties is None or self.edge_of_arc is None or not self.description.get("as_of"):
            return np.zeros(self.adjacency.nnz)
        as_of = np.datetime64(self.description["as_of"])
        return (as_of - self.ties.last_seen[self.edge_of_arc]).astype(np.float64)

    def select(self, selector: dict[str, str]) -> np.ndarray:
        """Boolean mask of the nodes matching every ``attribute=value`` of a selector.

        ``id`` matches node ids; values compare without regard to case.
        """
        mask = np.ones(self.n, dtype=bool)
        for key, wanted in selector.items():
            wanted_set = {w.strip().lower() for w in str(wanted).split("|")}
            mask &= np.isin(self._lowered(key), list(wanted_set))
        return mask

    def _lowered(self, key: str) -> np.ndarray:
        cache = self.__dict__.setdefault("_lowered_cache", {})
        if key not in cache:
            values = self.node_ids if key == "id" else self.attribute(key)
            cache[key] = np.array([str(v or "").lower() for v in values], dtype=object)
        return cache[key]


@dataclass
class TieHistory(Nodes):
    """Every tie seen by a date, each once (u < v) with its number in ``ties``, and the
    attributes of the nodes seen by then: what the trend by quarter and the change analysis
    read (the first sighting of each tie and its ends), with no adjacency to build."""

    node_ids: list[str]
    attributes: dict[str, list]
    ties: TieNetwork
    u: np.ndarray
    v: np.ndarray
    edge: np.ndarray

    @classmethod
    def from_ties(cls, ties: TieNetwork, attributes: dict[str, dict],
                  as_of: date | None = None) -> "TieHistory":
        """The ties of ``ties`` first seen by ``as_of``, numbered among the nodes seen by then,
        as :meth:`Network.from_ties` numbers them without a window."""
        as_of = as_of or ties.as_of
        edge = np.flatnonzero(_active(ties, as_of, None))
        node_ids, renumber = _seen(ties, as_of)
        return cls(node_ids, _in_order(attributes, node_ids), ties,
                   renumber[ties.source[edge]], renumber[ties.target[edge]], edge)

    def tie_ends(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each tie once (u < v), with its number in ``ties``."""
        return self.u, self.v, self.edge


def _seen(ties: TieNetwork, as_of: date | None) -> tuple[list[str], np.ndarray]:
    """The nodes that had attended a session by ``as_of``, and each node's index among them
    (-1 for those not yet seen)."""
    present = ties.seen_by(as_of)
    renumber = np.where(present, np.cumsum(present) - 1, -1)
    return [ties.node_ids[i] for i in np.flatnonzero(present)], renumber


def _in_order(attributes: Mapping[str, dict], node_ids: list[str]) -> dict[str, list]:
    """Node attributes by name, a list each in the order of ``node_ids`` (None for what a
    node lacks)."""
    return NodeAttributes.of(attributes).in_order(node_ids)


def _active(ties: TieNetwork, as_of: date | None, window_months: int | None) -> np.ndarray:
    """Mask of the ties active as of a date: first seen by then, last seen in the window."""
    keep = np.ones(len(ties.weight), dtype=bool)
    if as_of is not None and window_months:
        keep &= ties.last_seen >= np.datetime64(months_before(as_of, window_months))
    if as_of is not None:
        keep &= ties.first_seen <= np.datetime64(as_of)
    return keep


def _arcs(ties: TieNetwork, keep: np.ndarray, renumber: np.ndarray,
          n: int) -> tuple[sp.csr_matrix, np.ndarray]:
    """The symmetric CSR adjacency of the ties ``keep`` marks, among the nodes ``renumber``
    numbers, and each arc's tie number (:func:`graphsvc.ties_kernels.symmetric_arcs`)."""
    try:
        indptr, indices, data, edge_of_arc = symmetric_arcs(
            ties.source, ties.target, np.asarray(ties.weight, dtype=np.float64), keep,
            renumber, n)
    except AssertionError:
        raise AssertionError("a tie seen by the as-of date has an end not yet seen") from None
    return sp.csr_matrix((data, indices, indptr), shape=(n, n)), edge_of_arc


def _symmetric(rows, cols, data, n: int) -> sp.csr_matrix:
    matrix = sp.csr_matrix((np.asarray(data, dtype=np.float64),
                            (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
                           shape=(n, n))
    matrix.sum_duplicates()
    matrix.setdiag(0)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix
