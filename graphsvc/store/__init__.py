"""Stores: where the facts live. :func:`open_store` picks one from a database URL."""

from __future__ import annotations

from pathlib import Path

from graphsvc.errors import ConfigurationError
from graphsvc.store.base import DEFAULT_CHUNK_ROWS, History, ImportFile, ImportRecord, Store

DEFAULT_DATABASE = "graphsvc.db"
NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")

__all__ = ["DEFAULT_CHUNK_ROWS", "DEFAULT_DATABASE", "NEO4J_SCHEMES", "History", "ImportFile", "ImportRecord", "Store", "open_store"]


def open_store(database: str | Path | None = None, *, user: str | None = None,
               password: str | None = None, neo4j_database: str | None = None,
               neo4j_chunk_rows: int | None = None) -> Store:
    """Open the store a database setting names.

    ``PATH`` or ``sqlite:PATH`` is the embedded SQLite file; ``neo4j://`` and ``bolt://``
    URLs name a Neo4j server (credentials in the URL, or ``GRAPHSVC_NEO4J_USER`` and
    ``GRAPHSVC_NEO4J_PASSWORD``); ``neo4j_chunk_rows`` is how many things an import writes
    to Neo4j per transaction (``GRAPHSVC_NEO4J_CHUNK_ROWS``).
    """
    text = str(database or DEFAULT_DATABASE)
    if text.startswith(NEO4J_SCHEMES):
        from graphsvc.store.neo4j import Neo4jStore

        return Neo4jStore(text, user, password, neo4j_database, neo4j_chunk_rows)
    if "://" in text:
        raise ConfigurationError(
            f"unknown database {text!r}: give a file path, sqlite:PATH, neo4j://HOST or bolt://HOST"
        )
    from graphsvc.store.sqlite import SQLiteStore

    return SQLiteStore(text.removeprefix("sqlite:"))
