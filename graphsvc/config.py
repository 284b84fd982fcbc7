"""Settings: defaults, then ``GRAPHSVC_*`` environment variables, then what the caller passes.

Every setting is listed in :data:`SETTINGS` with its variable and meaning; the README's
configuration table is this list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from graphsvc.errors import ConfigurationError
from graphsvc.store import DEFAULT_CHUNK_ROWS, DEFAULT_DATABASE  # DEFAULT_DATABASE: the CLI's too
from graphsvc.ties import ProjectionRule

RULE = ProjectionRule()  # the tie rule's defaults, set where the rule is
# counts of people below this are shown to everyone but admins as suppressed (null)
SMALL_CELL = 5

SETTINGS = {
    "database": ("GRAPHSVC_DATABASE", "SQLite file path (or sqlite:PATH), or a Neo4j server: "
                 "neo4j://HOST:PORT or bolt://HOST:PORT (user and password may be in the URL)",
                 DEFAULT_DATABASE),
    "neo4j_user": ("GRAPHSVC_NEO4J_USER", "Neo4j user, when the URL names none", "neo4j"),
    "neo4j_password": ("GRAPHSVC_NEO4J_PASSWORD", "Neo4j password, when the URL has none", None),
    "neo4j_database": ("GRAPHSVC_NEO4J_DATABASE", "the Neo4j database to use", "neo4j"),
    "neo4j_chunk_rows": ("GRAPHSVC_NEO4J_CHUNK_ROWS", "things an import writes to Neo4j per "
                         "transaction (lower: less server heap; the import stays whole)",
                         DEFAULT_CHUNK_ROWS),
    "large_session_size": ("GRAPHSVC_LARGE_SESSION_SIZE",
                           "sessions with more attendees than this are 'large'",
                           RULE.large_session_size),
    "large_sessions": ("GRAPHSVC_LARGE_SESSIONS",
                       "how large sessions count: newman (1/(n-1) per tie) or exclude",
                       RULE.large_sessions),
    "max_session_size": ("GRAPHSVC_MAX_SESSION_SIZE",
                         "sessions with more attendees than this add no ties (0: no limit)",
                         RULE.max_session_size or 0),
    "max_upload_bytes": ("GRAPHSVC_MAX_UPLOAD_BYTES", "largest file an import accepts",
                         200 * 1024 * 1024),
    "secret_key": ("GRAPHSVC_SECRET_KEY", "the web app's session signing key", None),
    "boundaries": ("GRAPHSVC_BOUNDARIES", "boundaries for maps: a GeoJSON, GeoPackage or Shapefile "
                   "of the districts (or wards) in any CRS, or tiles for the tile layout; unset, "
                   "the package's Greater Manchester boundaries (the tiles for boroughs they do "
                   "not cover)", None),
    "boundaries_attribution": ("GRAPHSVC_BOUNDARIES_ATTRIBUTION", "the attribution the "
                               "boundaries' licence asks for, shown under every map drawn from "
                               "them (default: the ONS and OS line)", None),
    "archive": ("GRAPHSVC_ARCHIVE", "folder keeping each imported file's original "
                "(default: beside a SQLite database, DATABASE.archive; with Neo4j, "
                "./graphsvc-archive)", None),
    "cache": ("GRAPHSVC_CACHE", "folder keeping analysis results between starts, by revision "
              "of the data (default: beside a SQLite database, DATABASE.cache; with Neo4j, "
              "none unless set)", None),
    "accounts": ("GRAPHSVC_ACCOUNTS", "SQLite file of users, API tokens and the audit log "
                 "(default: beside a SQLite database, DATABASE.accounts.db; with Neo4j, "
                 "./graphsvc-accounts.db)", None),
    "production": ("GRAPHSVC_PRODUCTION", "1 in production: refuse to start without a secret "
                   "key, send cookies only over HTTPS (the WSGI entry point defaults to 1)",
                   False),
    "proxies": ("GRAPHSVC_PROXIES", "how many reverse proxies stand in front (their "
                "X-Forwarded-For/-Proto are then trusted, for sign-in limits and HTTPS)", 0),
    "demo": ("GRAPHSVC_DEMO", "1: open access without sign-in, allowed only when every import "
             "is a file of the synthetic demo data", False),
    "small_cell": ("GRAPHSVC_SMALL_CELL", "everyone but admins sees counts of people below "
                   "this as suppressed (null)", SMALL_CELL),
    "count_registered": ("GRAPHSVC_COUNT_REGISTERED", "1: people who only registered (loaded "
                         "with --count registered) count as attendees in ties and analyses",
                         RULE.count_registered),
    "audit_key_file": ("GRAPHSVC_AUDIT_KEY_FILE", "the key sealing the audit log (default: "
                       "ACCOUNTS.key beside the accounts file); keep it where the database's "
                       "editors cannot write", None),
}


def _default(name: str):
    return SETTINGS[name][2]


@dataclass(frozen=True)
class Settings:
    """Every setting, its default as :data:`SETTINGS` gives it."""

    database: str = _default("database")
    neo4j_user: str = _default("neo4j_user")
    neo4j_password: str | None = _default("neo4j_password")
    neo4j_database: str = _default("neo4j_database")
    neo4j_chunk_rows: int = _default("neo4j_chunk_rows")
    large_session_size: int = _default("large_session_size")
    large_sessions: str = _default("large_sessions")
    max_session_size: int = _default("max_session_size")
    max_upload_bytes: int = _default("max_upload_bytes")
    secret_key: str | None = _default("secret_key")
    boundaries: str | None = _default("boundaries")
    boundaries_attribution: str | None = _default("boundaries_attribution")
    archive: str | None = _default("archive")
    cache: str | None = _default("cache")
    accounts: str | None = _default("accounts")
    production: bool = _default("production")
    proxies: int = _default("proxies")
    demo: bool = _default("demo")
    small_cell: int = _default("small_cell")
    audit_key_file: str | None = _default("audit_key_file")
    count_registered: bool = _default("count_registered")

    @classmethod
    def load(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            variable = SETTINGS[f.name][0]
            if variable in environ and environ[variable] != "":
                values[f.name] = _convert(f.name, environ[variable], SETTINGS[f.name][2], variable)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def open_store(self):
        """The store the database setting names, with the Neo4j credentials if it is one."""
        from graphsvc.store import open_store

        return open_store(self.database, user=self.neo4j_user, password=self.neo4j_password,
                          neo4j_database=self.neo4j_database,
                          neo4j_chunk_rows=self.neo4j_chunk_rows)

    def accounts_path(self, store=None) -> str:
        """Where the accounts live: the setting, else beside the SQLite database (the
        store's, when one is given), else ./graphsvc-accounts.db."""
        local = getattr(store, "path", None) if store is not None else (
            None if "://" in self.database else self.database.removeprefix("sqlite:"))
        return self.accounts or (f"{local}.accounts.db" if local is not None
                                 else "graphsvc-accounts.db")

    def rule(self) -> ProjectionRule:
        return ProjectionRule(self.large_session_size, self.large_sessions,
                              self.max_session_size or None, self.count_registered)


def _convert(name: str, text: str, default, variable: str):
    if isinstance(default, bool):
        if text.strip().lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise ConfigurationError(f"{variable} must be 1 or 0, not {text!r}")
        return text.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise ConfigurationError(f"{variable} must be a whole number, not {text!r}") from None
    return text
