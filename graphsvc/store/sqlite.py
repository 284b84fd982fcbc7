"""The embedded default store: one SQLite file, nothing to start.

The file holds claims (:mod:`graphsvc.rules`): each import's word on each thing. Reads fold
them through views made from the rules on every connection. Each thread reads through a
connection of its own; every write goes through one writer connection, one at a time, in one
``BEGIN IMMEDIATE`` transaction that also bumps the revision. The journal is WAL, so readers see
the data as it was before a write or after it, never a mix and never a half-done import. The
schema moves forward by the migrations in :mod:`graphsvc.store.schema`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
import weakref
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from graphsvc.errors import NotFound, SchemaError, StoreError
from graphsvc.model import Batch, MatchReview
from graphsvc.spool import VisitSpool
from graphsvc.store import sqlite_rules as sql
from graphsvc.store.base import History, ImportFile, ImportRecord
from graphsvc.store.schema import LATEST, MIGRATIONS
from graphsvc.store.sqlite_reads import FactReads

BUSY_SECONDS = 60  # how long a write waits for another program's write before giving up


class _Connection:
    """A reader's connection, closed when its thread ends (or the store closes)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __del__(self):
        try:
            self.db.close()
        except sqlite3.Error:
            pass


class SQLiteStore(FactReads):
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
        self._local = threading.local()
        self._readers: weakref.WeakSet = weakref.WeakSet()
        self._write_lock = threading.RLock()
        try:
            self._db = self._connect(check_same_thread=False)
            self._migrate()
            sql.prepare(self._db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a graphsvc SQLite database ({exc})") from exc

    # -- connections ------------------------------------------------------------------
    def _connect(self, *, check_same_thread: bool = True) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_SECONDS,
                             check_same_thread=check_same_thread)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -65536")  # 64 MiB: enough for bulk loads, and a bound
        return db

    def _reader(self) -> sqlite3.Connection:
        """This thread's read connection (made on first use)."""
        holder = getattr(self._local, "reader", None)
        if holder is None:
            db = self._connect(check_same_thread=False)  # it may be closed from elsewhere
            sql.prepare(db)
            db.execute("PRAGMA query_only = ON")
            holder = self._local.reader = _Connection(db)
            self._readers.add(holder)
        return holder.db

    def _query(self, statement: str, args=()) -> list:
        return self._reader().execute(statement, args).fetchall()

    @contextmanager
    def _writing(self):
        """One write transaction at a time, through the writer connection; it bumps the
        revision and commits, or rolls back on any error."""
        with self._write_lock:
            self._begin()
            try:
                yield self._db
                self._db.execute(
                    "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    @contextmanager
    def _trying(self):
        """A write transaction that is always rolled back: what a change would do, or why
        it would be refused, with nothing changed."""
        with self._write_lock:
            self._begin()
            try:
                yield self._db
            finally:
                self._db.execute("ROLLBACK")

    def _begin(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path} is busy with another program's write for over "
                             f"{BUSY_SECONDS} s ({exc}); try again") from exc

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
            with self._write_lock:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for statement in statements(MIGRATIONS[number]):
                        self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {number + 1}")
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise

    def revision(self) -> int:
        return int(self._query("SELECT value FROM meta WHERE key = 'revision'")[0][0])

    # -- writing ----------------------------------------------------------------------
    def apply(self, batch: Batch, record: ImportRecord | None = None) -> dict[str, int]:
        """Store the batch's claims in one transaction, or nothing at all."""
        from graphsvc.store import sqlite_changes as changes

        source = record.id if record else f"direct:{uuid.uuid4().hex[:12]}"
        spool = batch.attendance if isinstance(batch.attendance, VisitSpool) else None
        if spool is not None:
            len(spool)  # flushed and indexed by its own connection before we attach it
            self._db.execute("ATTACH DATABASE ? AS spool", (str(spool.path),))
        try:
            with self._writing() as db:
                written = changes.write_claims(db, batch, source, spool)
                skipped = changes.drop_forgotten(db, source)
                if skipped:
                    written["erased_people_skipped"] = skipped
                # a resolver's spool names only people, organisations and sessions the same
                # import claims (loaders.resolve); other visits are checked
                changes.check_references(db, source,
                                         skip=("attendance",) if spool is not None else ())
                self._write_reviews(batch.reviews, record)
                if record is not None:
                    self._write_import(record, written)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"the import breaks the database's integrity ({exc}); "
                             "nothing was written") from exc
        finally:
            if spool is not None:
                self._db.execute("DETACH DATABASE spool")
        return written

    def restore(self, history: History) -> None:
        from graphsvc.store.sqlite_history import restore_history

        counts = self.counts()
        if any(counts[part] for part in ("organisations", "people", "sessions")):
            raise StoreError(f"{self.path} already holds data; restore only into an empty store")
        with self._writing() as db:
            restore_history(db, history)

    def history(self) -> History:
        from graphsvc.store.sqlite_history import read_history

        return read_history(self._reader(), self.imports(), self.person_aliases(),
                            self.reviews(None))

    def forgotten(self) -> set[str]:
        return {i for (i,) in self._query("SELECT id FROM forgotten")}

    def _write_import(self, record: ImportRecord, written: dict) -> None:
        self._db.execute(
            "INSERT INTO imports (id, source, sha256, format, loaded_at, counts) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (record.id, record.source, "", ",".join(sorted({f.format for f in record.files})),
             record.loaded_at, json.dumps({**record.counts, **written})))
        self._db.executemany(
            "INSERT OR IGNORE INTO import_files (import_id, source, sha256, format, rows, archive, "
            "options) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((record.id, f.source, f.sha256, f.format, f.rows, f.archive, f.options)
             for f in record.files))

    def _write_reviews(self, reviews: list[MatchReview], record: ImportRecord | None) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO match_reviews (name, new_id, candidate_id, score, import_id) "
            "VALUES (?, ?, ?, ?, ?)",
            ((r.name, r.new_id, r.candidate_id, r.score, record.id if record else None)
             for r in reviews))

    # -- reading (of the facts: graphsvc.store.sqlite_reads) ----------------------------
    def imports(self) -> list[ImportRecord]:
        files: dict[str, list[ImportFile]] = {}
        for import_id, *rest in self._query(
                "SELECT import_id, source, sha256, format, rows, archive, options "
                "FROM import_files ORDER BY import_id, source"):
            files.setdefault(import_id, []).append(ImportFile(*rest))
        rows = self._query(
            "SELECT id, loaded_at, counts, undone_at FROM imports ORDER BY loaded_at, id")
        return [ImportRecord(i, t, tuple(files.get(i, ())), json.loads(c), u)
                for i, t, c, u in rows]

    def session_spans(self) -> dict[str, tuple[int, date, date]]:
        rows = self._query("SELECT import_id, count(DISTINCT id), min(held_on), max(held_on) "
                           "FROM sessions_claims GROUP BY import_id")
        return {i: (n, date.fromisoformat(first), date.fromisoformat(last))
                for i, n, first, last in rows}

    def find_import(self, sha256: str, options: str = "") -> ImportRecord | None:
        row = self._query(
            "SELECT f.import_id FROM import_files f JOIN imports i ON i.id = f.import_id "
            "WHERE f.sha256 = ? AND f.options IN (?, '') AND i.undone_at IS NULL",
            (sha256, options))
        return next((r for r in self.imports() if row and r.id == row[0][0]), None)

    def person_aliases(self) -> dict[str, str]:
        return dict(self._query("SELECT alias, person_id FROM person_aliases"))

    def reviews(self, status: str | None = "pending") -> list[MatchReview]:
        query = ("SELECT name, new_id, candidate_id, score, id, status, import_id "
                 "FROM match_reviews")
        rows = (self._query(query + " WHERE status = ? ORDER BY id", (status,)) if status
                else self._query(query + " ORDER BY id"))
        return [MatchReview(*row) for row in rows]

    # -- undo, merges, consent, erasure -------------------------------------------------
    def undo_import(self, import_id: str) -> dict[str, int]:
        from graphsvc.store import sqlite_changes as changes

        self._require_undoable(import_id)
        with self._writing() as db:
            return changes.undo(db, import_id)

    def undo_preview(self, import_id: str) -> dict[str, int]:
        from graphsvc.store import sqlite_changes as changes

        self._require_undoable(import_id)
        found = changes.only_claimed(self._reader(), import_id)
        return {part: n for part, n in found.items() if n}

    def undo_refusal(self, import_id: str) -> str | None:
        from graphsvc.store import sqlite_changes as changes

        self._require_undoable(import_id)
        with self._trying() as db:
            try:
                changes.undo(db, import_id)
            except StoreError as exc:
                return str(exc)
        return None

    def _require_undoable(self, import_id: str) -> None:
        if not self._query("SELECT 1 FROM imports WHERE id = ? AND undone_at IS NULL",
                           (import_id,)):
            raise NotFound(f"no import {import_id!r} to undo (see graphsvc imports)")

    def merge_people(self, keep: str, other: str) -> None:
        from graphsvc.store import sqlite_changes as changes

        with self._writing() as db:
            changes.merge_people(db, keep, other)

    def merge_organisations(self, keep: str, other: str) -> None:
        from graphsvc.store import sqlite_changes as changes

        with self._writing() as db:
            changes.merge_organisations(db, keep, other)

    def set_consent(self, person_id: str, consent: str) -> None:
        from graphsvc.store import sqlite_changes as changes

        with self._writing() as db:
            changes.set_consent(db, person_id, consent)

    def remember_erased(self, person_id: str) -> None:
        from graphsvc.store import sqlite_changes as changes

        with self._writing() as db:
            db.execute("INSERT OR IGNORE INTO forgotten (id, erased_at) VALUES (?, ?)",
                       (person_id, changes._now()))

    def redact_name(self, name: str) -> int:
        from graphsvc.store import sqlite_changes as changes

        with self._write_lock:
            (before,) = self._db.execute("PRAGMA secure_delete").fetchone()
            self._db.execute("PRAGMA secure_delete = ON")
            try:
                with self._writing() as db:
                    changed = changes.redact_name(db, name)
            finally:
                self._db.execute(f"PRAGMA secure_delete = {int(before)}")
            self._empty_the_log()
        return changed

    def decide_review(self, review_id: int, confirm: bool) -> MatchReview:
        from graphsvc.store import sqlite_changes as changes

        review = next((r for r in self.reviews(None) if r.id == review_id), None)
        if review is None or review.status != "pending":
            raise NotFound(f"no pending review {review_id} (see graphsvc review)")
        with self._writing() as db:
            changes.decide_review(db, review, confirm)
        return next(r for r in self.reviews(None) if r.id == review_id)

    def forget_person(self, person_id: str) -> dict:
        """Erase a person so that no byte of the file still holds them: deleted content is
        zeroed (secure_delete) and the write-ahead log is folded in and emptied."""
        from graphsvc.store import sqlite_changes as changes

        with self._write_lock:
            (before,) = self._db.execute("PRAGMA secure_delete").fetchone()
            self._db.execute("PRAGMA secure_delete = ON")
            try:
                with self._writing() as db:
                    result = changes.forget_person(db, person_id)
            finally:
                self._db.execute(f"PRAGMA secure_delete = {int(before)}")
            self._empty_the_log()
        return result

    def wipe_free_space(self) -> None:
        """Rebuild the file (VACUUM: free pages and the unused parts of pages go) and empty
        the write-ahead log; about a second for Greater Manchester's data."""
        with self._write_lock:
            self._db.execute("VACUUM")
            self._empty_the_log()

    def _empty_the_log(self) -> None:
        for _ in range(100):  # a reader still on an older snapshot holds the log for a moment
            busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(0.1)
        raise StoreError(f"{self.path}: could not empty the write-ahead log after erasing; "
                         "close other programs using the database and run forget again")

    def close(self) -> None:
        for holder in list(self._readers):
            holder.db.close()
        self._db.close()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def statements(script: str) -> list[str]:
    """Split a migration into statements (a ``;`` inside a string literal does not end one),
    so they run inside our own transaction."""
    out, buffer = [], ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \n;"):
                out.append(buffer.strip())
            buffer = ""
    return out
