"""What only the SQLite store promises: one file, WAL, foreign keys, migrations."""

import sqlite3

import pytest

from graphsvc.errors import ConfigurationError, SchemaError, StoreError
from graphsvc.store import open_store
from graphsvc.store.schema import LATEST
from graphsvc.store.sqlite import SQLiteStore


def test_one_file_in_wal_mode_with_foreign_keys(tmp_path):
    store = SQLiteStore(tmp_path / "g.db")
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version() == LATEST
    store.close()
    raw = sqlite3.connect(tmp_path / "g.db")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_migrations_run_forward_from_an_older_file(tmp_path, monkeypatch):
    from graphsvc.store import schema, sqlite as module

    path = tmp_path / "old.db"
    SQLiteStore(path).close()
    extra = "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)"
    monkeypatch.setattr(module, "MIGRATIONS", [*schema.MIGRATIONS, extra])
    monkeypatch.setattr(module, "LATEST", schema.LATEST + 1)
    store = SQLiteStore(path)
    assert store.schema_version() == schema.LATEST + 1
    assert store._db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_a_file_from_a_newer_graphsvc_is_refused(tmp_path):
    path = tmp_path / "new.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {LATEST + 5}")
    raw.close()
    with pytest.raises(SchemaError, match="newer"):
        SQLiteStore(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="not a graphsvc SQLite database"):
        SQLiteStore(path)


def test_database_urls(tmp_path):
    assert open_store(f"sqlite:{tmp_path / 'a.db'}").url == f"sqlite:{tmp_path / 'a.db'}"
    with pytest.raises(ConfigurationError, match="unknown database"):
        open_store("postgres://localhost/x")


def test_a_missing_extra_names_the_install_command(monkeypatch):
    import builtins

    from graphsvc.errors import MissingExtraError

    real_import = builtins.__import__

    def no_neo4j(name, *args, **kwargs):
        if name == "neo4j":
            raise ImportError("No module named 'neo4j'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_neo4j)
    monkeypatch.delitem(__import__("sys").modules, "neo4j", raising=False)
    with pytest.raises(MissingExtraError, match=r"pip install 'graphsvc\[neo4j\]'"):
        open_store("neo4j://127.0.0.1:7687")
