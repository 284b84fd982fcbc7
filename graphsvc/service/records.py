"""Corrections to the records, as use cases for admins: two records of one person or one
organisation merged, uncertain organisation matches confirmed or rejected, a person's consent
recorded by hand, and erasure. Each is audited (by id, never by name: the log cannot be erased).
"""

from __future__ import annotations

from pathlib import Path

from graphsvc import archive
from graphsvc.accounts import User
from graphsvc.errors import InputError, NotFound
from graphsvc.model import MatchReview, Person, fold, person_id
from graphsvc.service.audit import Auditor
from graphsvc.service.data import Data

MERGE_KINDS = ("people", "organisations")


class Records:
    def __init__(self, data: Data, auditor: Auditor, staging):
        self._data, self._audit, self._staging = data, auditor, staging

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

    def forget(self, actor: User, who: str) -> dict:
        """Erase a person everywhere: the store (node, attendance, employment, declared ties,
        aliases), their name in session titles and import file names, and the rows naming
        them in every archived file (of undone imports too) and every upload waiting to be
        loaded. ``who`` is an id, an email or a full name; someone no longer in the database
        (their import undone) is still erased from the files, and an email is remembered so
        no later import brings them back. What went, by kind (never by name)."""
        actor.require("admin")
        store = self._data.store
        try:
            person = self.find_person(actor, who)
        except NotFound:
            person = None
        if person is not None:
            erased = store.forget_person(person.id)
            name, email, removed, target = (erased["name"], erased["email"],
                                            erased["removed"], person.id)
        else:
            name, email, target = self._not_held(who)
            removed = {"in_database": 0}
            if email:
                store.remember_erased(target)
        report = {"person": target, **removed, **self._scrub_files(name, email)}
        if name:
            report["titles_and_file_names_changed"] = store.redact_name(name)
        store.wipe_free_space()
        self._data.forget_kept()  # results kept on disk may name them
        self._audit.record(actor, "erasure", target,
                           **{k: v for k, v in report.items() if k != "person"})
        return report

    @staticmethod
    def _not_held(who: str) -> tuple[str | None, str | None, str]:
        """Someone the database does not hold: their name or email, and the id to record."""
        text = who.strip()
        if "@" in text:
            return None, text.lower(), person_id(text, "", "")
        if len(fold(text).split()) < 2:
            raise NotFound(f"no person {text!r} (give an id, an email or a full name)")
        return text, None, "(a person not in the database)"

    def _scrub_files(self, name: str | None, email: str | None) -> dict:
        files = rows = 0
        kept = [Path(f.archive) for record in self._data.store.imports() for f in record.files
                if f.archive]
        for path in [*kept, *self._staging.files()]:
            if path.is_file():
                dropped = archive.scrub(path, name or "", email)
                files, rows = files + bool(dropped), rows + dropped
        return {"archived_files_rewritten": files, "archived_rows_removed": rows}
