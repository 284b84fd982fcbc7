"""Stores: where the facts live. :func:`open_store` picks one from a database URL."""

from __future__ import annotations

from pathlib import Path

from graphsvc.errors import ConfigurationError
from graphsvc.store.base import ImportFile, ImportRecord, Store

DEFAULT_DATABASE = "graphsvc.db"

__all__ = ["DEFAULT_DATABASE", "ImportFile", "ImportRecord", "Store", "open_store"]


def open_store(database: str | Path | None = None) -> Store:
    """Open the store a database setting names.

    ``PATH`` or ``sqlite:PATH`` is the embedded SQLite file; ``neo4j://`` and ``bolt://``
    URLs name a Neo4j server.
    """
    text = str(database or DEFAULT_DATABASE)
    if text.startswith(("neo4j://", "neo4j+s://", "bolt://", "bolt+s://")):
        from graphsvc.extras import require

        require("neo4j", "neo4j")
        raise ConfigurationError(
            f"the Neo4j store is not available in this version (database {text!r}); "
            "use a SQLite file path"
        )
    if "://" in text:
        raise ConfigurationError(
            f"unknown database {text!r}: give a file path, sqlite:PATH, neo4j://HOST or bolt://HOST"
        )
    from graphsvc.store.sqlite import SQLiteStore

    return SQLiteStore(text.removeprefix("sqlite:"))
