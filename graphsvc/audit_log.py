"""The audit log: append-only, each entry sealed with a keyed MAC of itself and the entry
before it, and an anchor (also sealed) holding how many entries there are and the last seal.

The database refuses UPDATE and DELETE on entries (triggers). Someone who edits the file behind
the app's back cannot re-seal an edit without the key, and cutting entries off the end leaves
an anchor that no longer matches: :meth:`AuditLog.verify` says which. The key lives outside the
database (a file beside it, readable only by its owner, or given by the caller); entries written
before entries were keyed keep their plain SHA-256 chain, and are checked as such.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    previous TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS audit_anchor (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    entries INTEGER NOT NULL,
    last TEXT NOT NULL,
    first_keyed INTEGER NOT NULL,
    seal TEXT NOT NULL
);
"""
FIELD_LIMIT = 2000  # characters of any one field kept in an entry


def key_for(path: Path) -> bytes:
    """The audit key kept in a file (made, readable by its owner only, on first use)."""
    path = Path(path)
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def _plain(previous: str, *fields: str) -> str:
    return hashlib.sha256(json.dumps([previous, *fields]).encode()).hexdigest()


class AuditLog:
    def __init__(self, db: sqlite3.Connection, lock: threading.Lock, key: bytes):
        self._db, self._lock, self._key = db, lock, key
        self._db.executescript(SCHEMA)

    def _seal(self, previous: str, *fields: str) -> str:
        return hmac.new(self._key, json.dumps([previous, *fields]).encode(),
                        hashlib.sha256).hexdigest()

    def _anchor_seal(self, entries: int, last: str, first_keyed: int) -> str:
        return self._seal("anchor", str(entries), last, str(first_keyed))

    def append(self, actor: str, action: str, target: str, detail: dict) -> None:
        fields = [_now(), actor[:FIELD_LIMIT], action[:FIELD_LIMIT], target[:FIELD_LIMIT],
                  json.dumps(detail, sort_keys=True, default=str)[:FIELD_LIMIT * 5]]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                last = self._db.execute(
                    "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
                previous = last[1] if last else ""
                seal = self._seal(previous, *fields)
                cursor = self._db.execute(
                    "INSERT INTO audit (at, actor, action, target, detail, previous, hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", (*fields, previous, seal))
                anchor = self._db.execute("SELECT entries, first_keyed FROM audit_anchor"
                                          ).fetchone()
                entries = (anchor[0] if anchor else self._count()) + (1 if anchor else 0)
                first_keyed = anchor[1] if anchor else cursor.lastrowid
                self._db.execute(
                    "INSERT OR REPLACE INTO audit_anchor VALUES (1, ?, ?, ?, ?)",
                    (entries, seal, first_keyed, self._anchor_seal(entries, seal, first_keyed)))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _count(self) -> int:
        return self._db.execute("SELECT count(*) FROM audit").fetchone()[0]

    def entries(self, limit: int = 200, offset: int = 0) -> list[dict]:
        with self._lock:
            rows = self._db.execute("SELECT id, at, actor, action, target, detail FROM audit "
                                    "ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
                                    ).fetchall()
        return [dict(zip(("id", "at", "actor", "action", "target", "detail"), r)) for r in rows]

    def verify(self) -> str | None:
        """What is wrong with the log (an entry edited, or entries cut off), or None."""
        with self._lock:
            rows = self._db.execute("SELECT id, at, actor, action, target, detail, previous, "
                                    "hash FROM audit ORDER BY id").fetchall()
            anchor = self._db.execute("SELECT entries, last, first_keyed, seal "
                                      "FROM audit_anchor").fetchone()
        if not rows and anchor is None:
            return None
        if anchor is None or not hmac.compare_digest(
                anchor[3], self._anchor_seal(anchor[0], anchor[1], anchor[2])):
            return "the log's anchor is missing or was changed outside graphsvc"
        previous = ""
        for row in rows:
            expected = (self._seal if row[0] >= anchor[2] else _plain)(previous, *row[1:6])
            if row[6] != previous or not hmac.compare_digest(row[7], expected):
                return f"entry {row[0]} was edited outside graphsvc"
            previous = row[7]
        if len(rows) != anchor[0] or previous != anchor[1]:
            return (f"the log was cut short: {anchor[0]} entries were written, "
                    f"{len(rows)} are there")
        return None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
