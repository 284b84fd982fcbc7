"""What an import's preview shows of it, beyond each file's figures: the sessions it holds
(with how many people each) and its people, named only as the acting user may see them
(:func:`graphsvc.service.audience.named_in_import`)."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from graphsvc import rules
from graphsvc.accounts import User
from graphsvc.model import fold, name_order
from graphsvc.service.audience import named_in_import
from graphsvc.service.data import Data
from graphsvc.service.planning import ImportPlan


@dataclass(frozen=True)
class SessionOutline:
    """One session of an import; ``known`` when it is held already (the import adds to it)."""

    held_on: date
    title: str
    community: str
    place: str
    people: int
    known: bool = False


@dataclass
class ImportOutline:
    """The sessions and people of an import, as one user may see them. ``unnamed`` counts
    people the import loads whom this user may not see by name (or who have none); ``erased``
    people erased at their request, whom the import will not bring back."""

    sessions: list[SessionOutline] = field(default_factory=list)
    named: list[str] = field(default_factory=list)
    unnamed: int = 0
    erased: int = 0
    named_ids: list[str] = field(default_factory=list, repr=False)  # for the audit log
    # communities the import makes, each with the held one its name is nearest to (a typo in
    # the form or a file makes a new community otherwise unnoticed), or None
    new_communities: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len(self.named) + self.unnamed


def outline_import(data: Data, plan: ImportPlan, user: User) -> ImportOutline:
    """The outline of a planned import (read before the plan is closed: it reads its
    visits). What the store holds is read through ``data``'s cache, as the pages read it."""
    batch = plan.batch
    if plan.record is None:
        return ImportOutline()
    forgotten = data.store.forgotten()
    everyone = _items(batch, "people")
    people = [p for p in everyone if p.id not in forgotten]
    held = {p.id: p for p in data.read("people")}
    named, unnamed = named_in_import(user, people, held)
    return ImportOutline(_sessions(data, batch), sorted((p.name for p in named), key=name_order),
                         unnamed, len(everyone) - len(people), sorted(p.id for p in named),
                         _new_communities(data, batch))


def _items(batch, part: str) -> list:
    """A part of the batch as model objects (unknowns kept as None), whether it holds them
    as objects or as the import's claims."""
    return list(getattr(batch, part)) or [rules.FACTS[part].to_item(claim)
                                          for claim in batch.claims.get(part, ())]


def _sessions(data: Data, batch) -> list[SessionOutline]:
    communities = {c.id: c.name for c in [*data.read("communities"),
                                          *_items(batch, "communities")]}
    places = {p.id: p.name for p in [*data.read("places"), *_items(batch, "places")]}
    known = {s.id for s in data.read("sessions")}
    counts = _people_per_session(batch.attendance)
    return sorted((SessionOutline(s.held_on, s.title or "", communities.get(s.community_id, ""),
                                  "online" if s.online else places.get(s.place_id, ""),
                                  counts.get(s.id, 0), s.id in known)
                   for s in _items(batch, "sessions")), key=lambda s: (s.held_on, s.title))


def _new_communities(data: Data, batch) -> list[tuple[str, str | None]]:
    """The communities the import makes (held by no earlier import), in name order, each with
    the nearest held community's name when one is close (``GM Peer Suport``: ``GM peer
    support``)."""
    held = {c.id: c.name for c in data.read("communities")}
    folded = {fold(name): name for name in held.values()}
    new = {c.name for c in _items(batch, "communities") if c.id not in held and c.name}
    return [(name, next((folded[n] for n in difflib.get_close_matches(
                fold(name), list(folded), n=1, cutoff=0.8)), None))
            for name in sorted(new, key=name_order)]


def _people_per_session(attendance) -> dict[str, int]:
    per_session = getattr(attendance, "people_per_session", None)
    if per_session is not None:  # the visits spooled on disk: counted there
        return per_session()
    return Counter(session for session, _ in {(a.session_id, a.person_id) for a in attendance})
