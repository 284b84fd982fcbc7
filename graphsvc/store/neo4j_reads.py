"""The Neo4j store's reads of the facts: each part as the model's records, in the SQLite
store's order, and the visits grouped by session."""

from __future__ import annotations

from datetime import date
from typing import Collection, Iterator

from graphsvc.errors import StoreError
from graphsvc.model import (Attendance, Community, DeclaredTie, Employment, Organisation,
                            Person, Place, Sector, Session)
from graphsvc.store.base import (AttendanceColumns, CodedVisits, attendance_columns,
                                  coded_visits)

_COUNT = {
    "places": "MATCH (n:Place) RETURN count(n) AS n",
    "sectors": "MATCH (n:Sector) RETURN count(n) AS n",
    "organisations": "MATCH (n:Organisation) RETURN count(n) AS n",
    "people": "MATCH (n:Person) RETURN count(n) AS n",
    "communities": "MATCH (n:Community) RETURN count(n) AS n",
    "sessions": "MATCH (n:Session) RETURN count(n) AS n",
    "attendance": "MATCH ()-[r:ATTENDED]->() RETURN count(r) AS n",
    "declared_ties": "MATCH ()-[r:DECLARED]->() RETURN count(r) AS n",
}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class FactReads:
    """Mixed into :class:`graphsvc.store.neo4j.Neo4jStore`, whose ``_read()`` and
    ``_values()`` these use."""

    def counts(self) -> dict[str, int]:
        return {part: self._read(query)[0]["n"] for part, query in _COUNT.items()}

    def places(self) -> list[Place]:
        return self._part("places")

    def sectors(self) -> list[Sector]:
        return self._part("sectors")

    def organisations(self) -> list[Organisation]:
        return self._part("organisations")

    def people(self) -> list[Person]:
        return self._part("people")

    def employments(self) -> list[Employment]:
        return self._part("employments")

    def communities(self) -> list[Community]:
        return self._part("communities")

    def sessions(self) -> list[Session]:
        return self._part("sessions")

    def declared_ties(self) -> list[DeclaredTie]:
        return self._part("declared_ties")

    def things(self, part: str, firsts: Collection[str]) -> list:
        if part not in _READS:
            raise StoreError(f"no part {part!r} to read things of")
        return self._part(part, firsts)

    def _part(self, part: str, firsts: Collection[str] | None = None) -> list:
        """Every thing of a part (or those whose key starts with one of ``firsts``: the id
        of the node the key's first field names, looked up by its index), in key order."""
        match, first, columns, order = _READS[part]
        where = "" if firsts is None else f" WHERE {first}.id IN $ids"  # from _READS
        rows = self._values(f"{match}{where} RETURN {columns} ORDER BY {order}",
                            ids=sorted(firsts or ()))
        return _BUILD[part](rows)

    def attendance(self, session_ids: Collection[str] | None = None) -> Iterator[Attendance]:
        # Grouped by session, a column per field: a quarter of the time of one record per
        # visit (bench/bench_neo4j.py); sorted here, as SQLite gives them. collect() drops
        # nulls, so unknown organisations and minutes travel as '' and -1.
        chosen = "" if session_ids is None else "WHERE s.id IN $ids "
        rows = self._values("MATCH (s:Session)<-[a:ATTENDED]-(p:Person) " + chosen
                            + "RETURN s.id, collect(p.id), "
                            "collect(coalesce(a.organisation_id, '')), "
                            "collect(coalesce(a.minutes, -1)), collect(a.role)",
                            ids=sorted(session_ids or ()))
        rows.sort(key=lambda row: row[0])
        for session_id, people, organisations, minutes, roles in rows:
            for person, organisation, stay, role in sorted(
                    zip(people, organisations, minutes, roles)):
                yield Attendance(session_id, person, organisation or None,
                                 None if stay == -1 else stay, role)

    def attendance_columns(self) -> AttendanceColumns:
        return attendance_columns(self.attendance())

    def attendance_coded(self) -> CodedVisits:
        return coded_visits(self.attendance_columns())


# part -> (what to match, the node whose id is the first field of the key, what to return, the
# key's order): the SQLite store's order, every field in the model's order
_READS = {
    "places": ("MATCH (n:Place)", "n", "n.id, n.kind, n.name, n.code, n.parent_id", "n.id"),
    "sectors": ("MATCH (n:Sector)", "n", "n.id, n.name, n.category", "n.id"),
    "organisations": ("MATCH (n:Organisation)", "n", "n.id, n.name, n.sector_ids, n.place_id, "
                      "n.scope, n.type, n.aliases", "n.id"),
    "people": ("MATCH (n:Person)", "n", "n.id, n.name, n.email, n.lived_experience, n.consent, "
               "n.expertise, n.place_id", "n.id"),
    "employments": ("MATCH (p:Person)-[w:WORKS_AT]->(o:Organisation)", "p",
                    "p.id, o.id, w.role, w.seniority", "p.id, o.id"),
    "communities": ("MATCH (n:Community)", "n", "n.id, n.name, n.domain, n.scope, n.place_id, "
                    "n.started", "n.id"),
    "sessions": ("MATCH (n:Session)", "n", "n.id, n.community_id, n.title, n.held_on, "
                 "n.place_id, n.online", "n.id"),
    "declared_ties": ("MATCH (a)-[d:DECLARED]->(b)", "a",
                      "a.id AS s, b.id AS t, d.weight, d.declared_on, d.note", "s, t"),
}

_BUILD = {
    "places": lambda rows: [Place(*row) for row in rows],
    "sectors": lambda rows: [Sector(*row) for row in rows],
    "organisations": lambda rows: [Organisation(i, n, tuple(s or ()), p, sc, t, tuple(a or ()))
                                   for i, n, s, p, sc, t, a in rows],
    "people": lambda rows: [Person(i, n, e, le, c, tuple(ex or ()), p)
                            for i, n, e, le, c, ex, p in rows],
    "employments": lambda rows: [Employment(*row) for row in rows],
    "communities": lambda rows: [Community(i, n, d, s, p, _day(st))
                                 for i, n, d, s, p, st in rows],
    "sessions": lambda rows: [Session(i, c, t, date.fromisoformat(h), p, bool(o))
                              for i, c, t, h, p, o in rows],
    "declared_ties": lambda rows: [DeclaredTie(s, t, float(w), _day(d), n)
                                   for s, t, w, d, n in rows],
}
