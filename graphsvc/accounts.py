"""Accounts, API tokens and the audit log, kept in their own SQLite file whichever store holds
the graph (``GRAPHSVC_ACCOUNTS``; by default beside a SQLite database).

Passwords are hashed with scrypt (werkzeug); API tokens are random and only their SHA-256 is
kept. The audit log is append-only: triggers refuse UPDATE and DELETE, and each entry carries
the hash of the one before it, so an edit made behind the app's back shows in :meth:`verify`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from graphsvc.errors import Forbidden, InputError, NotFound

ROLES = ("viewer", "facilitator", "admin")
SCOPE_KINDS = ("community", "borough")
MIN_PASSWORD = 12

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'facilitator', 'admin')),
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS scopes (
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('community', 'borough')),
    value TEXT NOT NULL,
    PRIMARY KEY (username, kind, value)
);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    name TEXT NOT NULL,
    digest TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    revoked TEXT
);
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
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures(key, at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


@dataclass(frozen=True)
class User:
    """Who is acting: a signed-in user, a script's token, or someone at the command line.
    ``via`` says how they came (session, token, cli), for the audit log."""

    username: str
    role: str
    communities: frozenset[str] = frozenset()
    boroughs: frozenset[str] = frozenset()
    via: str = ""

    def at_least(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    def require(self, role: str) -> None:
        """Refuse (:class:`Forbidden`) unless this user has at least ``role``."""
        if not self.at_least(role):
            raise Forbidden(f"this needs the {role} role; {self.username} is a {self.role}")


# Whoever runs a Python script against a database they hold: an admin, as at the command line.
LOCAL = User("local", "admin", via="script")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _entry_hash(previous: str, at: str, actor: str, action: str, target: str,
                detail: str) -> str:
    text = json.dumps([previous, at, actor, action, target, detail])
    return hashlib.sha256(text.encode()).hexdigest()


class Accounts:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def _run(self, sql: str, args=()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # -- users ------------------------------------------------------------------------
    def add_user(self, username: str, password: str, role: str, *,
                 communities=(), boroughs=()) -> User:
        username = username.strip()
        if not username or len(username) > 100 or not username.isprintable():
            raise InputError("a username is 1 to 100 printable characters", column="username",
                             value=username)
        _check(role, password)
        with self._lock, self._db:
            self._db.execute("BEGIN")
            if self._db.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
                raise InputError(f"there is already a user {username!r}", column="username",
                                 value=username)
            self._db.execute("INSERT INTO users VALUES (?, ?, ?, ?)",
                             (username, generate_password_hash(password), role, _now()))
            self._db.executemany("INSERT INTO scopes VALUES (?, ?, ?)",
                                 [(username, "community", c) for c in communities]
                                 + [(username, "borough", b) for b in boroughs])
        return self.user(username)

    def user(self, username: str) -> User:
        rows = self._run("SELECT role FROM users WHERE username = ?", (username,))
        if not rows:
            raise NotFound(f"no user {username!r}")
        scopes = self._run("SELECT kind, value FROM scopes WHERE username = ?", (username,))
        return User(username, rows[0][0],
                    frozenset(v for k, v in scopes if k == "community"),
                    frozenset(v for k, v in scopes if k == "borough"))

    def users(self) -> list[User]:
        return [self.user(name) for (name,) in
                self._run("SELECT username FROM users ORDER BY username")]

    def remove_user(self, username: str) -> None:
        self.user(username)
        self._run("DELETE FROM users WHERE username = ?", (username,))

    def reset_password(self, username: str, password: str) -> None:
        _check(self.user(username).role, password)
        self._run("UPDATE users SET password_hash = ? WHERE username = ?",
                  (generate_password_hash(password), username))

    def password_hash(self, username: str) -> str:
        rows = self._run("SELECT password_hash FROM users WHERE username = ?", (username,))
        if not rows:
            raise NotFound(f"no user {username!r}")
        return rows[0][0]

    def check_password(self, username: str, password: str) -> User | None:
        rows = self._run("SELECT password_hash FROM users WHERE username = ?", (username,))
        if not rows:
            check_password_hash(_DUMMY, password)  # the same work whether or not they exist
            return None
        return self.user(username) if check_password_hash(rows[0][0], password) else None

    # -- API tokens -------------------------------------------------------------------
    def issue_token(self, username: str, name: str) -> tuple[int, str]:
        """A new token for ``username``: its id, and the secret (shown once, never stored)."""
        self.user(username)
        secret = "gs_" + secrets.token_urlsafe(32)
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO tokens (username, name, digest, created) VALUES (?, ?, ?, ?)",
                (username, name, _digest(secret), _now()))
        return cursor.lastrowid, secret

    def tokens(self, username: str | None = None) -> list[dict]:
        rows = self._run("SELECT id, username, name, created, revoked FROM tokens"
                         + (" WHERE username = ?" if username else "") + " ORDER BY id",
                         (username,) if username else ())
        return [dict(zip(("id", "username", "name", "created", "revoked"), r)) for r in rows]

    def revoke_token(self, token_id: int) -> None:
        if not self._run("SELECT 1 FROM tokens WHERE id = ?", (token_id,)):
            raise NotFound(f"no token {token_id}")
        self._run("UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
                  (_now(), token_id))

    def user_for_token(self, secret: str) -> User | None:
        rows = self._run("SELECT username FROM tokens WHERE digest = ? AND revoked IS NULL",
                         (_digest(secret),))
        return self.user(rows[0][0]) if rows else None

    # -- failed sign-ins (shared by every process serving the app) ----------------------
    def failures_since(self, key: str, since: float) -> list[float]:
        """When ``key`` (an address or a username) failed to sign in since ``since``."""
        return [at for (at,) in self._run(
            "SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at", (key, since))]

    def record_failure(self, keys, at: float) -> None:
        with self._lock:
            self._db.execute("DELETE FROM login_failures WHERE at < ?", (at - 86400,))
            self._db.executemany("INSERT INTO login_failures VALUES (?, ?)",
                                 [(k, at) for k in keys])

    # -- audit log --------------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str = "", **detail) -> None:
        text = json.dumps(detail, sort_keys=True, default=str)
        with self._lock:
            last = self._db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            previous, at = (last[0] if last else ""), _now()
            self._db.execute(
                "INSERT INTO audit (at, actor, action, target, detail, previous, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (at, actor, action, target, text, previous,
                 _entry_hash(previous, at, actor, action, target, text)))

    def audit_entries(self, limit: int = 200, offset: int = 0) -> list[dict]:
        rows = self._run("SELECT id, at, actor, action, target, detail FROM audit "
                         "ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))
        return [dict(zip(("id", "at", "actor", "action", "target", "detail"), r)) for r in rows]

    def verify(self) -> int | None:
        """The id of the first audit entry that does not follow from the one before it (an
        edit made outside the app), or None when the chain is whole."""
        previous = ""
        for row in self._run("SELECT id, at, actor, action, target, detail, previous, hash "
                             "FROM audit ORDER BY id"):
            if row[6] != previous or row[7] != _entry_hash(previous, *row[1:6]):
                return row[0]
            previous = row[7]
        return None


_DUMMY = generate_password_hash("not a real password")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check(role: str, password: str) -> None:
    if role not in ROLES:
        raise InputError(f"a role is one of {', '.join(ROLES)}", column="role", value=role)
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password has at least {MIN_PASSWORD} characters",
                         column="password", value="(hidden)")
