"""The visits of one import, held on disk until the import is written.

A million-row attendance log has about as many visits (person at session) as rows; held as
Python objects they would cost about a gigabyte. The spool keeps them in a temporary SQLite
file instead, merging repeats as they arrive, so an import's memory grows with the people and
sessions it names, not with its rows. Iterating the spool gives the visits in
(session, person) order, ready for the store to write.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Iterator

from graphsvc.model import Attendance

RANK = {"organiser": 3, "facilitator": 2, "presenter": 1, "attendee": 0}

# A second row for one visit in the same file is a rejoin: minutes add up. In another file it is
# the same session exported twice: the longer stay counts. The senior role wins either way.
_MERGE = """INSERT INTO visits (session_id, person_id, organisation_id, minutes, role, rank, file)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (session_id, person_id) DO UPDATE SET
    minutes = CASE WHEN minutes IS NULL AND excluded.minutes IS NULL THEN NULL
        WHEN file = excluded.file THEN coalesce(minutes, 0) + coalesce(excluded.minutes, 0)
        ELSE max(coalesce(minutes, 0), coalesce(excluded.minutes, 0)) END,
    organisation_id = coalesce(organisation_id, excluded.organisation_id),
    role = CASE WHEN excluded.rank > rank THEN excluded.role ELSE role END,
    rank = max(rank, excluded.rank),
    file = excluded.file"""


class VisitSpool:
    """Visits keyed by (session, person), merged as they are added.

    >>> spool = VisitSpool()
    >>> spool.add("s1", "p1", "o1", 40, "attendee", file=1)
    >>> spool.add("s1", "p1", None, 25, "presenter", file=1)
    >>> list(spool), len(spool), spool.repeats(1)
    ([Attendance(session_id='s1', person_id='p1', organisation_id='o1', minutes=65, role='presenter')], 1, 1)
    >>> spool.close()
    """

    FLUSH = 20_000

    def __init__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="graphsvc-visits-")
        self._db = sqlite3.connect(self.path, isolation_level=None,
                                   check_same_thread=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -32768",
                       "temp_store = FILE"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute(
            "CREATE TABLE visits (session_id TEXT, person_id TEXT, organisation_id TEXT, "
            "minutes INTEGER, role TEXT, rank INTEGER, file INTEGER, "
            "PRIMARY KEY (session_id, person_id)) WITHOUT ROWID")
        # rejoins counted as they merge, by file (a scan per file would cost more than the load)
        self._db.execute("CREATE TABLE repeats (file INTEGER PRIMARY KEY, n INTEGER)")
        self._db.execute(
            "CREATE TRIGGER rejoin AFTER UPDATE ON visits WHEN old.file = new.file BEGIN "
            "UPDATE repeats SET n = n + 1 WHERE file = new.file; END")
        self._pending: list[tuple] = []
        self._file: int | None = None

    @property
    def path(self) -> Path:
        """The spool's SQLite file (complete once :meth:`flush` has run): a SQLite store
        copies from it directly."""
        return Path(self._folder.name) / "visits.db"

    def add(self, session_id: str, person_id: str, organisation_id: str | None,
            minutes: int | None, role: str, file: int) -> None:
        if file != self._file:
            self.flush()
            self._db.execute("INSERT OR IGNORE INTO repeats VALUES (?, 0)", (file,))
            self._file = file
        self._pending.append((session_id, person_id, organisation_id, minutes, role, RANK[role],
                              file))
        if len(self._pending) >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._db.execute("BEGIN")
            self._db.executemany(_MERGE, self._pending)
            self._db.execute("COMMIT")
            self._pending.clear()

    def __len__(self) -> int:
        self.flush()
        return self._db.execute("SELECT count(*) FROM visits").fetchone()[0]

    def __iter__(self) -> Iterator[Attendance]:
        self.flush()
        rows = self._db.execute(
            "SELECT session_id, person_id, organisation_id, minutes, role FROM visits "
            "ORDER BY session_id, person_id")
        for row in rows:
            yield Attendance(*row)

    def repeats(self, file: int) -> int:
        """How many of one file's rows merged into an earlier row of the same file (rejoins)."""
        self.flush()
        row = self._db.execute("SELECT n FROM repeats WHERE file = ?", (file,)).fetchone()
        return row[0] if row else 0

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()
