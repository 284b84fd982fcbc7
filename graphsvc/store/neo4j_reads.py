"""The Neo4j store's reads of the facts: each part as the model's records, in the SQLite
store's order, and the visits grouped by session."""

from __future__ import annotations

from datetime import date
from typing import Collection, Iterator

from graphsvc import rules
from graphsvc.errors import StoreError
from graphsvc.model import (Attendance, Community, DeclaredTie, Employment, Organisation,
                            Person, Place, Sector, Session)
from graphsvc.store.base import AttendanceColumns, attendance_columns

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
        rows = self._values("MATCH (n:Place) RETURN n.id, n.kind, n.name, n.code, n.parent_id "
                            "ORDER BY n.id")
        return [Place(*row) for row in rows]

    def sectors(self) -> list[Sector]:
        rows = self._values("MATCH (n:Sector) RETURN n.id, n.name, n.category ORDER BY n.id")
        return [Sector(*row) for row in rows]

    def organisations(self) -> list[Organisation]:
        rows = self._values("MATCH (n:Organisation) RETURN n.id, n.name, n.sector_ids, "
                            "n.place_id, n.scope, n.type, n.aliases ORDER BY n.id")
        return [Organisation(i, n, tuple(s or ()), p, sc, t, tuple(a or ()))
                for i, n, s, p, sc, t, a in rows]

    def people(self) -> list[Person]:
        rows = self._values("MATCH (n:Person) RETURN n.id, n.name, n.email, n.lived_experience, "
                            "n.consent, n.expertise, n.place_id ORDER BY n.id")
        return [Person(i, n, e, le, c, tuple(ex or ()), p) for i, n, e, le, c, ex, p in rows]

    def employments(self) -> list[Employment]:
        rows = self._values("MATCH (p:Person)-[w:WORKS_AT]->(o:Organisation) "
                            "RETURN p.id, o.id, w.role, w.seniority ORDER BY p.id, o.id")
        return [Employment(*row) for row in rows]

    def communities(self) -> list[Community]:
        rows = self._values("MATCH (n:Community) RETURN n.id, n.name, n.domain, n.scope, "
                            "n.place_id, n.started ORDER BY n.id")
        return [Community(i, n, d, s, p, _day(st)) for i, n, d, s, p, st in rows]

    def sessions(self) -> list[Session]:
        rows = self._values("MATCH (n:Session) RETURN n.id, n.community_id, n.title, "
                            "n.held_on, n.place_id, n.online ORDER BY n.id")
        return [Session(i, c, t, date.fromisoformat(h), p, bool(o)) for i, c, t, h, p, o in rows]

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

    def declared_ties(self) -> list[DeclaredTie]:
        rows = self._values("MATCH (a)-[d:DECLARED]->(b) RETURN a.id AS s, b.id AS t, d.weight, "
                            "d.declared_on, d.note ORDER BY s, t")
        return [DeclaredTie(s, t, float(w), _day(d), n) for s, t, w, d, n in rows]

    def things(self, part: str, firsts: Collection[str]) -> list:
        # the part's whole read, filtered: correct, and no faster (a service on Neo4j carries
        # little forward; see graphsvc.service.carried)
        if part not in rules.FACTS or part == "attendance":
            raise StoreError(f"no part {part!r} to read things of")
        first, wanted = rules.FACTS[part].key[0], set(firsts)
        return [thing for thing in getattr(self, part)() if getattr(thing, first) in wanted]
