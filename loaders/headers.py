"""Recognising columns by their header names, whatever a form or export called them."""

from __future__ import annotations

import re

from loaders.values import clean_text

# canonical field -> header spellings seen in sign-in sheets and attendance logs
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "attendee name", "participant", "participant name",
             "your name", "delegate name"),
    "first_name": ("first name", "forename", "given name", "first"),
    "last_name": ("last name", "surname", "family name", "last"),
    "email": ("email", "e-mail", "email address", "e-mail address", "user email",
              "work email"),
    "organisation": ("organisation", "organization", "company", "employer", "org",
                     "organisation name", "organization name", "organisation / group"),
    "job_title": ("job title", "role", "job role", "position", "job"),
    "postcode": ("postcode", "post code", "work postcode", "home postcode"),
    "borough": ("borough", "local authority", "district", "your borough", "ward",
                "neighbourhood", "area"),
    "attending_as": ("attending as", "i am attending as", "member category",
                     "participant type", "lived experience"),
    "consent": ("consent", "consent to be named", "happy to be named", "named consent"),
    "expertise": ("expertise", "interests", "skills", "areas of expertise"),
    "minutes": ("minutes", "duration (minutes)", "duration", "time attended (minutes)"),
    "session_role": ("session role", "attendance role", "participation", "took part as"),
    "date": ("date", "session date", "event date", "meeting date"),
    "session": ("session", "session title", "event", "event name", "meeting", "topic",
                "title"),
    "community": ("community", "community of practice", "cop", "programme", "network"),
    "place": ("place", "venue", "location", "session place", "held in"),
}
_LOOKUP = {spelling: field for field, spellings in ALIASES.items() for spelling in spellings}


def header_key(text: str) -> str:
    text = text.replace("\ufeff", "").strip().lower()
    return re.sub(r"\s+", " ", text.replace("_", " "))


def map_columns(header: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Canonical field -> column index. ``mapping`` names columns the table does not know.

    The first column wins where two headers mean the same field.
    """
    extra = {header_key(k): v for k, v in (mapping or {}).items()}
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = header_key(raw)
        field = extra.get(key) or _LOOKUP.get(key)
        if field and field not in found:
            found[field] = index
    return found


def columns_by_key(header: list[str]) -> dict[str, int]:
    """Each header's key and its column; where two headers share a key, the first wins."""
    return {header_key(h): i for i, h in reversed(list(enumerate(header)))}


def first_filled(cells: list[str], columns: dict[str, int], *keys: str) -> str:
    """The cleaned text of the first of ``keys`` whose cell in this row is filled ('' if none)."""
    for key in keys:
        i = columns.get(key)
        if i is not None and i < len(cells) and cells[i].strip():
            return clean_text(cells[i])
    return ""
