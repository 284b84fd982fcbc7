"""The SQLite store's reads of the facts: every thing of a part, its claims folded (most
things have one claim, read straight into the model), and the visits, as records or as
columns."""

from __future__ import annotations

import json
from typing import Collection, Iterator

from graphsvc import rules
from graphsvc.errors import StoreError
from graphsvc.model import Attendance
from graphsvc.store import sqlite_rules as sql
from graphsvc.store import sqlite_visits as visits
from graphsvc.store.base import COUNTED, AttendanceColumns, CodedVisits


class FactReads:
    """Mixed into :class:`graphsvc.store.sqlite.SQLiteStore`, whose ``_reader()`` and
    ``_query()`` these use."""

    def counts(self) -> dict[str, int]:
        """How many things of each part there are: distinct keys among the claims."""
        out = {}
        for part in COUNTED:  # names from a fixed tuple and the rules, never from input
            key = ", ".join(rules.FACTS[part].key)
            out[part] = self._query(f"SELECT count(*) FROM (SELECT DISTINCT {key} "  # noqa: S608
                                    f"FROM {part}_claims)")[0][0]
        return out

    def _facts(self, part: str, firsts: Collection[str] | None = None) -> list:
        """Every thing of a part (or those whose key starts with one of ``firsts``): its
        claims in key order, each thing's folded in Python when more than one import made a
        claim (mostly one did; the view's GROUP BY costs more)."""
        fact = rules.FACTS[part]
        where, values = "", ()
        if firsts is not None:  # a fixed clause; the keys go as a parameter
            where, values = f"WHERE {fact.key[0]} IN (SELECT value FROM json_each(?)) ", (
                json.dumps(sorted(firsts)),)
        rows = self._reader().execute(
            f"SELECT {', '.join(fact.columns)} FROM {part}_claims {where}"  # noqa: S608
            f"ORDER BY {', '.join(fact.key)}", values).fetchall()  # names from the rules
        return sql.read_each(fact, rows, lambda claims: _folded(fact, claims))

    def places(self):
        return self._facts("places")

    def sectors(self):
        return self._facts("sectors")

    def organisations(self):
        return self._facts("organisations")

    def people(self):
        return self._facts("people")

    def employments(self):
        return self._facts("employments")

    def communities(self):
        return self._facts("communities")

    def sessions(self):
        return self._facts("sessions")

    def declared_ties(self):
        return self._facts("declared_ties")

    def things(self, part: str, firsts: Collection[str]) -> list:
        if part not in rules.FACTS or part == "attendance":
            raise StoreError(f"no part {part!r} to read things of")
        return self._facts(part, firsts)

    def attendance(self, session_ids: Collection[str] | None = None) -> Iterator[Attendance]:
        """Every visit (or those of these sessions), in (session, person) order: the claims in
        their key's order, each visit's folded in Python when more than one import made one
        (most have one, and the view's GROUP BY costs twice the read)."""
        held, more = None, None  # the visit being read, and its other claims if any
        for row in self._visit_claims(session_ids):
            if held is not None and row[0] == held[0] and row[1] == held[1]:
                more = (more or []) + [row]
                continue
            if held is not None:
                yield _visit(held, more)
            held, more = row, None
        if held is not None:
            yield _visit(held, more)

    def attendance_columns(self) -> AttendanceColumns:
        """As :meth:`attendance`, read in one go into columns (no object per visit): a row per
        session (:func:`sqlite_visits.session_visit_columns`)."""
        return visits.session_visit_columns(
            self._reader().execute(visits.SESSION_VISITS),
            lambda session_id: self._visit_claims([session_id]).fetchall(), _visit)

    def attendance_coded(self) -> CodedVisits:
        """As :meth:`attendance_columns`, coded without a string per visit
        (:func:`sqlite_visits.session_visits_coded`)."""
        return visits.session_visits_coded(
            self._reader().execute(visits.SESSION_VISITS),
            lambda session_id: self._visit_claims([session_id]).fetchall(), _visit)

    def _visit_claims(self, session_ids: Collection[str] | None):
        """The attendance claims (of these sessions, or all) in (session, person) order."""
        fact = rules.ATTENDANCE
        where = "" if session_ids is None else (  # a fixed clause; the ids go as a parameter
            "WHERE session_id IN (SELECT value FROM json_each(?)) ")
        return self._reader().execute(
            f"SELECT {', '.join(fact.columns)} FROM attendance_claims {where}"  # noqa: S608
            "ORDER BY session_id, person_id",  # names from the rules
            () if session_ids is None else (json.dumps(sorted(session_ids)),))


def _folded(fact, rows: list[tuple]):
    """A thing from its claims' rows (most have one: read straight into the model)."""
    if len(rows) == 1:
        return sql.read_one(fact, rows[0])
    return fact.to_model(fact.fold(sql.decode(fact, row) for row in rows))


def _visit(row: tuple, more: list[tuple] | None) -> Attendance:
    """One visit from its claims (most have one)."""
    if more is None:
        session_id, person_id, organisation_id, minutes, role = row
        return Attendance(session_id, person_id, organisation_id, minutes, role or "attendee")
    fact = rules.ATTENDANCE
    return fact.to_model(fact.fold(dict(zip(fact.columns, r)) for r in [row, *more]))
