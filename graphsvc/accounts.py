"""Accounts, API tokens and the audit log, kept in their own SQLite file whichever store holds
the graph (``GRAPHSVC_ACCOUNTS``; by default beside a SQLite database).

Passwords are hashed with scrypt (werkzeug); API tokens are random and only their SHA-256 is
kept; sessions are kept on the server, so signing out, a password reset or removal ends them
(a reset revokes the user's tokens too). The audit log (:mod:`graphsvc.audit_log`) is
append-only and sealed with a key kept outside the database.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from graphsvc.audit_log import AuditLog, key_for
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
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures(key, at);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    created REAL NOT NULL,
    ended REAL
);
"""
SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True)
class User:
    """Who is acting: a signed-in user, a script's token, or someone at the command line.
    ``via`` says how they came (session, token, cli), for the audit log."""

    username: str
    role: str
    communities: frozenset[str] = frozenset()
    boroughs: frozenset[str] = frozenset()
    via: str = ""
    session: str = ""  # which sign-in (the anonymous tokens a user sees differ for each)

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


class Accounts:
    """Users, their sign-ins and API tokens, and the audit log, in one SQLite file (every
    process serving the app shares it). ``audit_key`` seals the log (by default, a key file
    beside the accounts file)."""

    def __init__(self, path: str | Path, audit_key: bytes | None = None):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                   timeout=30)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(SCHEMA)
        self.log = AuditLog(self._db, self._lock,
                            audit_key or key_for(Path(f"{self.path}.key")))

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
        """A new password: every session of the user ends and every token is revoked."""
        _check(self.user(username).role, password)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("UPDATE users SET password_hash = ? WHERE username = ?",
                                 (generate_password_hash(password), username))
                self._db.execute("UPDATE sessions SET ended = ? WHERE username = ? "
                                 "AND ended IS NULL", (time.time(), username))
                self._db.execute("UPDATE tokens SET revoked = ? WHERE username = ? "
                                 "AND revoked IS NULL", (_now(), username))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def password_hash(self, username: str) -> str:
        rows = self._run("SELECT password_hash FROM users WHERE username = ?", (username,))
        if not rows:
            raise NotFound(f"no user {username!r}")
        return rows[0][0]

    def check_password(self, username: str, password: str) -> User | None:
        if len(username) > 100 or len(password) > 1024:
            check_password_hash(_DUMMY, "x")  # the same work as for any other wrong try
            return None
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

    # -- sessions -----------------------------------------------------------------------
    def open_session(self, username: str) -> str:
        """A new signed-in session: the id its cookie carries."""
        session_id = secrets.token_urlsafe(32)
        self._run("INSERT INTO sessions (id, username, created) VALUES (?, ?, ?)",
                  (session_id, username, time.time()))
        return session_id

    def session_user(self, session_id: str) -> User | None:
        """The user of a session that has not ended (signed out, password reset, removed)
        and is less than eight hours old."""
        rows = self._run("SELECT username FROM sessions WHERE id = ? AND ended IS NULL "
                         "AND created > ?", (session_id, time.time() - SESSION_SECONDS))
        return self.user(rows[0][0]) if rows else None

    def end_session(self, session_id: str) -> None:
        self._run("UPDATE sessions SET ended = ? WHERE id = ? AND ended IS NULL",
                  (time.time(), session_id))

    # -- failed sign-ins (shared by every process serving the app) ----------------------
    def reserve_try(self, keys, now: float, attempts: int, window: float) -> tuple[float, list]:
        """Count a sign-in try against each key (an address, a username) before its password
        is checked, in one transaction every process waits its turn for: the seconds to wait
        (0: go ahead) and the reservations, to give back if the password was right."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                wait = 0.0
                for key in keys:
                    found = [at for (at,) in self._db.execute(
                        "SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at",
                        (key, now - window))]
                    if len(found) >= attempts:
                        wait = max(wait, found[-attempts] + window - now)
                if wait:
                    self._db.execute("COMMIT")
                    return wait, []
                self._db.execute("DELETE FROM login_failures WHERE at < ?", (now - 86400,))
                made = [self._db.execute("INSERT INTO login_failures VALUES (?, ?)",
                                         (key, now)).lastrowid for key in keys]
                self._db.execute("COMMIT")
                return 0.0, made
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def give_back(self, reservations: list) -> None:
        """The password was right: the try does not count."""
        with self._lock:
            self._db.executemany("DELETE FROM login_failures WHERE rowid = ?",
                                 [(r,) for r in reservations])

    # -- audit log --------------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str = "", **detail) -> None:
        self.log.append(actor, action, target, detail)

    def audit_entries(self, limit: int = 200, offset: int = 0) -> list[dict]:
        return self.log.entries(limit, offset)

    def verify(self) -> str | None:
        """What is wrong with the audit log (an entry edited, entries cut off), or None."""
        return self.log.verify()


_DUMMY = generate_password_hash("not a real password")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check(role: str, password: str) -> None:
    if role not in ROLES:
        raise InputError(f"a role is one of {', '.join(ROLES)}", column="role", value=role)
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password has at least {MIN_PASSWORD} characters",
                         column="password", value="(hidden)")
