"""The visits of one import, held on disk until the import is written.

A million-row attendance log has about as many visits (person at session) as rows; held as
Python objects they would cost about a gigabyte. The spool keeps them in a temporary SQLite
file instead, so an import's memory grows with the people and sessions it names, not with its
rows. Rows of one file about one visit merge as they arrive, by the rules for rejoins
(:data:`graphsvc.rules.REJOINS`); reading the spool folds each visit across files by the rules
for visits (:data:`graphsvc.rules.ATTENDANCE`), whatever the order of the files. Iterating
gives the visits in (session, person) order, ready for a store.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Iterator

from graphsvc import rules
from graphsvc.model import Attendance
from graphsvc.store.sqlite_rules import aggregate, pair


def folded_visits(table: str) -> str:
    """The query folding a spool table (``table``, one row per visit per file) into one
    visit per (session, person), in that order."""
    across = ", ".join(f"{aggregate(rules.ATTENDANCE, name)[0]} AS {name}"
                       for name in rules.ATTENDANCE.policies)
    return (f"SELECT session_id, person_id, {across} FROM {table} "
            "GROUP BY session_id, person_id ORDER BY session_id, person_id")


def _merge() -> str:
    """A row for a visit the same file already gave: a rejoin."""
    sets = ", ".join(f"{name} = {pair(rules.REJOINS, name, name, 'excluded.' + name)}"
                     for name in rules.REJOINS.policies)
    return ("INSERT INTO visits (session_id, person_id, file, organisation_id, minutes, role) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, person_id, file) "
            f"DO UPDATE SET {sets}")


class VisitSpool:
    """An import's visits, one per (session, person, file), folded across files when read.

    >>> spool = VisitSpool()
    >>> spool.add("s1", "p1", "o1", 40, "attendee", file=1)
    >>> spool.add("s1", "p1", None, 25, "presenter", file=1)
    >>> spool.add("s1", "p1", None, 50, "attendee", file=2)
    >>> list(spool), len(spool), spool.repeats(1)
    ([Attendance(session_id='s1', person_id='p1', organisation_id='o1', minutes=65, role='presenter')], 1, 1)
    >>> spool.add("s2", "p1", None, 30, "attendee", file=2)
    >>> spool.add("s2", "p2", None, 30, "attendee", file=2)
    >>> spool.people_per_session()
    {'s1': 1, 's2': 2}
    >>> spool.close()
    """

    FLUSH = 20_000

    def __init__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="graphsvc-visits-")
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -32768",
                       "temp_store = FILE"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute(
            "CREATE TABLE visits (session_id TEXT, person_id TEXT, file INTEGER, "
            "organisation_id TEXT, minutes INTEGER, role TEXT, "
            "PRIMARY KEY (session_id, person_id, file)) WITHOUT ROWID")
        # rejoins counted as they merge, by file (a scan per file would cost more than the load)
        self._db.execute("CREATE TABLE repeats (file INTEGER PRIMARY KEY, n INTEGER)")
        self._db.execute("CREATE TRIGGER rejoin AFTER UPDATE ON visits BEGIN "
                         "UPDATE repeats SET n = n + 1 WHERE file = new.file; END")
        self._insert = _merge()
        self._pending: list[tuple] = []
        self._files: set[int] = set()
        self._count: int | None = 0

    @property
    def path(self) -> Path:
        """The spool's SQLite file (complete once :meth:`flush` has run): a SQLite store
        copies from it directly."""
        return Path(self._folder.name) / "visits.db"

    def add(self, session_id: str, person_id: str, organisation_id: str | None,
            minutes: int | None, role: str, file: int) -> None:
        if file not in self._files:
            self.flush()
            self._db.execute("INSERT OR IGNORE INTO repeats VALUES (?, 0)", (file,))
            self._files.add(file)
        self._pending.append((session_id, person_id, file, organisation_id, minutes, role))
        if len(self._pending) >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._db.execute("BEGIN")
            self._db.executemany(self._insert, self._pending)
            self._db.execute("COMMIT")
            self._pending.clear()
            self._count = None

    def __len__(self) -> int:
        """How many visits (folded across files)."""
        self.flush()
        if self._count is None:
            self._count = self._db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM visits GROUP BY session_id, person_id)"
            ).fetchone()[0]
        return self._count

    def __iter__(self) -> Iterator[Attendance]:
        self.flush()
        for row in self._db.execute(folded_visits("visits")):
            yield Attendance(*row)

    def named(self, column: str, *, folded: bool = False) -> set:
        """Every value ``column`` (``session_id``, ``person_id`` or ``organisation_id``) takes
        in the rows (``folded``: in the visits; a visit's organisation is one of its rows')."""
        if column not in ("session_id", "person_id", "organisation_id"):
            raise ValueError(f"no column {column!r} in a visit")
        self.flush()
        if folded:
            rows = self._db.execute(f"SELECT DISTINCT {column} FROM ({folded_visits('visits')})")
        else:
            rows = self._db.execute(f"SELECT DISTINCT {column} FROM visits")
        return {v for (v,) in rows if v is not None}

    def people_per_session(self) -> dict[str, int]:
        """How many people each session's visits name."""
        self.flush()
        return dict(self._db.execute("SELECT session_id, count(DISTINCT person_id) FROM visits "
                                     "GROUP BY session_id"))

    def repeats(self, file: int) -> int:
        """How many of one file's rows merged into an earlier row of the same file (rejoins)."""
        self.flush()
        row = self._db.execute("SELECT n FROM repeats WHERE file = ?", (file,)).fetchone()
        return row[0] if row else 0

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()
