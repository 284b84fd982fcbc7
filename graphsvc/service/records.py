"""Corrections to the records, as use cases for admins: two records of one person or one
organisation merged, uncertain organisation matches confirmed or rejected, a person's consent
recorded by hand, and erasure. Each is audited (by id, never by name: the log cannot be erased).
"""

from __future__ import annotations

from pathlib import Path

from graphsvc import archive
from graphsvc.accounts import User
from graphsvc.errors import InputError, NotFound
from graphsvc.model import MatchReview, Person, fold
from graphsvc.service.audit import Auditor
from graphsvc.service.data import Data

MERGE_KINDS = ("people", "organisations")


class Records:
    def __init__(self, data: Data, auditor: Auditor):
        self._data, self._audit = data, auditor

    def merge(self, actor: User, kind: str, keep: str, other: str) -> None:
        """Make ``other`` part of ``keep``; later imports that would make ``other`` again
        resolve to ``keep``."""
        actor.require("admin")
        if kind not in MERGE_KINDS:
            raise InputError("accepted: " + ", ".join(MERGE_KINDS), column="kind", value=kind)
        store = self._data.store
        (store.merge_people if kind == "people" else store.merge_organisations)(keep, other)
        self._audit.record(actor, "merge", keep, kind=kind, other=other)

    def reviews(self, actor: User) -> list[dict]:
        """The uncertain organisation matches waiting for a decision."""
        actor.require("admin")
        names = {o.id: o.name for o in self._data.read("organisations")}
        return [{"id": r.id, "name": r.name, "new_id": r.new_id, "candidate_id": r.candidate_id,
                 "candidate": names.get(r.candidate_id, ""), "score": r.score,
                 "status": r.status} for r in self._data.store.reviews()]

    def decide(self, actor: User, review_id: int, decision: str) -> MatchReview:
        """Confirm (merge, the spelling becomes an alias) or reject (kept apart, not asked
        again) an uncertain match."""
        actor.require("admin")
        if decision not in ("confirm", "reject"):
            raise InputError("the decision must be confirm or reject", column="decision",
                             value=decision)
        decided = self._data.store.decide_review(review_id, confirm=decision == "confirm")
        self._audit.record(actor, "review", str(review_id), decision=decided.status,
                           candidate=decided.candidate_id)
        return decided

    def find_person(self, actor: User, text: str) -> Person:
        """The one person ``text`` names: their id, their email, or their exact name."""
        actor.require("admin")
        people = self._data.store.people()
        wanted = text.strip()
        for test in (lambda p: p.id == wanted,
                     lambda p: bool(p.email) and p.email.casefold() == wanted.casefold(),
                     lambda p: fold(p.name) == fold(wanted)):
            found = [p for p in people if test(p)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise InputError(f"{wanted!r} names {len(found)} people: give one of their "
                                 f"ids ({', '.join(p.id for p in found[:5])})",
                                 column="person", value=wanted)
        raise NotFound(f"no person {wanted!r} (give an id, an email or a full name)")

    def consent(self, actor: User, person_id: str, state: str) -> None:
        """Record a person's consent by hand: named or aggregate (withdrawal is erasure)."""
        actor.require("admin")
        self._data.store.set_consent(person_id, state)
        self._audit.record(actor, "consent", person_id, consent=state)

    def forget(self, actor: User, person_id: str) -> dict:
        """Erase a person everywhere: the store (node, attendance, employment, declared ties,
        aliases), and the rows naming them in every archived file. What went, by kind."""
        actor.require("admin")
        erased = self._data.store.forget_person(person_id)
        files = rows = 0
        for record in self._data.store.imports():
            for f in record.files:
                if f.archive and Path(f.archive).is_file():
                    dropped = archive.scrub(Path(f.archive), erased["name"], erased["email"])
                    files, rows = files + bool(dropped), rows + dropped
        report = {"person": person_id, **erased["removed"], "archived_files_rewritten": files,
                  "archived_rows_removed": rows}
        self._audit.record(actor, "erasure", person_id,
                           **{k: v for k, v in report.items() if k != "person"})
        return report
