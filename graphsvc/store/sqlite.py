"""The embedded default store: one SQLite file, nothing to start.

Foreign keys are enforced, the journal is WAL, every :meth:`SQLiteStore.apply` is one
``BEGIN IMMEDIATE`` transaction that also bumps the revision, and the schema moves forward by
the migrations in :mod:`graphsvc.store.schema`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Iterator

from graphsvc.errors import NotFound, SchemaError, StoreError
from graphsvc.model import (
    Attendance,
    Batch,
    Community,
    DeclaredTie,
    Employment,
    MatchReview,
    Organisation,
    Person,
    Place,
    Sector,
    Session,
)
from graphsvc.spool import VisitSpool
from graphsvc.store.base import COUNTED, History, ImportFile, ImportRecord
from graphsvc.store import sqlite_sql as sql
from graphsvc.store.schema import LATEST, MIGRATIONS

class SQLiteStore:
    """A graphsvc database in one SQLite file.

    >>> import tempfile, os
    >>> store = SQLiteStore(os.path.join(tempfile.mkdtemp(), "g.db"))
    >>> store.counts()["people"]
    0
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.url = f"sqlite:{self.path}"
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; give a database file path")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA cache_size = -65536")  # 64 MiB: enough for bulk loads, and a bound
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a graphsvc SQLite database ({exc})") from exc

    # -- schema -----------------------------------------------------------------------
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > LATEST:
            raise SchemaError(
                f"{self.path} has schema version {version}, newer than this graphsvc "
                f"understands ({LATEST}); upgrade graphsvc"
            )
        for number in range(version, LATEST):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[number]):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number + 1}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def revision(self) -> int:
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])

    # -- writing ----------------------------------------------------------------------
    def apply(self, batch: Batch, record: ImportRecord | None = None) -> dict[str, int]:
        """Write the whole batch in one transaction, or nothing at all."""
        return self._apply(batch, record)

    def restore(self, batch: Batch, history: History) -> None:
        from graphsvc.store.sqlite_history import restore_history

        counts = self.counts()
        if any(counts[part] for part in ("organisations", "people", "sessions")):
            raise StoreError(f"{self.path} already holds data; restore only into an empty store")
        self._apply(batch, None, lambda: restore_history(self._db, history))

    def history(self) -> History:
        from graphsvc.store.sqlite_history import read_history

        return read_history(self._db, self.imports(), self.person_aliases(), self.reviews(None))

    def _apply(self, batch: Batch, record: ImportRecord | None, then=None) -> dict[str, int]:
        written: dict[str, int] = {}
        # A big load inserts faster without the person index, rebuilt once at the end (sorted)
        # than with it maintained row by row; the transaction keeps this invisible.
        rebuild = len(batch.attendance) > sql.REBUILD_INDEX_ABOVE
        spool = batch.attendance if isinstance(batch.attendance, VisitSpool) else None
        if spool is not None:
            spool.flush()
            self._db.execute("ATTACH DATABASE ? AS spool", (str(spool.path),))
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if rebuild:
                self._db.execute("DROP INDEX attendance_by_person")
            self._write_parts(batch, record.id if record else None, spool, written)
            self._drop_forgotten(written)
            self._write_reviews(batch.reviews, record)
            if rebuild:
                self._db.execute("CREATE INDEX attendance_by_person ON attendance(person_id)")
            self._write_organisation_details(batch.organisations)
            if record is not None:
                self._write_import(record, written)
            if then is not None:
                then()
            self._db.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'"
            )
            self._db.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            self._db.execute("ROLLBACK")
            raise StoreError(f"the import breaks the database's integrity ({exc}); "
                             "nothing was written") from exc
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        finally:
            if spool is not None:
                self._db.execute("DETACH DATABASE spool")
        return written

    def _write_parts(self, batch: Batch, by: str | None, spool, written: dict) -> None:
        for part, upsert in sql.UPSERT.items():
            items = getattr(batch, part)
            if not items:
                continue
            if items is spool:
                self._db.execute(sql.COPY_SPOOL, (by,))
            else:
                self._db.executemany(upsert, sql.rows(part, items, by))
            written[part] = len(items)

    def _drop_forgotten(self, written: dict) -> None:
        from graphsvc.store.sqlite_undo import drop_forgotten

        skipped = drop_forgotten(self._db)
        if skipped:
            written["erased_people_skipped"] = skipped

    def forgotten(self) -> set[str]:
        return {i for (i,) in self._db.execute("SELECT id FROM forgotten")}

    def _write_import(self, record: ImportRecord, written: dict) -> None:
        self._db.execute(
            "INSERT INTO imports (id, source, sha256, format, loaded_at, counts) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (record.id, record.source, "", ",".join(sorted({f.format for f in record.files})),
             record.loaded_at, json.dumps({**record.counts, **written})))
        self._db.executemany(
            "INSERT OR IGNORE INTO import_files (import_id, source, sha256, format, rows, archive) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((record.id, f.source, f.sha256, f.format, f.rows, f.archive) for f in record.files))

    def _write_reviews(self, reviews: list[MatchReview], record: ImportRecord | None) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO match_reviews (name, new_id, candidate_id, score, import_id) "
            "VALUES (?, ?, ?, ?, ?)",
            ((r.name, r.new_id, r.candidate_id, r.score, record.id if record else None)
             for r in reviews))

    def _write_organisation_details(self, organisations: list[Organisation]) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO organisation_sectors (organisation_id, sector_id) VALUES (?, ?)",
            ((o.id, s) for o in organisations for s in o.sector_ids),
        )
        self._db.executemany(
            "INSERT INTO organisation_aliases (alias, organisation_id) VALUES (?, ?) "
            "ON CONFLICT (alias) DO UPDATE SET organisation_id = excluded.organisation_id",
            ((a, o.id) for o in organisations for a in o.aliases),
        )

    # -- reading ----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {
            part: self._db.execute(f"SELECT count(*) FROM {part}").fetchone()[0]  # noqa: S608
            for part in COUNTED  # table names from a fixed tuple, never from input
        }

    def places(self) -> list[Place]:
        rows = self._db.execute("SELECT id, kind, name, code, parent_id FROM places ORDER BY id")
        return [Place(*row) for row in rows]

    def sectors(self) -> list[Sector]:
        rows = self._db.execute("SELECT id, name, category FROM sectors ORDER BY id")
        return [Sector(*row) for row in rows]

    def organisations(self) -> list[Organisation]:
        sectors: dict[str, list[str]] = {}
        for org, sector in self._db.execute(
            "SELECT organisation_id, sector_id FROM organisation_sectors ORDER BY 1, 2"
        ):
            sectors.setdefault(org, []).append(sector)
        aliases: dict[str, list[str]] = {}
        for alias, org in self._db.execute(
            "SELECT alias, organisation_id FROM organisation_aliases ORDER BY 2, 1"
        ):
            aliases.setdefault(org, []).append(alias)
        rows = self._db.execute(
            "SELECT id, name, place_id, scope, type FROM organisations ORDER BY id"
        )
        return [
            Organisation(id=i, name=n, sector_ids=tuple(sectors.get(i, ())), place_id=p,
                         scope=s, type=t, aliases=tuple(aliases.get(i, ())))
            for i, n, p, s, t in rows
        ]

    def people(self) -> list[Person]:
        rows = self._db.execute(
            "SELECT id, name, email, lived_experience, consent, expertise, place_id "
            "FROM people ORDER BY id"
        )
        return [
            Person(id=i, name=n, email=e, lived_experience=le, consent=c,
                   expertise=tuple(x for x in ex.split(";") if x), place_id=p)
            for i, n, e, le, c, ex, p in rows
        ]

    def employments(self) -> list[Employment]:
        rows = self._db.execute(
            "SELECT person_id, organisation_id, role, seniority FROM employments ORDER BY 1, 2"
        )
        return [Employment(*row) for row in rows]

    def communities(self) -> list[Community]:
        rows = self._db.execute(
            "SELECT id, name, domain, scope, place_id, started FROM communities ORDER BY id"
        )
        return [Community(i, n, d, s, p, sql.day(st)) for i, n, d, s, p, st in rows]

    def sessions(self) -> list[Session]:
        rows = self._db.execute(
            "SELECT id, community_id, title, held_on, place_id, online FROM sessions ORDER BY id"
        )
        return [Session(i, c, t, date.fromisoformat(h), p, bool(o)) for i, c, t, h, p, o in rows]

    def attendance(self) -> Iterator[Attendance]:
        rows = self._db.execute(
            "SELECT session_id, person_id, organisation_id, minutes, role FROM attendance "
            "ORDER BY session_id, person_id"
        )
        for row in rows:
            yield Attendance(*row)

    def declared_ties(self) -> list[DeclaredTie]:
        rows = self._db.execute(
            "SELECT source_id, target_id, weight, declared_on, note FROM declared_ties ORDER BY 1, 2"
        )
        return [DeclaredTie(s, t, w, sql.day(d), n) for s, t, w, d, n in rows]

    def imports(self) -> list[ImportRecord]:
        files: dict[str, list[ImportFile]] = {}
        for import_id, *rest in self._db.execute(
                "SELECT import_id, source, sha256, format, rows, archive FROM import_files "
                "ORDER BY import_id, source"):
            files.setdefault(import_id, []).append(ImportFile(*rest))
        rows = self._db.execute(
            "SELECT id, loaded_at, counts, undone_at FROM imports ORDER BY loaded_at, id")
        return [ImportRecord(i, t, tuple(files.get(i, ())), json.loads(c), u)
                for i, t, c, u in rows]

    def find_import(self, sha256: str) -> ImportRecord | None:
        row = self._db.execute(
            "SELECT f.import_id FROM import_files f JOIN imports i ON i.id = f.import_id "
            "WHERE f.sha256 = ? AND i.undone_at IS NULL", (sha256,)).fetchone()
        return next((r for r in self.imports() if row and r.id == row[0]), None)

    # -- merges, reviews, undo ---------------------------------------------------------
    def _write(self, work) -> object:
        """Run ``work`` in one write transaction that bumps the revision."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            result = work(self._db)
            self._db.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
            self._db.execute("COMMIT")
            return result
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def undo_import(self, import_id: str) -> dict[str, int]:
        from graphsvc.store.sqlite_undo import undo

        if not self._db.execute("SELECT 1 FROM imports WHERE id = ? AND undone_at IS NULL",
                                (import_id,)).fetchone():
            raise NotFound(f"no import {import_id!r} to undo (see graphsvc imports)")
        return self._write(lambda db: undo(db, import_id))

    def person_aliases(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT alias, person_id FROM person_aliases"))

    def merge_people(self, keep: str, other: str) -> None:
        from graphsvc.store.sqlite_undo import merge_people

        self._write(lambda db: merge_people(db, keep, other))

    def set_consent(self, person_id: str, consent: str) -> None:
        from graphsvc.store.sqlite_undo import set_consent

        self._write(lambda db: set_consent(db, person_id, consent))

    def forget_person(self, person_id: str) -> dict:
        """Erase a person so that no byte of the file still holds them: deleted content is
        zeroed (secure_delete) and the write-ahead log is folded in and emptied."""
        from graphsvc.store.sqlite_undo import forget_person

        (before,) = self._db.execute("PRAGMA secure_delete").fetchone()
        self._db.execute("PRAGMA secure_delete = ON")
        try:
            result = self._write(lambda db: forget_person(db, person_id))
        finally:
            self._db.execute(f"PRAGMA secure_delete = {int(before)}")
        for _ in range(50):  # a reader still on an older snapshot holds the log for a moment
            busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                break
            time.sleep(0.1)
        else:
            raise StoreError(f"{self.path}: could not empty the write-ahead log after erasing; "
                             "close other programs using the database and run forget again")
        return result

    def merge_organisations(self, keep: str, other: str) -> None:
        from graphsvc.store.sqlite_undo import merge_organisations

        self._write(lambda db: merge_organisations(db, keep, other))

    def reviews(self, status: str | None = "pending") -> list[MatchReview]:
        query = ("SELECT name, new_id, candidate_id, score, id, status, import_id "
                 "FROM match_reviews")
        rows = (self._db.execute(query + " WHERE status = ? ORDER BY id", (status,)) if status
                else self._db.execute(query + " ORDER BY id"))
        return [MatchReview(*row) for row in rows]

    def decide_review(self, review_id: int, confirm: bool) -> MatchReview:
        from graphsvc.store.sqlite_undo import merge_organisations

        review = next((r for r in self.reviews(None) if r.id == review_id), None)
        if review is None or review.status != "pending":
            raise NotFound(f"no pending review {review_id} (see graphsvc review)")

        def work(db):
            db.execute("UPDATE match_reviews SET status = ? WHERE id = ?",
                       ("confirmed" if confirm else "rejected", review_id))
            if confirm and db.execute("SELECT 1 FROM organisations WHERE id = ?",
                                      (review.new_id,)).fetchone():
                merge_organisations(db, review.candidate_id, review.new_id)
            elif confirm:
                db.execute("INSERT OR REPLACE INTO organisation_aliases VALUES (?, ?)",
                           (review.name, review.candidate_id))

        self._write(work)
        return next(r for r in self.reviews(None) if r.id == review_id)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _statements(script: str) -> list[str]:
    """Split a migration into statements so they run inside our own transaction."""
    return [s.strip() for s in script.split(";") if s.strip()]
