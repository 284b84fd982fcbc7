"""The visits of one import, held on disk until the import is written.

A million-row attendance log has about as many visits (person at session) as rows; held as
Python objects they would cost about a gigabyte. The spool keeps each row in a temporary SQLite
file instead, so an import's memory grows with the people and sessions it names, not with its
rows. Reading the spool folds the rows by the rules (:mod:`graphsvc.rules`): rows of one file
about one visit are rejoins (``REJOINS``), and the same visit in two files is one visit
(``ATTENDANCE``). Iterating gives the visits in (session, person) order, ready for a store.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Iterator

from graphsvc import rules
from graphsvc.model import Attendance
from graphsvc.store.sqlite_rules import aggregate


def folded_visits(table: str) -> str:
    """The query folding the rows of a spool table (``table``) into one visit per (session,
    person): first each file's rows (rejoins), then across files."""
    in_file = ", ".join(f"{aggregate(rules.REJOINS, name)[0]} AS {name}"
                        for name in rules.REJOINS.policies)
    across = ", ".join(f"{aggregate(rules.ATTENDANCE, name)[0]} AS {name}"
                       for name in rules.ATTENDANCE.policies)
    return (f"SELECT session_id, person_id, {across} FROM (SELECT session_id, person_id, "
            f"{in_file} FROM {table} GROUP BY session_id, person_id, file) "
            "GROUP BY session_id, person_id ORDER BY session_id, person_id")


class VisitSpool:
    """The rows of an import's visits, numbered by file, folded when read.

    >>> spool = VisitSpool()
    >>> spool.add("s1", "p1", "o1", 40, "attendee", file=1)
    >>> spool.add("s1", "p1", None, 25, "presenter", file=1)
    >>> spool.add("s1", "p1", None, 50, "attendee", file=2)
    >>> list(spool), len(spool), spool.repeats(1)
    ([Attendance(session_id='s1', person_id='p1', organisation_id='o1', minutes=65, role='presenter')], 1, 1)
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
            "CREATE TABLE visits (session_id TEXT, person_id TEXT, organisation_id TEXT, "
            "minutes INTEGER, role TEXT, file INTEGER)")
        self._pending: list[tuple] = []
        self._indexed = False
        self._rows = 0  # rows added so far: a file's rows have consecutive rowids
        self._files: dict[int, list[int]] = {}  # file -> [first rowid, last rowid]

    @property
    def path(self) -> Path:
        """The spool's SQLite file (complete once :meth:`flush` has run): a SQLite store
        copies from it directly."""
        return Path(self._folder.name) / "visits.db"

    def add(self, session_id: str, person_id: str, organisation_id: str | None,
            minutes: int | None, role: str, file: int) -> None:
        self._pending.append((session_id, person_id, organisation_id, minutes, role, file))
        self._rows += 1
        self._files.setdefault(file, [self._rows, self._rows])[1] = self._rows
        if len(self._pending) >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO visits VALUES (?, ?, ?, ?, ?, ?)", self._pending)
            self._db.execute("COMMIT")
            self._pending.clear()
            self._indexed = False

    def _ready(self) -> None:
        """Flushed, and indexed for folding (once, after the rows are in)."""
        self.flush()
        if not self._indexed:
            self._db.execute("CREATE INDEX IF NOT EXISTS visits_by_key ON visits "
                             "(session_id, person_id, file)")
            self._indexed = True

    def __len__(self) -> int:
        self._ready()
        return self._db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM visits GROUP BY session_id, person_id)"
        ).fetchone()[0]

    def __iter__(self) -> Iterator[Attendance]:
        self._ready()
        for row in self._db.execute(folded_visits("visits")):
            yield Attendance(*row)

    def repeats(self, file: int) -> int:
        """How many of one file's rows repeat an earlier row of the same file (rejoins)."""
        self.flush()
        first, last = self._files.get(file, (1, 0))
        rows, visits = self._db.execute(
            "SELECT count(*), count(DISTINCT session_id || char(31) || person_id) FROM visits "
            "WHERE rowid BETWEEN ? AND ?", (first, last)).fetchone()
        return rows - visits

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()
