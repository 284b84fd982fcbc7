"""A SQLite database whole (claims, imports, merges, reviews, erasures): read, and written into
an empty database inside the caller's transaction (``graphsvc migrate``)."""

from __future__ import annotations

import json
import sqlite3

from graphsvc import rules
from graphsvc.model import MatchReview
from graphsvc.store import sqlite_rules as sql
from graphsvc.store.base import History, ImportRecord


def read_history(db: sqlite3.Connection, imports: list[ImportRecord],
                 person_aliases: dict[str, str], reviews: list[MatchReview]) -> History:
    claims = {}
    for part, fact in rules.FACTS.items():
        claims[part] = sorted((sql.decode(fact, row[:-1]) | {"import_id": row[-1]}
                               for row in db.execute(sql.select_claims(fact))),
                              key=fact.sort_key)
    forgotten = dict(db.execute("SELECT id, erased_at FROM forgotten"))
    return History(imports, claims, person_aliases, reviews, forgotten)


def restore_history(db: sqlite3.Connection, history: History) -> None:
    for part, claims in history.claims.items():
        fact = rules.FACTS[part]
        db.executemany(sql.insert(fact), (sql.encode(fact, c) + (c["import_id"],)
                                          for c in claims))
    for record in history.imports:
        db.execute("INSERT INTO imports (id, source, sha256, format, loaded_at, counts, undone_at)"
                   " VALUES (?, ?, '', ?, ?, ?, ?)",
                   (record.id, record.source, ",".join(sorted({f.format for f in record.files})),
                    record.loaded_at, json.dumps(record.counts), record.undone_at))
        db.executemany("INSERT INTO import_files (import_id, source, sha256, format, rows, "
                       "archive, options) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       ((record.id, f.source, f.sha256, f.format, f.rows, f.archive, f.options)
                        for f in record.files))
    db.executemany("INSERT INTO person_aliases (alias, person_id) VALUES (?, ?)",
                   history.person_aliases.items())
    db.executemany("INSERT INTO forgotten (id, erased_at) VALUES (?, ?)",
                   history.forgotten.items())
    db.executemany("INSERT INTO match_reviews (id, name, new_id, candidate_id, score, status, "
                   "import_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   ((r.id, r.name, r.new_id, r.candidate_id, r.score, r.status, r.import_id)
                    for r in history.reviews))
