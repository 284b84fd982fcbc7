"""Changes to a SQLite graphsvc database beyond loading: undoing an import, merging two people
or two organisations. Each function runs inside the caller's transaction."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from graphsvc.errors import NotFound
from graphsvc.store.base import check_consent


def undo(db: sqlite3.Connection, import_id: str) -> dict[str, int]:
    """Remove the rows an import first added, and what it created that nothing else uses."""
    removed = {}
    removed["attendance"] = db.execute("DELETE FROM attendance WHERE import_id = ?",
                                       (import_id,)).rowcount
    removed["declared_ties"] = db.execute("DELETE FROM declared_ties WHERE import_id = ?",
                                          (import_id,)).rowcount
    removed["sessions"] = db.execute(
        "DELETE FROM sessions WHERE created_by = ? AND id NOT IN "
        "(SELECT DISTINCT session_id FROM attendance)", (import_id,)).rowcount
    removed["people"] = db.execute(
        "DELETE FROM people WHERE created_by = ? AND id NOT IN "
        "(SELECT DISTINCT person_id FROM attendance) AND id NOT IN "
        "(SELECT source_id FROM declared_ties UNION SELECT target_id FROM declared_ties)",
        (import_id,)).rowcount
    db.execute("DELETE FROM match_reviews WHERE import_id = ? AND status = 'pending'", (import_id,))
    removed["organisations"] = db.execute(
        "DELETE FROM organisations WHERE created_by = ? "
        "AND id NOT IN (SELECT organisation_id FROM attendance WHERE organisation_id IS NOT NULL) "
        "AND id NOT IN (SELECT organisation_id FROM employments) "
        "AND id NOT IN (SELECT candidate_id FROM match_reviews) "
        "AND id NOT IN (SELECT source_id FROM declared_ties UNION SELECT target_id FROM declared_ties)",
        (import_id,)).rowcount
    removed["communities"] = db.execute(
        "DELETE FROM communities WHERE created_by = ? AND id NOT IN "
        "(SELECT community_id FROM sessions)", (import_id,)).rowcount
    db.execute("UPDATE imports SET undone_at = ? WHERE id = ?",
               (datetime.now(timezone.utc).isoformat(timespec="seconds"), import_id))
    return removed


def _require(db, table: str, *ids: str) -> None:
    for node in ids:
        if not db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (node,)).fetchone():  # noqa: S608
            raise NotFound(f"no {table[:-1] if table != 'people' else 'person'} {node!r}")


def _repoint_declared(db, keep: str, other: str) -> None:
    for column, partner in (("source_id", "target_id"), ("target_id", "source_id")):
        db.execute(
            f"INSERT OR IGNORE INTO declared_ties (source_id, target_id, weight, declared_on, note, "  # noqa: S608
            f"import_id) SELECT {'?' if column == 'source_id' else 'source_id'}, "
            f"{'?' if column == 'target_id' else 'target_id'}, weight, declared_on, note, import_id "
            f"FROM declared_ties WHERE {column} = ? AND {partner} != ?", (keep, other, keep))
        db.execute(f"DELETE FROM declared_ties WHERE {column} = ?", (other,))  # noqa: S608


def merge_people(db: sqlite3.Connection, keep: str, other: str) -> None:
    if keep == other:
        raise NotFound("a person cannot be merged with themself")
    _require(db, "people", keep, other)
    db.execute(
        "INSERT INTO attendance (session_id, person_id, organisation_id, minutes, role, import_id) "
        "SELECT session_id, ?, organisation_id, minutes, role, import_id FROM attendance "
        "WHERE person_id = ? ON CONFLICT (session_id, person_id) DO UPDATE SET "
        "minutes = max(coalesce(minutes, 0), coalesce(excluded.minutes, 0))", (keep, other))
    db.execute("INSERT OR IGNORE INTO employments SELECT ?, organisation_id, role, seniority "
               "FROM employments WHERE person_id = ?", (keep, other))
    db.execute("UPDATE people SET email = coalesce(email, (SELECT email FROM people WHERE id = ?)),"
               " place_id = coalesce(place_id, (SELECT place_id FROM people WHERE id = ?)) "
               "WHERE id = ?", (other, other, keep))
    _repoint_declared(db, keep, other)
    db.execute("UPDATE person_aliases SET person_id = ? WHERE person_id = ?", (keep, other))
    db.execute("DELETE FROM people WHERE id = ?", (other,))
    db.execute("INSERT OR REPLACE INTO person_aliases (alias, person_id) VALUES (?, ?)",
               (other, keep))


def merge_organisations(db: sqlite3.Connection, keep: str, other: str) -> None:
    if keep == other:
        raise NotFound("an organisation cannot be merged with itself")
    _require(db, "organisations", keep, other)
    name = db.execute("SELECT name FROM organisations WHERE id = ?", (other,)).fetchone()[0]
    db.execute("UPDATE attendance SET organisation_id = ? WHERE organisation_id = ?", (keep, other))
    db.execute("INSERT OR IGNORE INTO employments SELECT person_id, ?, role, seniority "
               "FROM employments WHERE organisation_id = ?", (keep, other))
    db.execute("INSERT OR IGNORE INTO organisation_sectors SELECT ?, sector_id "
               "FROM organisation_sectors WHERE organisation_id = ?", (keep, other))
    db.execute("UPDATE organisation_aliases SET organisation_id = ? WHERE organisation_id = ?",
               (keep, other))
    db.execute("UPDATE organisations SET place_id = coalesce(place_id, "
               "(SELECT place_id FROM organisations WHERE id = ?)) WHERE id = ?", (other, keep))
    _repoint_declared(db, keep, other)
    db.execute("DELETE FROM match_reviews WHERE new_id = ? AND status = 'pending'", (other,))
    db.execute("DELETE FROM organisations WHERE id = ?", (other,))
    db.execute("INSERT OR REPLACE INTO organisation_aliases (alias, organisation_id) VALUES (?, ?)",
               (name, keep))


def set_consent(db: sqlite3.Connection, person_id: str, consent: str) -> None:
    check_consent(consent)
    if not db.execute("UPDATE people SET consent = ? WHERE id = ?",
                      (consent, person_id)).rowcount:
        raise NotFound(f"no person {person_id!r}")



def forget_person(db: sqlite3.Connection, person_id: str) -> dict:
    """Delete a person and everything that names them: attendance, employment, declared ties,
    aliases; remember their id (and former ids) as erased. Sessions stay (others attended
    them). Returns what they were called, for scrubbing the archive, and what went."""
    row = db.execute("SELECT name, email FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NotFound(f"no person {person_id!r}")
    former = [a for (a,) in db.execute("SELECT alias FROM person_aliases WHERE person_id = ?",
                                       (person_id,))]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    db.executemany("INSERT OR IGNORE INTO forgotten (id, erased_at) VALUES (?, ?)",
                   [(i, now) for i in [person_id, *former]])
    gone = {
        "attendance": db.execute("DELETE FROM attendance WHERE person_id = ?",
                                 (person_id,)).rowcount,
        "declared_ties": db.execute("DELETE FROM declared_ties WHERE source_id = ? OR "
                                    "target_id = ?", (person_id, person_id)).rowcount,
        "employments": db.execute("DELETE FROM employments WHERE person_id = ?",
                                  (person_id,)).rowcount,
        "aliases": db.execute("DELETE FROM person_aliases WHERE person_id = ? OR alias = ?",
                              (person_id, person_id)).rowcount,
    }
    db.execute("DELETE FROM people WHERE id = ?", (person_id,))
    return {"name": row[0], "email": row[1], "removed": gone}


FORGOTTEN = "(SELECT id FROM forgotten)"


def drop_forgotten(db: sqlite3.Connection) -> int:
    """Inside an import's transaction: remove what it wrote about people who were erased,
    so they never come back. How many such people it named."""
    people = db.execute(f"SELECT count(*) FROM people WHERE id IN {FORGOTTEN}").fetchone()[0]
    if people:
        for statement in (f"DELETE FROM attendance WHERE person_id IN {FORGOTTEN}",
                          f"DELETE FROM employments WHERE person_id IN {FORGOTTEN}",
                          f"DELETE FROM declared_ties WHERE source_id IN {FORGOTTEN} "
                          f"OR target_id IN {FORGOTTEN}",
                          f"DELETE FROM person_aliases WHERE person_id IN {FORGOTTEN}",
                          f"DELETE FROM people WHERE id IN {FORGOTTEN}"):
            db.execute(statement)
    return people
