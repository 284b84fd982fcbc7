"""The attendance table and whole-history tie networks, carried from one revision to the next
when the service saw the revision move by imports that only added sessions.

The service tells this what it wrote (:meth:`Carried.imported`: the revision before, and the
sessions the import's attendance and sessions named); only a move of exactly one revision per
witnessed import counts, so a write by anyone else in between (another process's import, an
undo, a merge, an erasure, a consent change) breaks the chain and the next read projects
everything afresh. An import that named a session already held (a second sheet for an old
meeting, a corrected date) is not carried either (:class:`graphsvc.ties_update.NotAdditive`).
"""

from __future__ import annotations

import threading
from typing import Callable, Collection

from graphsvc.model import Attendance, Batch, Session
from graphsvc.ties import AttendanceTable, ProjectionRule, TieNetwork
from graphsvc.ties_update import NotAdditive, extend_table, extend_ties

KEEP_REVISIONS = 2  # the newest, and the one before it (to carry ties still to be asked for)


def sessions_named(batch: Batch) -> set[str]:
    """Every session an import writes: its sessions, and those its visits are at."""
    named = {s.id for s in batch.sessions}
    named |= {c["id"] for c in batch.claims.get("sessions", ())}
    named |= {c["session_id"] for c in batch.claims.get("attendance", ())}
    visits = batch.attendance
    named |= (visits.named("session_id") if hasattr(visits, "named")
              else {a.session_id for a in visits})
    return named


class Carried:
    """What was projected at the newest revisions, and the imports seen since."""

    def __init__(self, rule: ProjectionRule):
        self.rule = rule
        self._lock = threading.Lock()
        self._tables: dict[int, AttendanceTable] = {}
        self._carried: set[int] = set()  # revisions whose table was carried forward
        self._ties: dict[tuple[int, str], TieNetwork] = {}
        self._steps: dict[int, frozenset[str]] = {}  # revision -> sessions its import named
        self.last = "full"  # how the newest table was made: "full" or "carried" (for benches)

    def imported(self, before: int, after: int, sessions: Collection[str]) -> None:
        if after == before + 1:
            with self._lock:
                self._steps[after] = frozenset(sessions)

    def _chain(self, revision: int) -> tuple[int, frozenset[str]] | None:
        """The newest revision held before ``revision`` that witnessed imports lead from, and
        the sessions they named."""
        named: set[str] = set()
        at = revision
        while at in self._steps:
            named |= self._steps[at]
            at -= 1
            if at in self._tables:
                return at, frozenset(named)
        return None

    def table(self, revision: int, *, full: Callable[[], AttendanceTable],
              sessions: Callable[[], list[Session]],
              visits: Callable[[Collection[str]], list[Attendance]],
              current: Callable[[], int]) -> AttendanceTable:
        """The table at ``revision``: carried forward when it can be, else ``full()``."""
        with self._lock:
            chain = self._chain(revision)
            base = self._tables.get(chain[0]) if chain else None
        table, how = None, "full"
        if base is not None:
            table, how = self._carry(base, chain[1], sessions(), visits), "carried"
        if table is None:
            table, how = full(), "full"
        if current() == revision:  # read wholly at this revision
            with self._lock:
                self._tables[revision] = table
                if how == "carried":
                    self._carried.add(revision)
                self.last = how
                self._drop_older()
        return table

    def _carry(self, base: AttendanceTable, named: frozenset[str], sessions: list[Session],
               visits) -> AttendanceTable | None:
        held = set(base.session_ids)
        if named & held:
            return None
        new = named | {s.id for s in sessions if s.id not in held}
        rows = [r for r in visits(new) if self.rule.count_registered or r.role != "registered"]
        try:
            return extend_table(base, sessions, rows)
        except NotAdditive:
            return None

    def ties(self, revision: int, network: str, table: AttendanceTable,
             full: Callable[[], TieNetwork], current: Callable[[], int]) -> TieNetwork:
        """The whole-history tie network at ``revision``, carried forward from the previous
        revision's when the table was."""
        with self._lock:
            chain = self._chain(revision)
            old_table = self._tables.get(chain[0]) if chain else None
            old = self._ties.get((chain[0], network)) if chain else None
            carried = self._tables.get(revision) is table and revision in self._carried
        ties = None
        if carried and old is not None and old_table is not None:
            try:
                ties = extend_ties(old, old_table, table, self.rule)
            except NotAdditive:
                ties = None
        ties = ties if ties is not None else full()
        if current() == revision:
            with self._lock:
                self._ties[(revision, network)] = ties
                for older in [k for k in self._ties if k[1] == network and k[0] < revision]:
                    del self._ties[older]  # carried on: millions of ties not held twice
                self._drop_older()
        return ties

    def _drop_older(self) -> None:
        keep = sorted(self._tables)[-KEEP_REVISIONS:]
        if not keep:
            return
        self._carried &= set(keep)
        for revision in [r for r in self._tables if r not in keep]:
            del self._tables[revision]
        for key in [k for k in self._ties if k[0] not in keep]:
            del self._ties[key]
        for revision in [r for r in self._steps if r <= keep[0]]:
            del self._steps[revision]
