"""Collaboration ties projected from co-attendance.

Two people (or two organisations) are tied when they attended the same sessions. With ``B``
the session-by-node incidence matrix and ``W`` the diagonal of session weights, the tie
weights are the upper triangle of ``B.T @ W @ B``, each summed over its sessions oldest first
(one compiled pass per node finds them: :mod:`graphsvc.ties_kernels`). Each tie also carries
how many sessions made it, when it was first and last seen, and which sessions those were, so
that every derived tie can be explained.

Large sessions: co-attending a 400-person conference is not collaboration. Sessions with more
attendees than ``large_session_size`` add ties with Newman's weighting ``1/(n-1)`` (n being the
session's number of nodes in this network), or none at all; sessions above ``max_session_size``
never add ties. The rule in force travels with every network (:meth:`ProjectionRule.describe`).

References: M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths, weighted
networks, and centrality", Phys. Rev. E 64, 016132 (2001), doi:10.1103/PhysRevE.64.016132.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Iterable, Iterator

import numpy as np
import scipy.sparse as sp

from graphsvc.errors import InputError
from graphsvc.model import Attendance, Session
from graphsvc.store.base import CodedVisits, coded_visits, kept_codes
from graphsvc.ties_kernels import tie_sessions

NETWORKS = ("people", "organisations")
LARGE_SESSION_RULES = ("newman", "exclude")


@dataclass(frozen=True)
class ProjectionRule:
    """How sessions of different sizes count towards ties.

    Sizes are numbers of attendees (people) at the session.
    """

    large_session_size: int = 60
    large_sessions: str = "newman"
    max_session_size: int | None = 200
    count_registered: bool = False  # people who only booked (role "registered") count too

    def __post_init__(self) -> None:
        if self.large_sessions not in LARGE_SESSION_RULES:
            raise InputError(
                "the large-session rule must be one of " + ", ".join(LARGE_SESSION_RULES),
                column="large_sessions", value=self.large_sessions,
            )
        if self.large_session_size < 2:
            raise InputError("the large-session size must be at least 2",
                             column="large_session_size", value=self.large_session_size)
        if self.max_session_size is not None and self.max_session_size < self.large_session_size:
            raise InputError("the maximum session size must not be below the large-session size",
                             column="max_session_size", value=self.max_session_size)

    def describe(self) -> str:
        if self.large_sessions == "newman":
            large = (f"sessions of more than {self.large_session_size} attendees count "
                     "1/(n-1) per tie (Newman's weighting)")
        else:
            large = f"sessions of more than {self.large_session_size} attendees add no ties"
        limit = ("" if self.max_session_size is None else
                 f"; sessions of more than {self.max_session_size} attendees add no ties")
        registered = ("; people who only registered count as attendees" if self.count_registered
                      else "; people who only registered are left out")
        return f"each shared session counts 1; {large}{limit}{registered}"


@dataclass
class AttendanceTable:
    """Attendance as integer arrays, the shape the projection works on."""

    session_ids: list[str]
    session_dates: np.ndarray  # datetime64[D], one per session
    person_ids: list[str]
    organisation_ids: list[str]
    session: np.ndarray  # int32, one per attendance row
    person: np.ndarray
    organisation: np.ndarray  # int32, -1 where the organisation is unknown
    role: np.ndarray | None = None  # object array of attendance roles

    @classmethod
    def from_records(cls, sessions: Iterable[Session], attendance: Iterable[Attendance]):
        rows = [(a.session_id, a.person_id, a.organisation_id, a.role) for a in attendance]
        return cls.from_columns(sessions, *(list(map(itemgetter(i), rows)) for i in range(4)))

    @classmethod
    def from_columns(cls, sessions: Iterable[Session], session_ids: list[str],
                     person_ids: list[str], organisation_ids: list, roles: list[str], *,
                     leave_out: tuple[str, ...] = ()):
        """From attendance as columns (:meth:`Store.attendance_columns`), as
        :meth:`from_coded`."""
        return cls.from_coded(sessions, coded_visits(
            (session_ids, person_ids, organisation_ids, roles)), leave_out=leave_out)

    @classmethod
    def from_coded(cls, sessions: Iterable[Session], visits: CodedVisits, *,
                   leave_out: tuple[str, ...] = ()):
        """From coded attendance (:meth:`Store.attendance_coded`), without the visits whose
        role is in ``leave_out``. Sessions in date order; people and organisations in id
        order, only those with a visit kept (so a later import inserts its newcomers without
        reordering anyone: :mod:`graphsvc.ties_update`)."""
        sessions = sorted(sessions, key=lambda s: (s.held_on, s.id))
        at = {s.id: i for i, s in enumerate(sessions)}
        session = np.repeat(np.fromiter(map(at.__getitem__, visits.session_ids), dtype=np.int32,
                                        count=len(visits.session_ids)), visits.counts)
        person, organisation, role = visits.person, visits.organisation, visits.role
        left_out = np.array([name in leave_out for name in visits.role_names], dtype=bool)
        if left_out.any():
            keep = ~left_out[role]
            session, person, organisation, role = (
                column[keep] for column in (session, person, organisation, role))
        person, person_ids = kept_codes(person, visits.person_ids)
        organisation, organisation_ids = kept_codes(organisation, visits.organisation_ids)
        return cls(
            session_ids=[s.id for s in sessions],
            session_dates=np.array([s.held_on for s in sessions], dtype="datetime64[D]"),
            person_ids=person_ids,
            organisation_ids=organisation_ids,
            session=session,
            person=person,
            organisation=organisation,
            role=np.array(visits.role_names, dtype=object)[role],
        )

    def session_sizes(self) -> np.ndarray:
        """Attendees (distinct people) per session."""
        incidence = _incidence(self.session, self.person, len(self.session_ids),
                               len(self.person_ids))
        return np.diff(incidence.indptr)


@dataclass
class TieNetwork:
    """A weighted, undirected tie network: edge arrays over integer node indices."""

    network: str
    node_ids: list[str]
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    shared_sessions: np.ndarray
    first_seen: np.ndarray
    last_seen: np.ndarray
    session_ids: list[str]
    rule: ProjectionRule
    window: tuple[date | None, date | None] = (None, None)
    half_life_days: float | None = None
    as_of: date | None = None
    node_first_seen: np.ndarray | None = None  # datetime64[D]: each node's first session
    _behind_indptr: np.ndarray = field(default=None, repr=False)
    _behind: np.ndarray = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.weight)

    def sessions_behind(self, edge: int) -> list[str]:
        """The sessions that made edge number ``edge``, oldest first."""
        lo, hi = self._behind_indptr[edge], self._behind_indptr[edge + 1]
        return [self.session_ids[s] for s in self._behind[lo:hi]]

    def explain(self, a: str, b: str) -> list[str]:
        """The sessions behind the tie between node ids ``a`` and ``b`` (empty if none)."""
        index = {n: i for i, n in enumerate(self.node_ids)}
        if a not in index or b not in index:
            return []
        i, j = sorted((index[a], index[b]))
        hits = np.flatnonzero((self.source == i) & (self.target == j))
        return self.sessions_behind(int(hits[0])) if len(hits) else []

    def edges(self) -> Iterator[tuple[str, str, dict]]:
        for k in range(len(self.weight)):
            yield (self.node_ids[self.source[k]], self.node_ids[self.target[k]], {
                "weight": float(self.weight[k]),
                "sessions": int(self.shared_sessions[k]),
                "first_seen": str(self.first_seen[k]),
                "last_seen": str(self.last_seen[k]),
            })

    def seen_by(self, day: date | None) -> np.ndarray:
        """Mask of the nodes that had attended a session by ``day`` (all, without a day)."""
        if day is None or self.node_first_seen is None:
            return np.ones(len(self.node_ids), dtype=bool)
        return self.node_first_seen <= np.datetime64(day)

    def describe(self) -> dict:
        """The settings this network was projected with, for outputs and exports."""
        return {
            "network": self.network,
            "rule": self.rule.describe(),
            "large_session_size": self.rule.large_session_size,
            "large_sessions": self.rule.large_sessions,
            "max_session_size": self.rule.max_session_size,
            "window": [d.isoformat() if d else None for d in self.window],
            "half_life_days": self.half_life_days,
            "as_of": self.as_of.isoformat() if self.as_of else None,
        }


def _incidence(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """Binary CSR incidence with sorted, de-duplicated entries."""
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n_rows, n_cols)
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def session_weights(
    table: AttendanceTable,
    nodes_per_session: np.ndarray,
    rule: ProjectionRule,
    window: tuple[date | None, date | None] = (None, None),
    half_life_days: float | None = None,
    as_of: date | None = None,
) -> np.ndarray:
    """What one shared session adds to a tie, per session (0 = adds nothing)."""
    attendees = table.session_sizes()
    weights = np.ones(len(table.session_ids), dtype=np.float64)
    large = attendees > rule.large_session_size
    if rule.large_sessions == "newman":
        weights[large] = 1.0 / np.maximum(nodes_per_session[large] - 1, 1)
    else:
        weights[large] = 0.0
    if rule.max_session_size is not None:
        weights[attendees > rule.max_session_size] = 0.0
    weights[nodes_per_session < 2] = 0.0
    start, end = window
    if start is not None:
        weights[table.session_dates < np.datetime64(start)] = 0.0
    if end is not None:
        weights[table.session_dates > np.datetime64(end)] = 0.0
    if half_life_days:
        age = (np.datetime64(as_of) - table.session_dates).astype(np.float64)
        weights *= np.power(0.5, np.maximum(age, 0.0) / half_life_days)
    return weights


def project(
    table: AttendanceTable,
    network: str = "people",
    *,
    rule: ProjectionRule | None = None,
    window: tuple[date | None, date | None] = (None, None),
    half_life_days: float | None = None,
    as_of: date | None = None,
) -> TieNetwork:
    """Project co-attendance into a weighted tie network of people or organisations.

    Parameters
    ----------
    table : AttendanceTable
    network : {"people", "organisations"}
    rule : ProjectionRule, optional
        How large sessions count; the default is ``ProjectionRule()``.
    window : (date or None, date or None)
        Only sessions held in this inclusive date range make ties.
    half_life_days : float, optional
        Fade each session's contribution by half for every ``half_life_days`` before ``as_of``.
    as_of : date, optional
        The date fading is measured from; defaults to the latest session.

    Returns
    -------
    TieNetwork

    Examples
    --------
    >>> from graphsvc.model import Attendance, Session
    >>> s = [Session("s1", "c", "t", date(2019, 1, 1)), Session("s2", "c", "t", date(2019, 2, 1))]
    >>> a = [Attendance("s1", "ann"), Attendance("s1", "bob"), Attendance("s2", "ann"),
    ...      Attendance("s2", "bob"), Attendance("s2", "cat")]
    >>> ties = project(AttendanceTable.from_records(s, a))
    >>> sorted((u, v, d["weight"]) for u, v, d in ties.edges())
    [('ann', 'bob', 2.0), ('ann', 'cat', 1.0), ('bob', 'cat', 1.0)]

    References
    ----------
    Newman (2001), doi:10.1103/PhysRevE.64.016132, for the 1/(n-1) weighting of large sessions.
    """
    if network not in NETWORKS:
        raise InputError("the network must be one of " + ", ".join(NETWORKS),
                         column="network", value=network)
    rule = rule or ProjectionRule()
    n_sessions = len(table.session_ids)
    if network == "people":
        node_ids, rows, cols = table.person_ids, table.session, table.person
    else:
        known = table.organisation >= 0
        node_ids, rows, cols = table.organisation_ids, table.session[known], table.organisation[known]
    if as_of is None and n_sessions:
        as_of = table.session_dates.max().astype(object)
    incidence = _incidence(rows, cols, n_sessions, len(node_ids))
    weights = session_weights(table, np.diff(incidence.indptr), rule, window, half_life_days, as_of)

    source, target, weight, shared, indptr, behind, first, last = _ties_of(
        incidence, weights, table.session_dates, len(node_ids))
    return TieNetwork(
        network=network, node_ids=list(node_ids), source=source, target=target,
        weight=weight, shared_sessions=shared, first_seen=first, last_seen=last,
        session_ids=table.session_ids, rule=rule, window=window,
        half_life_days=half_life_days, as_of=as_of,
        node_first_seen=_first_sessions(incidence, table.session_dates),
        _behind_indptr=indptr, _behind=behind,
    )


def _ties_of(incidence: sp.csr_matrix, weights: np.ndarray, dates: np.ndarray, n_nodes: int):
    """The ties of the sessions with weight (:func:`graphsvc.ties_kernels.tie_sessions`),
    their first and last dates as ``dates``."""
    kept = (sp.diags((weights > 0).astype(np.float64)) @ incidence).tocsr()
    kept.eliminate_zeros()
    kept.sort_indices()
    by_node = kept.tocsc()
    by_node.sort_indices()
    days = dates.astype("datetime64[D]")
    *ties, first, last = tie_sessions(by_node.indptr, by_node.indices, kept.indptr,
                                      kept.indices, weights, days.view(np.int64), n_nodes)
    return *ties, first.view("datetime64[D]"), last.view("datetime64[D]")


def _first_sessions(incidence: sp.csr_matrix, dates: np.ndarray) -> np.ndarray:
    """Each node's first session date (NaT for a node without one), from every session it
    attended, whether or not that session made ties."""
    by_node = incidence.tocsc()
    by_node.sort_indices()
    days = dates.astype("datetime64[D]").astype(np.int64)[by_node.indices]
    counts = np.diff(by_node.indptr)
    first = np.full(by_node.shape[1], np.iinfo(np.int64).min, dtype=np.int64)  # NaT
    attended = counts > 0
    if attended.any():
        first[attended] = np.minimum.reduceat(days, by_node.indptr[:-1][attended])
    return first.astype("datetime64[D]")
