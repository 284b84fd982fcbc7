"""The SQL of the SQLite store's writes: an upsert per part, and the model-to-row mapping."""

from __future__ import annotations

from datetime import date
from typing import Iterator

ATTENDANCE_CONFLICT = """
        ON CONFLICT (session_id, person_id) DO UPDATE SET
        organisation_id = coalesce(excluded.organisation_id, organisation_id),
        minutes = coalesce(excluded.minutes, minutes), role = excluded.role"""
# The visits an import spooled to disk, copied by SQLite itself (``WHERE true`` tells the parser
# that ON CONFLICT belongs to the INSERT, not to a join).
COPY_SPOOL = """INSERT INTO attendance (session_id, person_id, organisation_id, minutes, role,
        import_id) SELECT session_id, person_id, organisation_id, minutes, role, ?
        FROM spool.visits WHERE true ORDER BY session_id, person_id""" + ATTENDANCE_CONFLICT

# An upsert per part. A later import fills in what an earlier one left unknown but never
# blanks a known value with an unknown one (a Zoom export knows less than a register).
UPSERT = {
    "places": """INSERT INTO places (id, kind, name, code, parent_id) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
        code = excluded.code, parent_id = coalesce(excluded.parent_id, parent_id)""",
    "sectors": """INSERT INTO sectors (id, name, category) VALUES (?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category""",
    "organisations": """INSERT INTO organisations (id, name, place_id, scope, type, created_by)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name,
        place_id = coalesce(excluded.place_id, place_id),
        scope = CASE WHEN excluded.scope != 'local' THEN excluded.scope ELSE scope END,
        type = CASE WHEN excluded.type != 'other' THEN excluded.type ELSE type END""",
    "people": """INSERT INTO people (id, name, email, lived_experience, consent, expertise,
        place_id, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name,
        email = coalesce(excluded.email, email),
        lived_experience = CASE WHEN excluded.lived_experience != 'none'
            THEN excluded.lived_experience ELSE lived_experience END,
        consent = CASE WHEN consent = 'withdrawn' THEN consent ELSE excluded.consent END,
        expertise = CASE WHEN excluded.expertise != '' THEN excluded.expertise ELSE expertise END,
        place_id = coalesce(excluded.place_id, place_id)""",
    "employments": """INSERT INTO employments (person_id, organisation_id, role, seniority)
        VALUES (?, ?, ?, ?)
        ON CONFLICT (person_id, organisation_id) DO UPDATE SET
        role = CASE WHEN excluded.role != '' THEN excluded.role ELSE role END,
        seniority = CASE WHEN excluded.seniority = 'senior' THEN 'senior' ELSE seniority END""",
    "communities": """INSERT INTO communities (id, name, domain, scope, place_id, started,
        created_by) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name,
        domain = CASE WHEN excluded.domain != '' THEN excluded.domain ELSE domain END,
        scope = excluded.scope, place_id = coalesce(excluded.place_id, place_id),
        started = coalesce(excluded.started, started)""",
    "sessions": """INSERT INTO sessions (id, community_id, title, held_on, place_id, online,
        created_by) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET title = excluded.title,
        place_id = coalesce(excluded.place_id, place_id), online = excluded.online""",
    "attendance": """INSERT INTO attendance (session_id, person_id, organisation_id, minutes,
        role, import_id) VALUES (?, ?, ?, ?, ?, ?)""" + ATTENDANCE_CONFLICT,
    "declared_ties": """INSERT INTO declared_ties (source_id, target_id, weight, declared_on,
        note, import_id) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (source_id, target_id) DO UPDATE SET weight = excluded.weight,
        declared_on = excluded.declared_on, note = excluded.note""",
}


REBUILD_INDEX_ABOVE = 50_000


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def rows(part: str, items: list, by: str | None = None) -> Iterator[tuple]:
    """Turn model objects into the column tuples of ``UPSERT[part]``; ``by`` is the import."""
    for x in items:
        if part == "places":
            yield (x.id, x.kind, x.name, x.code, x.parent_id)
        elif part == "sectors":
            yield (x.id, x.name, x.category)
        elif part == "organisations":
            yield (x.id, x.name, x.place_id, x.scope, x.type, by)
        elif part == "people":
            expertise = ";".join(x.expertise)
            yield (x.id, x.name, x.email, x.lived_experience, x.consent, expertise, x.place_id, by)
        elif part == "employments":
            yield (x.person_id, x.organisation_id, x.role, x.seniority)
        elif part == "communities":
            yield (x.id, x.name, x.domain, x.scope, x.place_id, iso(x.started), by)
        elif part == "sessions":
            yield (x.id, x.community_id, x.title, x.held_on.isoformat(), x.place_id, int(x.online),
                   by)
        elif part == "attendance":
            yield (x.session_id, x.person_id, x.organisation_id, x.minutes, x.role, by)
        elif part == "declared_ties":
            yield (x.source_id, x.target_id, x.weight, iso(x.declared_on), x.note, by)
