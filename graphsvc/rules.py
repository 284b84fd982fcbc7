"""How what the files say becomes what the map knows: the rule for every fact, stated once.

An import does not overwrite facts; it makes *claims* ("this file says Ann's borough is Bury, as
of the session on 4 March 2019"). What the map knows of a person, an organisation, a session or
a visit is the *fold* of every claim made about it by the imports that are loaded. Each field
has a :class:`Policy` saying how two claims combine, and every policy is a join: commutative,
associative and idempotent. So:

- the same files give the same facts however they are split into imports and in whatever
  order they are loaded;
- undoing an import is the same as never having loaded it: its claims go, the rest are folded
  again;
- a later file can fill in what an earlier one left unknown, but never blanks a known value.

Stores keep the claims and render these policies in their own language (SQL aggregates in the
SQLite store, Cypher in the Neo4j store); :meth:`Fact.fold` is the definition both are tested
against.

>>> a = {"id": "person:1", "name": "Ann", "name_at": stamp(date(2019, 3, 4)), "place_id": None}
>>> b = {"id": "person:1", "name": "Ann Lee", "name_at": stamp(date(2018, 1, 5)),
...      "place_id": "place:E08000002", "place_id_at": stamp(date(2018, 1, 5))}
>>> folded = PEOPLE.fold([a, b])
>>> folded["name"], folded["place_id"], folded == PEOPLE.fold([b, a, b])
('Ann', 'place:E08000002', True)

This module imports only the standard library.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from functools import cached_property, lru_cache
from typing import Iterable

from graphsvc import model

# A stamp says how strong a claim's evidence is: an authority digit (1 for registers, which are
# the partnership's own word, 0 for what attendance files imply), then the date the evidence is
# from (the latest session the file saw the thing at). Stamps compare as strings.
UNKNOWN_DATE = "0000-00-00"
REGISTER = "1" + UNKNOWN_DATE
LOWEST = "0" + UNKNOWN_DATE
STAMP_WIDTH = len(LOWEST)


@lru_cache(maxsize=1 << 12)
def stamp(day: date | None, *, authority: int = 0) -> str:
    """The stamp of evidence from ``day`` (None: undated).

    >>> stamp(date(2019, 3, 4)), stamp(None, authority=1)
    ('02019-03-04', '10000-00-00')
    """
    return f"{authority}{day.isoformat() if day else UNKNOWN_DATE}"


class Policy:
    """How two claims about one field combine. ``None`` is always "unknown" and loses."""

    stamped = False
    idempotent = True  # joining a value with itself gives it back

    def join(self, a, b):
        raise NotImplementedError


@dataclass(frozen=True)
class Largest(Policy):
    """The largest known value (minutes present, a declared tie's strength)."""

    def join(self, a, b):
        return a if b is None else b if a is None else max(a, b)


@dataclass(frozen=True)
class Smallest(Policy):
    """The smallest known value: the earliest start date, or, where two files disagree about
    something that cannot change (an email, the organisation named for one visit), the first
    in sort order, so the answer does not depend on which file came first."""

    def join(self, a, b):
        return a if b is None else b if a is None else min(a, b)


@dataclass(frozen=True)
class Ranked(Policy):
    """The value highest in ``order``; the first value of ``order`` means "not said" and is
    what a claim that says nothing gives (a session role of attendee, a scope of local)."""

    order: tuple[str, ...]

    def rank(self, value) -> int:
        return -1 if value is None else self.order.index(value)

    def join(self, a, b):
        return a if self.rank(a) >= self.rank(b) else b


@dataclass(frozen=True)
class Latest(Policy):
    """The value with the strongest stamp (a register's word, else the most recent evidence);
    equal stamps go to the value latest in ``prefer`` (if given), then to the larger value.
    Each claim carries the field's stamp as ``<field>_at``."""

    prefer: tuple[str, ...] = ()
    stamped = True

    def order(self, value, at) -> tuple:
        rank = self.prefer.index(value) if value in self.prefer else -1
        return (at or LOWEST, rank, value)

    def join(self, a, b):
        """Join (value, stamp) pairs; an unknown value loses."""
        if a[0] is None:
            return b if b[0] is not None else (None, None)
        if b[0] is None or a == b:
            return a
        a_at, b_at = a[1] or LOWEST, b[1] or LOWEST
        if a_at != b_at:
            return a if a_at > b_at else b
        return max(a, b, key=lambda pair: self.order(*pair))


@dataclass(frozen=True)
class Union(Policy):
    """Every value any claim gives (sectors, aliases, expertise), as a sorted tuple."""

    def join(self, a, b):
        return tuple(sorted(set(a or ()) | set(b or ()))) or None


@dataclass(frozen=True)
class Sum(Policy):
    """Not a join, and never used across files: within ONE file, two rows for the same person
    at the same session are two stays (a rejoin, where the export gives no times to merge),
    so their minutes add up."""

    idempotent = False

    def join(self, a, b):
        return a if b is None else b if a is None else a + b


@dataclass(frozen=True)
class Fact:
    """A kind of fact: the model class it reads back as, its key, and each field's policy."""

    part: str
    model: type
    key: tuple[str, ...]
    policies: dict[str, Policy] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column a claim has, in order: the key, then each field (and its stamp)."""
        out = list(self.key)
        for name, policy in self.policies.items():
            out.append(name)
            if policy.stamped:
                out.append(f"{name}_at")
        return tuple(out)

    def key_of(self, claim: dict) -> tuple:
        return tuple(map(claim.__getitem__, self.key))

    def sort_key(self, claim: dict) -> tuple:
        """Claims in a fixed order: by key, then by the import that made them."""
        return (*self.key_of(claim), claim.get("import_id") or "")

    def key_of_item(self, item) -> tuple:
        return tuple(getattr(item, k) for k in self.key)

    def join(self, a: dict, b: dict) -> dict:
        """The claim that says what ``a`` and ``b`` say together (same key)."""
        out = {k: a[k] for k in self.key}
        get_a, get_b = a.get, b.get
        for name, at, policy in self._plan:
            x, y = get_a(name), get_b(name)
            if at is None:  # the same value twice is itself (a shortcut: most claims agree)
                out[name] = x if x == y and policy.idempotent else policy.join(x, y)
            elif x == y and x is not None:  # the same value: the stronger of its stamps
                out[name], out[at] = x, max(get_a(at) or LOWEST, get_b(at) or LOWEST)
            else:
                out[name], out[at] = policy.join((x, get_a(at)), (y, get_b(at)))
        return out

    @property
    def _plan(self) -> tuple:
        """(field, its stamp's column or None, policy), worked out once."""
        plan = self.__dict__.get("_plan_cache")
        if plan is None:
            plan = tuple((n, f"{n}_at" if p.stamped else None, p)
                         for n, p in self.policies.items())
            object.__setattr__(self, "_plan_cache", plan)
        return plan

    @cached_property
    def _claim_plan(self) -> tuple:
        """(field, its stamp's column or None, whether it is a union), worked out once (and
        then read as a plain attribute: claims are made by the 100,000)."""
        return tuple((n, at, p.__class__ is Union) for n, at, p in self._plan)

    def fold(self, claims: Iterable[dict]) -> dict | None:
        """Every claim about one thing, combined; None when there are none. (Claims are as
        :meth:`claim` makes them: a lone claim is already its own fold.)"""
        folded = None
        for claim in claims:
            folded = claim if folded is None else self.join(folded, claim)
        return folded

    def claim(self, item, stamps: dict[str, str] | None = None, *,
              default_stamp: str = LOWEST) -> dict:
        """A model object as a claim: blanks and the "not said" defaults become unknown (None),
        and stamped fields take their stamp from ``stamps`` (by field) or ``default_stamp``."""
        return self.claim_of(item.__getattribute__, stamps, default_stamp=default_stamp)

    def claim_of(self, value_of, stamps: dict[str, str] | None = None, *,
                 default_stamp: str = LOWEST) -> dict:
        """A claim from ``value_of(field)`` (an object's attributes, or a dict's ``get``)."""
        out = {}
        for name in self.key:
            out[name] = value_of(name)
        for name, at, union in self._claim_plan:  # (made by the 100,000: kept tight)
            value = value_of(name)
            if value is not None:
                if value == "" or value == ():
                    value = None
                elif union:
                    value = tuple(sorted(set(value)))
            out[name] = value
            if at is not None:
                out[at] = None if value is None else (
                    stamps.get(name, default_stamp) if stamps else default_stamp)
        return out

    def to_item(self, claim: dict):
        """A claim as a model object that keeps its unknowns (None), for a batch."""
        return self.model(**{f.name: claim.get(f.name) for f in fields(self.model)})

    def stamps_of(self, claim: dict) -> dict[str, str]:
        return {name: claim[f"{name}_at"] for name, policy in self.policies.items()
                if policy.stamped and claim.get(f"{name}_at")}

    def to_model(self, folded: dict):
        """What a folded claim reads back as: unknowns take the model's defaults."""
        return self.model(**self.values(folded))

    def values(self, folded: dict) -> dict:
        """The model's fields of a folded claim, in the model's order (what :meth:`to_model`
        makes the object of; a store that writes plain values need not make the object)."""
        values = {}
        for name, default in self.defaults:
            value = folded.get(name)
            if value is None and default is not KEY:
                value = self.unknown(name, folded) if default is DERIVED else default
            values[name] = value
        return values

    @property
    def defaults(self) -> tuple:
        """(field, what it reads as when unknown), worked out once: keys have none, a
        person's consent is derived, the rest take the model's defaults."""
        found = self.__dict__.get("_defaults_cache")
        if found is None:
            found = tuple((f.name, KEY if f.name not in self.policies else
                           DERIVED if (self.model is model.Person and f.name == "consent")
                           else (None if f.default is MISSING else f.default))
                          for f in fields(self.model))
            object.__setattr__(self, "_defaults_cache", found)
        return found

    def unknown(self, name: str, folded: dict):
        """What a field nobody stated reads as."""
        if self.model is model.Person and name == "consent":
            return default_consent(folded.get("lived_experience"))
        return dict(self.defaults)[name]


KEY, DERIVED = object(), object()


def default_consent(lived_experience: str | None) -> str:
    """Privacy by default: people taking part as patients or carers are counted, not named,
    unless a file (or an admin, by hand) says they are happy to be named."""
    return "named" if (lived_experience or "none") == "none" else "aggregate"


PLACES = Fact("places", model.Place, ("id",), {
    "kind": Smallest(), "name": Latest(), "code": Smallest(), "parent_id": Latest()})
SECTORS = Fact("sectors", model.Sector, ("id",), {"name": Latest(), "category": Latest()})
ORGANISATIONS = Fact("organisations", model.Organisation, ("id",), {
    "name": Latest(), "sector_ids": Union(), "place_id": Latest(),
    "scope": Ranked(model.SCOPES), "type": Ranked(("other", "vcse", "statutory")),
    "aliases": Union()})
PEOPLE = Fact("people", model.Person, ("id",), {
    "name": Latest(), "email": Smallest(), "lived_experience": Ranked(("none", "carer",
                                                                       "lived_experience")),
    # the person's latest word; on one day, not being named wins
    "consent": Latest(prefer=("named", "aggregate")), "expertise": Union(), "place_id": Latest()})
EMPLOYMENTS = Fact("employments", model.Employment, ("person_id", "organisation_id"), {
    "role": Latest(), "seniority": Ranked(("staff", "senior"))})
COMMUNITIES = Fact("communities", model.Community, ("id",), {
    "name": Latest(), "domain": Latest(), "scope": Latest(),
    "place_id": Latest(), "started": Smallest()})
SESSIONS = Fact("sessions", model.Session, ("id",), {
    "community_id": Smallest(), "title": Latest(), "held_on": Smallest(),
    "place_id": Latest(), "online": Largest()})
# A visit: the longest stay any file records, the most senior role any file gives, and (when
# two files name different organisations for one visit) the first in sort order. Repeated rows
# of one file are rejoins: see REJOINS.
ATTENDANCE = Fact("attendance", model.Attendance, ("session_id", "person_id"), {
    "organisation_id": Smallest(), "minutes": Largest(),
    "role": Ranked(tuple(reversed(model.ATTENDANCE_ROLES)))})
DECLARED_TIES = Fact("declared_ties", model.DeclaredTie, ("source_id", "target_id"), {
    "weight": Largest(), "declared_on": Smallest(), "note": Latest()})

FACTS: dict[str, Fact] = {f.part: f for f in (
    PLACES, SECTORS, ORGANISATIONS, PEOPLE, EMPLOYMENTS, COMMUNITIES, SESSIONS, ATTENDANCE,
    DECLARED_TIES)}
assert tuple(FACTS) == model.BATCH_PARTS


# Rows of one file about one visit: stays add up; the rest as for any two claims.
REJOINS = Fact("attendance", model.Attendance, ATTENDANCE.key, {
    **ATTENDANCE.policies, "minutes": Sum()})


def claims(batch: model.Batch, skip: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    """A batch's facts as claims, part by part, stamped as the batch says (``batch.stamps``:
    part -> key -> field -> stamp; anything not stamped takes ``batch.default_stamp``). Parts
    the batch already holds as claims (``batch.claims``, gathered by a :class:`ClaimSet`) are
    given as they are."""
    out = {}
    for part, fact in FACTS.items():
        if part in skip:
            continue
        if part in batch.claims:
            out[part] = batch.claims[part]
            continue
        items = getattr(batch, part)
        if not len(items):
            continue
        stamps = batch.stamps.get(part, {})
        default = batch.default_stamp or LOWEST
        out[part] = [fact.claim(item, stamps.get(fact.key_of_item(item)),
                                default_stamp=default) for item in items]
    return out


class ClaimSet:
    """The claims of one import as they are gathered, file by file: each thing once, what two
    files say of it joined by the rules (so one import of two files says what two imports of
    one file each say).

    >>> gathered = ClaimSet()
    >>> gathered.add("people", model.Person("person:1", "Ann", consent=None), stamp(date(2019, 1, 1)))
    >>> gathered.add("people", model.Person("person:1", "Ann Lee", consent=None), stamp(date(2018, 1, 1)))
    >>> [claim] = gathered.batch().claims["people"]
    >>> claim["name"], claim["name_at"]
    ('Ann', '02019-01-01')
    """

    def __init__(self):
        self._claims: dict[str, dict[tuple, dict]] = {part: {} for part in FACTS}

    def add(self, part: str, item, evidence: str) -> None:
        """What a model object says (``item``), or a dict of its fields, as of ``evidence``,
        joined at once with what was gathered about the same thing (the fold of a thing's
        claims in the order they came)."""
        fact = FACTS[part]
        value_of = item.get if isinstance(item, dict) else item.__getattribute__
        claim = fact.claim_of(value_of, default_stamp=evidence)
        gathered = self._claims[part]
        key = fact.key_of(claim)
        held = gathered.get(key)
        gathered[key] = claim if held is None else fact.join(held, claim)

    def __contains__(self, part_and_key: tuple) -> bool:
        part, key = part_and_key
        return key in self._claims[part]

    def count(self, part: str) -> int:
        return len(self._claims[part])

    def batch(self, **parts) -> model.Batch:
        """Everything gathered, as a batch of claims (``parts`` given here, as model objects,
        replace gathered ones)."""
        out = model.Batch()
        for part in FACTS:
            if self._claims[part]:
                out.claims[part] = list(self._claims[part].values())
        for part, items in parts.items():
            setattr(out, part, items)
            out.claims.pop(part, None)
        return out
