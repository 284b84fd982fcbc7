"""What the service reads, worked out once per revision of the data: the attendance table, the
tie networks, node attributes, the active network as of a date, the facts analyses count.

This is the only object that holds the store; every use case reads through it, and every
result it keeps is kept by the revision-checked cache (:mod:`graphsvc.service.cache`).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Callable, Hashable

import networkx as nx
import numpy as np

from graphsvc.analyses.facts import Facts, codes_of_rows
from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS, Network
from graphsvc.attributes import NodeAttributes, organisation_attributes, people_attributes
from graphsvc.config import SMALL_CELL
from graphsvc.exports import to_networkx
from graphsvc.service import carried_nodes
from graphsvc.service.bulk import bulk_allocation
from graphsvc.service.cache import RevisionCache, Work
from graphsvc.service.carried import Carried
from graphsvc.service.disk_cache import DiskCache, code_fingerprint
from graphsvc.store import Store
from graphsvc.store.base import COUNTED
from graphsvc.ties import AttendanceTable, ProjectionRule, TieNetwork, project
from graphsvc.ties_update import NotAdditive, as_it_stood


CARRIED_PARTS = ("places", "sectors", "organisations", "people", "employments", "communities",
                 "sessions", "declared_ties")  # the store's reads carried over imports


class Data:
    """The store, read through a cache that follows its revision."""

    def __init__(self, store: Store, rule: ProjectionRule, *, cache_size: int = 512,
                 cache_dir: str | Path | None = None, small_cell: int = SMALL_CELL):
        self.store = store
        self.rule = rule
        self.small_cell = small_cell  # shares of fewer people are withheld, and not scored
        self.cache = RevisionCache(store.revision, cache_size)
        self.disk = DiskCache(cache_dir) if cache_dir is not None else None
        self.carried = Carried(rule)
        self.reads = _Reads(self)

    def cached(self, key: Hashable, compute: Callable[[], object]):
        return self.cache.cached(key, compute)

    def is_cached(self, key: Hashable) -> bool:
        return self.cache.has(key) or (self.disk is not None
                                       and self.disk.has(self.identity(), key))

    # -- kept on disk too, between starts ---------------------------------------------------
    def persisted(self, key: Hashable, compute: Callable[[], object]):
        """``cached``, and kept in the disk cache (when there is one) for the next start: only
        for results that are the same for every user."""
        if self.disk is None:
            return self.cached(key, compute)

        def from_disk():
            identity = self.identity()
            return self.disk.fetch(identity, key, compute,
                                   lambda: self.revision() == identity[0])

        return self.cached(key, from_disk)

    def forget_kept(self) -> None:
        """Remove everything kept on disk (after an erasure: no copy of what it removed)."""
        if self.disk is not None:
            self.disk.clear()

    def identity(self) -> tuple[int, str]:
        """The revision, and a fingerprint of what else a result depends on: the schema, the
        imports (another database at the same revision differs there), the rule, the
        small-cell threshold, the code."""
        def work():
            revision = self.revision()
            imports = [(r.id, r.loaded_at, r.undone_at) for r in self.store.imports()]
            text = repr((self.store.schema_version(), imports, self.rule, self.small_cell,
                         code_fingerprint()))
            return revision, hashlib.sha256(text.encode()).hexdigest()

        return self.cached(("identity",), work)

    def work(self, key: Hashable, compute: Callable[[], object]) -> Work:
        """``compute``, kept under ``key``, as :class:`Work` (is it kept already?)."""
        return Work(key, self.is_cached(key), lambda: self.cached(key, compute))

    def revision(self) -> int:
        return self.store.revision()

    # -- what the store holds, once per revision -------------------------------------------
    def read(self, part: str) -> list:
        """``places``, ``sectors``, ``organisations``, ``people``, ``communities``,
        ``sessions``, ``employments``, ``declared_ties``, ``imports``, ``reviews``."""
        if part not in CARRIED_PARTS:
            return self.cached(("read", part), _in_bulk(getattr(self.store, part)))
        return self.cached(("read", part), _in_bulk(lambda: self.carried.read(
            self.revision(), part, full=getattr(self.store, part),
            things=lambda firsts: self.store.things(part, firsts), current=self.revision)))

    def counts(self) -> dict[str, int]:
        """How many things of each part the store holds (carried over imports that only add
        sessions: :meth:`Carried.counts`)."""
        return self.cached(("counts",), lambda: self.carried.counts(
            self.revision(), full=self.store.counts, current=self.revision,
            lengths=lambda: {part: len(self.read(part)) for part in COUNTED
                             if part != "attendance"}))

    def attendance_table(self) -> AttendanceTable:
        """Attendance as the analyses count it: without people who only registered, unless
        the rule counts them."""
        return self.attendance_work().compute()

    def attendance_work(self) -> Work:
        """:meth:`attendance_table` as :class:`Work`."""
        def counted():
            return AttendanceTable.from_coded(
                self.read("sessions"), self.store.attendance_coded(),
                leave_out=() if self.rule.count_registered else ("registered",))

        return self.work(("attendance",), _in_bulk(lambda: self.carried.table(
            self.revision(), full=counted, sessions=lambda: self.read("sessions"),
            visits=lambda ids: list(self.store.attendance(ids)), current=self.revision)))

    # -- networks -------------------------------------------------------------------------
    def ties(self, network: str = "people", *,
             window: tuple[date | None, date | None] = (None, None),
             half_life_days: float | None = None, as_of: date | None = None) -> TieNetwork:
        """The tie network, for these parameters."""
        key = ("ties", network, window, half_life_days, as_of)

        def projected():
            table = self.attendance_table()

            def full():
                return project(table, network, rule=self.rule, window=window,
                               half_life_days=half_life_days, as_of=as_of)

            latest = self.latest_session()
            if window[0] is None and latest and window[1] and window[1] < latest and not (
                    half_life_days or as_of):
                return self._as_it_stood(network, table, window[1], full)
            if window != (None, latest) or half_life_days or as_of:
                return full()  # only the whole history is carried forward
            return self.carried.ties(self.revision(), network, table, full, self.revision)

        return self.cached(key, projected)

    def _as_it_stood(self, network: str, table, day: date, full) -> TieNetwork:
        """The network of the sessions held by ``day``, cut back from the whole history's."""
        try:
            return as_it_stood(self.ties(network, window=(None, self.latest_session())), table,
                               day, self.rule)
        except NotAdditive:  # the whole history was of another revision's table
            return full()

    def imported(self, before: int, sessions: set[str],
                 claims: dict[str, frozenset[str]] | None = None) -> None:
        """The service wrote one import, at revision ``before``, naming these sessions and
        claiming these things (part -> first fields of their keys): the next projection and
        reads may carry the last ones forward (:mod:`graphsvc.service.carried`)."""
        self.carried.imported(before, self.revision(), sessions, claims)

    def node_attributes(self, network: str) -> NodeAttributes:
        """Each node's attributes (:mod:`graphsvc.attributes`), carried over imports
        (:mod:`graphsvc.service.carried_nodes`)."""
        table = self.attendance_table()

        def carried(name, full, some):
            return self.cached(("nodes", name), _in_bulk(lambda: carried_nodes.attributes(
                self.carried, self.revision(), name, table=table, reads=self.reads,
                full=full, some=some, current=self.revision)))

        orgs = carried("organisations", lambda: organisation_attributes(self.reads, table),
                       lambda only: organisation_attributes(self.reads, table, only))
        if network == "organisations":
            return orgs
        return carried("people", lambda: people_attributes(self.reads, orgs, table),
                       lambda only: people_attributes(self.reads, orgs, table, only))

    def latest_session(self) -> date | None:
        """The latest session's date (the table holds every session: this is its last)."""
        sessions = self.read("sessions")
        return max(s.held_on for s in sessions) if sessions else None

    def network(self, network: str = "organisations", *, as_of: date | None = None,
                window_months: int | None = DEFAULT_WINDOW_MONTHS) -> Network:
        """The active network as of a date (default: the latest session), for analyses."""
        return self.network_work(network, as_of=as_of, window_months=window_months).compute()

    def network_work(self, network: str = "organisations", *, as_of: date | None = None,
                     window_months: int | None = DEFAULT_WINDOW_MONTHS) -> Work:
        """:meth:`network` as :class:`Work`: the first projection of a region's people takes
        a while."""
        as_of = as_of or self.latest_session() or date.today()
        return self.work(("network", network, as_of, window_months), _in_bulk(
            lambda: Network.from_ties(self.ties(network, window=(None, as_of)),
                                      self.node_attributes(network), as_of=as_of,
                                      window_months=window_months)))

    def graph(self, network: str = "people", **options) -> nx.Graph:
        return to_networkx(self.ties(network, **options), self.node_attributes(network))

    def facts(self) -> Facts:
        return self.cached(("facts",), self._facts)

    def _facts(self) -> Facts:
        table = self.attendance_table()
        sessions = {s.id: s for s in self.read("sessions")}
        communities = {c.id: c.name for c in self.read("communities")}
        places = {p.id: p for p in self.read("places")}
        ordered = [sessions[sid] for sid in table.session_ids]
        person_ids = np.array(table.person_ids, dtype=object)
        org_ids = np.array([*table.organisation_ids, ""], dtype=object)  # -1 picks the ""

        def borough(session) -> str:
            place = places.get(session.place_id)
            return place.name if place is not None and place.kind == "borough" else ""

        return Facts(
            session_ids=table.session_ids, session_dates=table.session_dates,
            session_community=[communities.get(s.community_id, "") for s in ordered],
            session_borough=[borough(s) for s in ordered],
            attendance_session=table.session.astype(np.int64),
            attendance_person=person_ids[table.person],
            attendance_organisation=org_ids[table.organisation],
            attendance_role=table.role,
            people=self.node_attributes("people"),
            organisations=self.node_attributes("organisations"),
            coded_rows=_coded_rows(table),
        )

    def stats(self) -> dict:
        """Counts of everything and of both tie networks, and the tie rule in force."""
        counts = self.counts()
        ties = {}
        if counts["attendance"]:
            whole = (None, self.latest_session())  # the projection the networks share
            ties = self.persisted(("tie_counts",), lambda: {
                name: len(self.ties(name, window=whole)) for name in ("people", "organisations")})
        return {"database": self.store.url, "revision": self.revision(), "counts": counts,
                "ties": ties, "rule": self.rule.describe()}


def _in_bulk(compute: Callable[[], object]) -> Callable[[], object]:
    """``compute``, run with the garbage collector paused (:mod:`graphsvc.service.bulk`):
    for the reads and the node attributes, millions of small objects and no cycles."""
    def run():
        with bulk_allocation():
            return compute()

    return run


def _coded_rows(table: AttendanceTable) -> tuple | None:
    """Each row's person and organisation as codes (:attr:`Facts.coded_rows`), from the
    table's."""
    people = codes_of_rows(table.person_ids, table.person.astype(np.intp))
    organisations = codes_of_rows(table.organisation_ids, table.organisation.astype(np.intp))
    return (*people, *organisations) if people and organisations else None


class _Reads:
    """The store's reads, through the cache (``reads.people()`` is ``data.read("people")``),
    for code written against the store's interface."""

    def __init__(self, data: Data):
        self._data = data

    def __getattr__(self, part: str):
        return lambda: self._data.read(part)
