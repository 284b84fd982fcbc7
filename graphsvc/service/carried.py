"""The attendance table and whole-history tie networks, carried from one revision to the next
when the service saw the revision move by imports that only added sessions.

The service tells this what it wrote (:meth:`Carried.imported`: the revision before, and the
sessions the import's attendance and sessions named); only a move of exactly one revision per
witnessed import counts, so a write by anyone else in between (another process's import, an
undo, a merge, an erasure, a consent change) breaks the chain and the next read projects
everything afresh. An import that named a session already held (a second sheet for an old
meeting, a corrected date) is not carried either (:class:`graphsvc.ties_update.NotAdditive`).

The store's reads are carried along the same chain: each import names the things it claimed
(:func:`claimed`), and only those are read again (:meth:`graphsvc.store.Store.things`); so are
the node attributes, worked out again only for the nodes the new sessions and claims touch
(:mod:`graphsvc.service.carried_nodes`).
"""

from __future__ import annotations

import threading
from typing import Callable, Collection

from graphsvc import rules
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


def claimed(batch: Batch) -> dict[str, frozenset[str]]:
    """Per part (but attendance), the first field of the key of every thing an import claims:
    the things whose reads it can change."""
    out = {}
    for part, fact in rules.FACTS.items():
        if part == "attendance":
            continue
        first = fact.key[0]
        named = {getattr(thing, first) for thing in getattr(batch, part)}
        named |= {c[first] for c in batch.claims.get(part, ())}
        out[part] = frozenset(named)
    return out


class Carried:
    """What was projected at the newest revisions, and the imports seen since."""

    def __init__(self, rule: ProjectionRule):
        self.rule = rule
        self.lock = threading.Lock()
        self.tables: dict[int, AttendanceTable] = {}
        self.carried_tables: set[int] = set()  # revisions whose table was carried forward
        self._ties: dict[tuple[int, str], TieNetwork] = {}
        self._steps: dict[int, frozenset[str]] = {}  # revision -> sessions its import named
        self._claims: dict[int, dict[str, frozenset[str]]] = {}  # revision -> what it claimed
        self._reads: dict[tuple[int, str], list] = {}  # (revision, part) -> the store's read
        # (revision, network) -> its node attributes, and the reads they all depend on
        # (graphsvc.service.carried_nodes)
        self.nodes: dict[tuple[int, str], tuple[dict, tuple]] = {}
        self.last_nodes = "full"
        self._counts: dict[int, dict[str, int]] = {}  # revision -> the store's counts
        self._visits_added: dict[int, tuple[int, int]] = {}  # revision -> (base, visits added)
        self.last = "full"  # how the newest table was made: "full" or "carried" (for benches)
        self.last_reads: dict[str, str] = {}  # part -> how its newest read was made (for tests)

    def imported(self, before: int, after: int, sessions: Collection[str],
                 claims: dict[str, frozenset[str]] | None = None) -> None:
        if after == before + 1:
            with self.lock:
                self._steps[after] = frozenset(sessions)
                if claims is not None:
                    self._claims[after] = claims

    def chain(self, revision: int, held=None) -> tuple[int, frozenset[str]] | None:
        """The newest revision held (in the tables, or as ``held`` says) before ``revision``
        that witnessed imports lead from, and the sessions they named."""
        held = held or self.tables.__contains__
        named: set[str] = set()
        at = revision
        while at in self._steps:
            named |= self._steps[at]
            at -= 1
            if held(at):
                return at, frozenset(named)
        return None

    def claims_since(self, base: int, revision: int) -> dict[str, frozenset[str]] | None:
        """What the imports from ``base`` to ``revision`` claimed, part by part (None when
        one of them did not say)."""
        out: dict[str, set[str]] = {}
        for at in range(base + 1, revision + 1):
            if at not in self._claims:
                return None
            for part, named in self._claims[at].items():
                out.setdefault(part, set()).update(named)
        return {part: frozenset(named) for part, named in out.items()}

    def read(self, revision: int, part: str, *, full: Callable[[], list],
             things: Callable[[Collection[str]], list], current: Callable[[], int]) -> list:
        """The store's read of ``part`` at ``revision``: the last one with the things the
        imports since claimed read again, when it can be; else ``full()``."""
        with self.lock:
            chain = self.chain(revision, lambda at: (at, part) in self._reads)
            base = self._reads.get((chain[0], part)) if chain else None
            named = self.claims_since(chain[0], revision) if chain else None
        if base is not None and named is not None:
            out, how = _replaced(base, things(named.get(part, ())), named.get(part, ()),
                                 rules.FACTS[part].key), "carried"
        else:
            out, how = full(), "full"
        if current() == revision:
            with self.lock:
                self._reads[(revision, part)] = out
                self.last_reads[part] = how
                for key in [k for k in self._reads if k[1] == part and k[0] < revision]:
                    del self._reads[key]
        return out

    def table(self, revision: int, *, full: Callable[[], AttendanceTable],
              sessions: Callable[[], list[Session]],
              visits: Callable[[Collection[str]], list[Attendance]],
              current: Callable[[], int]) -> AttendanceTable:
        """The table at ``revision``: carried forward when it can be, else ``full()``."""
        with self.lock:
            chain = self.chain(revision)
            base = self.tables.get(chain[0]) if chain else None
        table, how, added = None, "full", 0
        if base is not None:
            (table, added), how = self._carry(base, chain[1], sessions(), visits), "carried"
        if table is None:
            table, how = full(), "full"
        if current() == revision:  # read wholly at this revision
            with self.lock:
                self.tables[revision] = table
                if how == "carried":
                    self.carried_tables.add(revision)
                    self._visits_added[revision] = (chain[0], added)
                self.last = how
                self._drop_older()
        return table

    def _carry(self, base: AttendanceTable, named: frozenset[str], sessions: list[Session],
               visits) -> tuple[AttendanceTable | None, int]:
        """The table with the new sessions' visits, and how many visits they have (or None)."""
        held = set(base.session_ids)
        if named & held:
            return None, 0
        new = named | {s.id for s in sessions if s.id not in held}
        found = visits(new)
        rows = [r for r in found if self.rule.count_registered or r.role != "registered"]
        try:
            return extend_table(base, sessions, rows), len(found)
        except NotAdditive:
            return None, 0

    def counts(self, revision: int, *, full: Callable[[], dict[str, int]],
               lengths: Callable[[], dict[str, int]],
               current: Callable[[], int]) -> dict[str, int]:
        """The store's counts at ``revision``: when its table was carried, the visits are
        those counted at the table's base revision and the new sessions' (``lengths`` counts
        the rest, from their reads); else ``full()``."""
        with self.lock:
            step = self._visits_added.get(revision) if revision in self.carried_tables else None
            base = self._counts.get(step[0]) if step else None
        if base is not None:
            out = {**lengths(), "attendance": base["attendance"] + step[1]}
            out = {part: out[part] for part in base}  # in the store's order
        else:
            out = full()
        if current() == revision:
            with self.lock:
                self._counts[revision] = out
                for older in [r for r in self._counts if r < revision and r not in self.tables]:
                    del self._counts[older]
        return out

    def ties(self, revision: int, network: str, table: AttendanceTable,
             full: Callable[[], TieNetwork], current: Callable[[], int]) -> TieNetwork:
        """The whole-history tie network at ``revision``, carried forward from the previous
        revision's when the table was."""
        with self.lock:
            chain = self.chain(revision)
            old_table = self.tables.get(chain[0]) if chain else None
            old = self._ties.get((chain[0], network)) if chain else None
            carried = self.tables.get(revision) is table and revision in self.carried_tables
        ties = None
        if carried and old is not None and old_table is not None:
            try:
                ties = extend_ties(old, old_table, table, self.rule)
            except NotAdditive:
                ties = None
        ties = ties if ties is not None else full()
        if current() == revision:
            with self.lock:
                self._ties[(revision, network)] = ties
                for older in [k for k in self._ties if k[1] == network and k[0] < revision]:
                    del self._ties[older]  # carried on: millions of ties not held twice
                self._drop_older()
        return ties

    def _drop_older(self) -> None:
        keep = sorted(self.tables)[-KEEP_REVISIONS:]
        if not keep:
            return
        self.carried_tables &= set(keep)
        for revision in [r for r in self.tables if r not in keep]:
            del self.tables[revision]
        for key in [k for k in self._ties if k[0] not in keep]:
            del self._ties[key]
        for revision in [r for r in self._visits_added if r not in keep]:
            del self._visits_added[revision]
        for revision in [r for r in self._steps if r <= keep[0]]:
            del self._steps[revision]
            self._claims.pop(revision, None)
        for key in [k for k in self.nodes if k[0] < keep[0]]:
            del self.nodes[key]


def _replaced(things: list, again: list, named: frozenset[str], key: tuple[str, ...]) -> list:
    """``things`` (in key order) with those whose key starts with one of ``named`` replaced
    by ``again`` (read again), in key order."""
    if not named:
        return things
    first = key[0]
    kept = [t for t in things if getattr(t, first) not in named]
    return sorted(kept + again, key=lambda t: tuple(getattr(t, k) for k in key))
