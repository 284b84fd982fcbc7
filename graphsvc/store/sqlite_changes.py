"""What changes a SQLite graphsvc database: storing an import's claims, undoing an import,
merging two people or two organisations, consent by hand, erasure. Each function runs inside
the caller's write transaction (:meth:`SQLiteStore._writing`).

Claims are never edited in place to combine them: where two claims meet (a merge), they are
joined in Python by :mod:`graphsvc.rules`, the same rules the views fold with.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

from graphsvc import rules
from graphsvc.errors import NotFound, StoreError
from graphsvc.model import Batch, MatchReview
from graphsvc.store import sqlite_rules as sql
from graphsvc.archive import names_in, without_name
from graphsvc.store.base import check_consent

HAND = "hand"  # the source of claims an admin made by hand (consent, a merge's alias)

# what each part's claims refer to: (part, column, the part whose ids it names)
REFERENCES = (
    ("places", "parent_id", "places"),
    ("organisations", "place_id", "places"),
    ("organisations", "sector_ids", "sectors"),
    ("people", "place_id", "places"),
    ("employments", "person_id", "people"),
    ("employments", "organisation_id", "organisations"),
    ("communities", "place_id", "places"),
    ("sessions", "community_id", "communities"),
    ("sessions", "place_id", "places"),
    ("attendance", "session_id", "sessions"),
    ("attendance", "person_id", "people"),
    ("attendance", "organisation_id", "organisations"),
    ("declared_ties", "source_id", "people organisations"),
    ("declared_ties", "target_id", "people organisations"),
)


def write_claims(db: sqlite3.Connection, batch: Batch, source: str, spool=None) -> dict:
    """Store a batch as the claims of ``source``; rows per part."""
    written = {}
    claims = rules.claims(batch, skip=("attendance",) if spool is not None else ())
    for part, rows in claims.items():
        fact = rules.FACTS[part]
        folded: dict[tuple, dict] = {}
        for claim in rows:  # one claim per thing per source
            key = fact.key_of(claim)
            folded[key] = claim if key not in folded else fact.join(folded[key], claim)
        db.executemany(sql.insert(fact), (sql.encode(fact, c) + (source,)
                                          for c in folded.values()))
        written[part] = len(folded)
    if spool is not None and len(spool):
        # no index beside the key: visits are looked up by import or person only to undo, merge
        # or erase (a scan of a few hundred thousand rows), and each index slows every load
        db.execute(spool_copy(), (source,))
        written["attendance"] = len(spool)
    return written


def spool_copy() -> str:
    """The import's visits, folded across its files by the visit rules, copied from the spool
    (attached as ``spool``) by SQLite itself."""
    from graphsvc.spool import folded_visits

    fact = rules.ATTENDANCE
    return (f"INSERT INTO attendance_claims ({', '.join(fact.columns)}, import_id) "
            f"SELECT *, ? FROM ({folded_visits('spool.visits')})")


def drop_forgotten(db: sqlite3.Connection, source: str) -> int:
    """Inside an import's transaction: drop what it claimed about people who were erased, so
    they never come back. How many such people it named."""
    people = db.execute("SELECT count(*) FROM people_claims WHERE import_id = ? AND id IN "
                        "(SELECT id FROM forgotten)", (source,)).fetchone()[0]
    if people:
        for statement in (
                "DELETE FROM people_claims WHERE import_id = ? AND id IN (SELECT id FROM forgotten)",
                "DELETE FROM attendance_claims WHERE import_id = ? AND person_id IN "
                "(SELECT id FROM forgotten)",
                "DELETE FROM employments_claims WHERE import_id = ? AND person_id IN "
                "(SELECT id FROM forgotten)",
                "DELETE FROM declared_ties_claims WHERE import_id = ? AND (source_id IN "
                "(SELECT id FROM forgotten) OR target_id IN (SELECT id FROM forgotten))"):
            db.execute(statement, (source,))
    return people


def _dangling(db: sqlite3.Connection, part: str, column: str, targets: str,
              where: str, args: tuple) -> tuple | None:
    """A claim of ``part`` (restricted by ``where``) naming something no claim holds; each
    distinct value is looked up once."""
    value = "j.value" if column == "sector_ids" else f"c.{column}"
    each = ", json_each(c.sector_ids) j" if column == "sector_ids" else ""
    missing = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {t}_claims t WHERE t.id = v.value)"
                           for t in targets.split())
    return db.execute(  # table and column names from REFERENCES, never from input
        f"SELECT v.import_id, v.value FROM (SELECT DISTINCT c.import_id, {value} AS value "  # noqa: S608
        f"FROM {part}_claims c{each} WHERE {value} IS NOT NULL AND {where}) v "
        f"WHERE {missing} LIMIT 1", args).fetchone()


def check_references(db: sqlite3.Connection, source: str, *, skip=()) -> None:
    """Refuse claims of ``source`` that name something neither they nor the store hold
    (``skip``: parts known to refer only to what the same import claims)."""
    for part, column, targets in REFERENCES:
        if part in skip:
            continue
        found = _dangling(db, part, column, targets, "c.import_id = ?", (source,))
        if found:
            raise StoreError(f"the import breaks the database's integrity ({part}.{column} "
                             f"names {found[1]!r}, which does not exist); nothing was written")


def undo(db: sqlite3.Connection, import_id: str) -> dict[str, int]:
    """Remove an import's claims: what only it said goes, what others also said is folded
    again without it. Refused if a later import relies on something only this one added."""
    removed = only_claimed(db, import_id)
    for part in rules.FACTS:
        db.execute(f"DELETE FROM {part}_claims WHERE import_id = ?", (import_id,))  # noqa: S608
    for part, column, targets in REFERENCES:
        found = _dangling(db, part, column, targets, "1", ())
        if found:
            raise StoreError(
                f"import {import_id} cannot be undone: import {found[0]} uses {found[1]!r} "
                f"({part.replace('_', ' ')}), which only import {import_id} added; undo "
                f"{found[0]} first")
    db.execute("DELETE FROM match_reviews WHERE import_id = ? AND status = 'pending'",
               (import_id,))
    _tidy(db)
    db.execute("UPDATE imports SET undone_at = ? WHERE id = ?", (_now(), import_id))
    return {part: n for part, n in removed.items() if n}


def only_claimed(db: sqlite3.Connection, import_id: str) -> dict[str, int]:
    """How many things, per part, only this import claims (what undoing it removes)."""
    found = {}
    for part, fact in rules.FACTS.items():
        key = ", ".join(fact.key)
        found[part] = db.execute(  # names from the rules
            f"SELECT count(*) FROM (SELECT DISTINCT {key} FROM {part}_claims c "  # noqa: S608
            f"WHERE import_id = ? AND NOT EXISTS (SELECT 1 FROM {part}_claims o WHERE "
            + " AND ".join(f"o.{k} = c.{k}" for k in fact.key)
            + " AND o.import_id != c.import_id))", (import_id,)).fetchone()[0]
    return found


def _tidy(db: sqlite3.Connection) -> None:
    """Reviews of organisations and aliases of people that no longer exist go too."""
    db.execute("DELETE FROM match_reviews WHERE candidate_id NOT IN "
               "(SELECT id FROM organisations_claims)")
    db.execute("DELETE FROM person_aliases WHERE person_id NOT IN (SELECT id FROM people_claims)")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _require(db, part: str, *ids: str) -> None:
    for node in ids:
        if not db.execute(f"SELECT 1 FROM {part}_claims WHERE id = ?",  # noqa: S608
                          (node,)).fetchone():  # part from a fixed list
            raise NotFound(f"no {'person' if part == 'people' else 'organisation'} {node!r}")


def _rekey(db: sqlite3.Connection, part: str, column: str, old: str, new: str,
           change=None) -> None:
    """Claims of ``part`` whose ``column`` is ``old`` become claims about ``new``; where the
    same source already has a claim about the new key, the two are joined by the rules."""
    fact = rules.FACTS[part]
    moved = [sql.decode(fact, row[:-1]) | {"import_id": row[-1]} for row in db.execute(
        sql.select_claims(fact, f"WHERE {column} = ?"), (old,))]
    db.execute(f"DELETE FROM {part}_claims WHERE {column} = ?", (old,))  # noqa: S608
    for claim in moved:
        claim[column] = new
        if change is not None:
            claim = change(claim)
            if claim is None:
                continue
        _store_joined(db, fact, claim)


def _store_joined(db, fact, claim: dict) -> None:
    source = claim.pop("import_id")
    where = " AND ".join(f"{k} = ?" for k in fact.key) + " AND import_id = ?"
    args = (*fact.key_of(claim), source)
    row = db.execute(sql.select_claims(fact, f"WHERE {where}"), args).fetchone()
    if row is not None:
        claim = fact.join(sql.decode(fact, row[:-1]), claim)
        db.execute(f"DELETE FROM {fact.part}_claims WHERE {where}", args)  # noqa: S608
    db.execute(sql.insert(fact), sql.encode(fact, claim) + (source,))


def _declared_ends(keep: str):
    """A declared tie moved onto ``keep``: its ends in order, and none to itself."""
    def change(claim):
        ends = sorted((claim["source_id"], claim["target_id"]))
        if ends[0] == ends[1]:
            return None
        return claim | {"source_id": ends[0], "target_id": ends[1]}
    return change


def merge_people(db: sqlite3.Connection, keep: str, other: str) -> None:
    if keep == other:
        raise NotFound("a person cannot be merged with themself")
    _require(db, "people", keep, other)
    _rekey(db, "people", "id", other, keep)
    _rekey(db, "attendance", "person_id", other, keep)
    _rekey(db, "employments", "person_id", other, keep)
    for column in ("source_id", "target_id"):
        _rekey(db, "declared_ties", column, other, keep, _declared_ends(keep))
    db.execute("UPDATE person_aliases SET person_id = ? WHERE person_id = ?", (keep, other))
    db.execute("INSERT OR REPLACE INTO person_aliases (alias, person_id) VALUES (?, ?)",
               (other, keep))


def merge_organisations(db: sqlite3.Connection, keep: str, other: str) -> None:
    if keep == other:
        raise NotFound("an organisation cannot be merged with itself")
    _require(db, "organisations", keep, other)

    def as_alias(claim):  # what the other called itself becomes another name of keep's
        name = claim.pop("name")
        claim["name_at"] = None
        claim["aliases"] = rules.Union().join(claim.get("aliases"), (name,) if name else ())
        return claim

    _rekey(db, "organisations", "id", other, keep, as_alias)
    db.execute("UPDATE attendance_claims SET organisation_id = ? WHERE organisation_id = ?",
               (keep, other))
    _rekey(db, "employments", "organisation_id", other, keep)
    for column in ("source_id", "target_id"):
        _rekey(db, "declared_ties", column, other, keep, _declared_ends(keep))
    db.execute("DELETE FROM match_reviews WHERE (new_id = ? AND status = 'pending') "
               "OR candidate_id = ?", (other, other))


def add_alias(db: sqlite3.Connection, organisation_id: str, alias: str) -> None:
    """An admin's word that ``alias`` is another name of the organisation."""
    _store_joined(db, rules.ORGANISATIONS, {"id": organisation_id, "aliases": (alias,),
                                            "import_id": HAND})


def set_consent(db: sqlite3.Connection, person_id: str, consent: str) -> None:
    """An admin's record of a person's consent: it replaces their earlier record, and stands
    until a file about a later session says otherwise."""
    check_consent(consent)
    _require(db, "people", person_id)
    db.execute("INSERT INTO people_claims (id, import_id, consent, consent_at) VALUES "
               "(?, ?, ?, ?) ON CONFLICT (id, import_id) DO UPDATE SET "
               "consent = excluded.consent, consent_at = excluded.consent_at",
               (person_id, HAND, consent, rules.stamp(date.today())))


def decide_review(db: sqlite3.Connection, review: MatchReview, confirm: bool) -> None:
    db.execute("UPDATE match_reviews SET status = ? WHERE id = ?",
               ("confirmed" if confirm else "rejected", review.id))
    if not confirm:
        return
    if db.execute("SELECT 1 FROM organisations_claims WHERE id = ?",
                  (review.new_id,)).fetchone():
        merge_organisations(db, review.candidate_id, review.new_id)
    else:
        add_alias(db, review.candidate_id, review.name)


def forget_person(db: sqlite3.Connection, person_id: str) -> dict:
    """Delete every claim about a person and everything that names them (attendance,
    employment, declared ties, aliases); remember their id (and former ids) as erased.
    Sessions stay (others attended them). Returns what they were called, for scrubbing the
    archive, and what went."""
    row = db.execute("SELECT name, email FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NotFound(f"no person {person_id!r}")
    former = [a for (a,) in db.execute("SELECT alias FROM person_aliases WHERE person_id = ?",
                                       (person_id,))]
    db.executemany("INSERT OR IGNORE INTO forgotten (id, erased_at) VALUES (?, ?)",
                   [(i, _now()) for i in [person_id, *former]])
    gone = {
        "attendance": _count_delete(db, "attendance", "person_id = ?", (person_id,)),
        "declared_ties": _count_delete(db, "declared_ties", "source_id = ? OR target_id = ?",
                                       (person_id, person_id)),
        "employments": _count_delete(db, "employments", "person_id = ?", (person_id,)),
        "aliases": db.execute("DELETE FROM person_aliases WHERE person_id = ? OR alias = ?",
                              (person_id, person_id)).rowcount,
    }
    db.execute("DELETE FROM people_claims WHERE id = ?", (person_id,))
    return {"name": row[0], "email": row[1], "removed": gone}


def _count_delete(db, part: str, where: str, args: tuple) -> int:
    fact = rules.FACTS[part]
    n = db.execute(f"SELECT count(*) FROM (SELECT DISTINCT {', '.join(fact.key)} "  # noqa: S608
                   f"FROM {part}_claims WHERE {where})", args).fetchone()[0]
    db.execute(f"DELETE FROM {part}_claims WHERE {where}", args)  # noqa: S608
    return n


def redact_name(db: sqlite3.Connection, name: str) -> int:
    """An erased person's name out of session titles and import file names."""
    changed = 0
    for sid, source, title in db.execute(
            "SELECT id, import_id, title FROM sessions_claims WHERE title IS NOT NULL").fetchall():
        if names_in(title, name):
            db.execute("UPDATE sessions_claims SET title = ? WHERE id = ? AND import_id = ?",
                       (without_name(title, name), sid, source))
            changed += 1
    for table, key in (("imports", "id"), ("import_files", "import_id, sha256, options")):
        for *ids, source in db.execute(  # names from this fixed list
                f"SELECT {key}, source FROM {table}").fetchall():  # noqa: S608
            if names_in(source, name):
                where = " AND ".join(f"{k.strip()} = ?" for k in key.split(","))
                db.execute(f"UPDATE {table} SET source = ? WHERE {where}",  # noqa: S608
                           (without_name(source, name), *ids))
                changed += 1
    for import_id, sha, options in db.execute(
            "SELECT import_id, sha256, options FROM import_files").fetchall():
        if names_in(options, name):  # a title given on the command line or in a file name
            db.execute("UPDATE import_files SET options = ? WHERE import_id = ? AND sha256 = ? "
                       "AND options = ?", (without_name(options, name), import_id, sha, options))
            changed += 1
    return changed
