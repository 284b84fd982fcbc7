"""The partnership's world: people, organisations, sectors, places, communities, sessions.

Entities are small frozen dataclasses with stable string ids. Ids are derived from what
identifies a thing in the real world (an ONS code, an email, a normalised name), so loading
the same file twice, or into another store, gives the same ids.

This module imports only the standard library.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date

PLACE_KINDS = ("region", "borough", "ward")
SCOPES = ("local", "regional", "national")
ORGANISATION_TYPES = ("vcse", "statutory", "other")
SECTOR_CATEGORIES = ("vcse", "statutory", "national", "member", "other")
LIVED_EXPERIENCE = ("none", "lived_experience", "carer")
CONSENT_STATES = ("named", "aggregate", "withdrawn")
SENIORITY = ("senior", "staff")
# "registered": booked, not (yet) attended (an Eventbrite list loaded as registrations)
ATTENDANCE_ROLES = ("organiser", "facilitator", "presenter", "attendee", "registered")
COMMUNITY_SCOPES = ("national", "place")


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``"Carers' Trust"`` -> ``"carers-trust"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def normalise_name(text: str) -> str:
    """Fold case, accents, punctuation and spacing so that spellings of one name agree."""
    return " ".join(slug(text).split("-"))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name for matching.

    >>> fold("  Zoë  O'Brien ")
    "zoe o'brien"
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def name_order(text: str) -> tuple[str, str]:
    """The key that lists names as a reader looks for them: regardless of case and accents
    (then as written, so the order is total).

    >>> sorted(["de Vries", "Zoë", "Adams", "Émile"], key=name_order)
    ['Adams', 'de Vries', 'Émile', 'Zoë']
    """
    return fold(text), text


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def place_id(code: str) -> str:
    return f"place:{code}"


def sector_id(name: str) -> str:
    return f"sector:{slug(name)}"


def organisation_id(name: str) -> str:
    return f"org:{slug(name)}"


def community_id(name: str) -> str:
    return f"community:{slug(name)}"


@lru_cache(maxsize=1 << 17)
def person_id(email: str | None, name: str, organisation: str | None) -> str:
    """A person is keyed by email where known, else by normalised name and organisation.

    The id is a digest so that it carries no personal data into URLs or logs.
    """
    if email:
        key = "email:" + email.strip().lower()
    else:
        key = "name:" + normalise_name(name) + "|" + normalise_name(organisation or "")
    return f"person:{_digest(key)}"


@lru_cache(maxsize=1 << 14)
def session_id(community: str, held_on: date, title: str) -> str:
    return f"session:{slug(community)}:{held_on.isoformat()}:{_digest(normalise_name(title))[:6]}"


@dataclass(frozen=True, slots=True)
class Place:
    """A region, borough or ward; boroughs and wards carry their ONS codes."""

    id: str
    kind: str
    name: str
    code: str
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class Sector:
    """A sector of the taxonomy in ``data/sectors.csv``; its category groups it (VCSE, statutory, ...)."""

    id: str
    name: str
    category: str


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    sector_ids: tuple[str, ...] = ()
    place_id: str | None = None
    scope: str = "local"
    type: str = "other"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who takes part. ``consent`` says whether they may appear by name."""

    id: str
    name: str
    email: str | None = None
    lived_experience: str = "none"
    consent: str | None = "named"  # None in an import: the file says nothing of consent
    expertise: tuple[str, ...] = ()
    place_id: str | None = None


@dataclass(frozen=True, slots=True)
class Employment:
    """A person works at an organisation, in a role, at a seniority."""

    person_id: str
    organisation_id: str
    role: str = ""
    seniority: str = "staff"


@dataclass(frozen=True, slots=True)
class Community:
    """A community of practice: its domain, and whether it is national or owned by a place."""

    id: str
    name: str
    domain: str = ""
    scope: str = "national"
    place_id: str | None = None
    started: date | None = None


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    community_id: str
    title: str
    held_on: date
    place_id: str | None = None
    online: bool = False


@dataclass(frozen=True, slots=True)
class Attendance:
    """A person attended a session, on behalf of an organisation, for so many minutes."""

    session_id: str
    person_id: str
    organisation_id: str | None = None
    minutes: int | None = None
    role: str = "attendee"


@dataclass(frozen=True, slots=True)
class DeclaredTie:
    """A tie someone told us about (a survey), between two people or two organisations."""

    source_id: str
    target_id: str
    weight: float = 1.0
    declared_on: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class MatchReview:
    """An organisation name that resembles a known one too little to merge and too much to
    ignore: it waits for someone to confirm or reject the match."""

    name: str
    new_id: str
    candidate_id: str
    score: float
    id: int | None = None
    status: str = "pending"
    import_id: str | None = None


@dataclass
class Batch:
    """Everything one import adds. A store applies a batch whole, or not at all."""

    source: str = ""
    places: list[Place] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    employments: list[Employment] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    declared_ties: list[DeclaredTie] = field(default_factory=list)
    reviews: list[MatchReview] = field(default_factory=list)
    # how strong each claim's evidence is (see graphsvc.rules): part -> key -> field -> stamp
    stamps: dict = field(default_factory=dict)
    default_stamp: str = ""
    # the same facts already made into claims (graphsvc.rules.ClaimSet), part -> claims
    claims: dict = field(default_factory=dict)

    def size(self) -> int:
        return sum(len(getattr(self, name)) for name in BATCH_PARTS)


BATCH_PARTS = (
    "places",
    "sectors",
    "organisations",
    "people",
    "employments",
    "communities",
    "sessions",
    "attendance",
    "declared_ties",
)
