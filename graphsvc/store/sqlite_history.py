"""A SQLite database's history (imports, provenance, merges, reviews): read whole, and written
into an empty database inside the caller's transaction (``graphsvc migrate``)."""

from __future__ import annotations

import json
import sqlite3

from graphsvc.model import MatchReview
from graphsvc.store.base import History, ImportRecord

_CREATED = ("people", "organisations", "sessions", "communities")  # fixed names, never input


def read_history(db: sqlite3.Connection, imports: list[ImportRecord],
                 person_aliases: dict[str, str], reviews: list[MatchReview]) -> History:
    created_by = {}
    for table in _CREATED:
        created_by.update(db.execute(
            f"SELECT id, created_by FROM {table} WHERE created_by IS NOT NULL"))  # noqa: S608
    attendance = {(s, p): i for s, p, i in db.execute(
        "SELECT session_id, person_id, import_id FROM attendance WHERE import_id IS NOT NULL")}
    declared = {(s, t): i for s, t, i in db.execute(
        "SELECT source_id, target_id, import_id FROM declared_ties WHERE import_id IS NOT NULL")}
    forgotten = dict(db.execute("SELECT id, erased_at FROM forgotten"))
    return History(imports, created_by, attendance, declared, person_aliases, reviews,
                   forgotten)


def restore_history(db: sqlite3.Connection, history: History) -> None:
    for table in _CREATED:
        db.executemany(f"UPDATE {table} SET created_by = ? WHERE id = ?",  # noqa: S608
                       ((i, node) for node, i in history.created_by.items()))
    db.executemany("UPDATE attendance SET import_id = ? WHERE session_id = ? AND person_id = ?",
                   ((i, s, p) for (s, p), i in history.attendance.items()))
    db.executemany("UPDATE declared_ties SET import_id = ? WHERE source_id = ? AND target_id = ?",
                   ((i, s, t) for (s, t), i in history.declared.items()))
    for record in history.imports:
        db.execute("INSERT INTO imports (id, source, sha256, format, loaded_at, counts, undone_at)"
                   " VALUES (?, ?, '', ?, ?, ?, ?)",
                   (record.id, record.source, ",".join(sorted({f.format for f in record.files})),
                    record.loaded_at, json.dumps(record.counts), record.undone_at))
        db.executemany("INSERT INTO import_files (import_id, source, sha256, format, rows, "
                       "archive) VALUES (?, ?, ?, ?, ?, ?)",
                       ((record.id, f.source, f.sha256, f.format, f.rows, f.archive)
                        for f in record.files))
    db.executemany("INSERT INTO person_aliases (alias, person_id) VALUES (?, ?)",
                   history.person_aliases.items())
    db.executemany("INSERT INTO forgotten (id, erased_at) VALUES (?, ?)",
                   history.forgotten.items())
    db.executemany("INSERT INTO match_reviews (id, name, new_id, candidate_id, score, status, "
                   "import_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   ((r.id, r.name, r.new_id, r.candidate_id, r.score, r.status, r.import_id)
                    for r in history.reviews))
