"""The shared store: a Neo4j server, for region-wide services and data beyond one machine.

The graph is what it looks like: ``(:Person)-[:ATTENDED]->(:Session)-[:OF]->(:Community)``,
``(:Person)-[:WORKS_AT]->(:Organisation)-[:IN_SECTOR]->(:Sector)``, ``DECLARED`` ties between
people or organisations, and ``Place`` nodes named by ``place_id``. Every write is one
transaction (retried on transient errors) that first bumps the revision on the ``(:Meta)``
node, which also serialises writers; an import is written in chunks, each a transaction of its
own, and is still applied whole or not at all (:mod:`graphsvc.store.neo4j_load`). Reads are
routed as reads. Uniqueness constraints and indexes are created on first use. Answers are the
SQLite store's, row for row.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import date
from typing import Callable
from urllib.parse import unquote, urlsplit, urlunsplit

from graphsvc.errors import NotFound, StoreError
from graphsvc.extras import require
from graphsvc.model import Batch, MatchReview
from graphsvc.store import neo4j_changes as changes
from graphsvc.store import neo4j_load
from graphsvc.store.base import DEFAULT_CHUNK_ROWS, History, ImportFile, ImportRecord
from graphsvc.store.neo4j_reads import FactReads

RETRIES = 3
STALE_COMMIT_SECONDS = 60.0
PROBE_SECONDS = 1.0  # how long a reader waiting on a load tries the writers' lock at a time
SCHEMA_VERSION = 2  # 2: facts kept as claims (graphsvc.rules) on each node and relationship
_UNIQUE = (("Place", "id"), ("Sector", "id"), ("Organisation", "id"), ("Person", "id"),
           ("Community", "id"), ("Session", "id"), ("Import", "id"), ("Meta", "key"),
           ("PersonAlias", "alias"), ("MatchReview", "id"), ("Forgotten", "id"),
           ("CommitMarker", "key"), ("Loading", "id"))
_INDEXES = (
    "CREATE INDEX import_file_hash IF NOT EXISTS FOR (n:ImportFile) ON (n.sha256)",
    "CREATE INDEX review_pair IF NOT EXISTS FOR (n:MatchReview) ON (n.new_id, n.candidate_id)",
    # made by earlier versions; no query could use it (the one that asks for visits by
    # organisation also searches their claims, so scans them), and every visit written
    # paid for an entry in it
    "DROP INDEX attended_organisation IF EXISTS",
)
_MARKS = {  # a commit begun, and finished: see Neo4jStore._write
    counter: "MERGE (c:CommitMarker {key: 'graphsvc'}) ON CREATE SET c.committing = 0, "
             f"c.committed = 0 SET c.{counter} = c.{counter} + 1, c.changed_at = timestamp()"
    for counter in ("committing", "committed")}
_REVISION = ("OPTIONAL MATCH (c:CommitMarker {key: 'graphsvc'}) MATCH (m:Meta {key: 'graphsvc'}) "
             "RETURN m.revision AS v, EXISTS { MATCH (:Loading) } AS loading, "
             "coalesce(c.committing, 0) = coalesce(c.committed, 0) AS settled")


def split_url(url: str) -> tuple[str, str | None, str | None]:
    """A server URL without its credentials, and the user and password it carried.

    >>> split_url("bolt://ann:s%40cret@db.example:7687")
    ('bolt://db.example:7687', 'ann', 's@cret')
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return clean, user, password


class Neo4jStore(FactReads):
    """A graphsvc database on a Neo4j server (5.26 or later)."""

    def __init__(self, url: str, user: str | None = None, password: str | None = None,
                 database: str | None = None, chunk_rows: int | None = None):
        neo4j = require("neo4j", "neo4j")
        self.chunk_rows = chunk_rows or int(os.environ.get("GRAPHSVC_NEO4J_CHUNK_ROWS") or
                                            DEFAULT_CHUNK_ROWS)
        self.url, url_user, url_password = split_url(url)
        user = url_user or user or os.environ.get("GRAPHSVC_NEO4J_USER") or "neo4j"
        password = url_password or password or os.environ.get("GRAPHSVC_NEO4J_PASSWORD") or ""
        self.database = database or os.environ.get("GRAPHSVC_NEO4J_DATABASE") or "neo4j"
        self._driver = neo4j.GraphDatabase.driver(
            self.url, auth=(user, password), connection_timeout=5.0,
            max_transaction_retry_time=15.0, connection_acquisition_timeout=30.0,
            notifications_min_severity="OFF")
        try:
            self._driver.verify_connectivity()
        except neo4j.exceptions.AuthError:
            self._driver.close()
            raise StoreError(f"Neo4j at {self.url} refused the credentials of user {user!r} "
                             "(set GRAPHSVC_NEO4J_USER and GRAPHSVC_NEO4J_PASSWORD)") from None
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.ConfigurationError,
                OSError, ValueError) as exc:
            self._driver.close()
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreError(f"cannot reach Neo4j at {self.url}: {reason}") from None
        self._errors = neo4j.exceptions
        self._ensure_schema()

    # -- plumbing -----------------------------------------------------------------------
    def _session(self):
        return self._driver.session(database=self.database)

    def _read(self, query: str, **params) -> list:
        """The records of a read query, run as a read (routed to a reader in a cluster)."""
        def work(tx):
            return list(tx.run(query, **params))

        with self._session() as session:
            return self._guard(lambda: session.execute_read(work))

    def _values(self, query: str, **params) -> list[list]:
        """The rows of a read query as plain lists (faster than records for big reads)."""
        with self._session() as session:
            return self._guard(lambda: session.execute_read(
                lambda tx: tx.run(query, **params).values()))

    def _write(self, work: Callable) -> object:
        """Run ``work(tx)`` in one write transaction that first bumps the revision (which
        also serialises writers), retried on transient errors.

        Neo4j applies a committing transaction's changes one kind after another, so a reader
        could see part of a commit. Each commit is therefore announced on a marker node first
        and marked done after (in transactions of their own): :meth:`revision` waits while a
        commit is being applied, so a result read between two equal revisions saw no commit.
        """
        return self._guard(lambda: self._commit(work))

    def _commit(self, work: Callable) -> object:
        transient = (self._errors.TransientError, self._errors.SessionExpired)
        for attempt in range(RETRIES):
            with self._session() as session:
                tx = session.begin_transaction()
                try:
                    tx.run(neo4j_load.BUMP).consume()
                    changes.recover(tx)  # the lock held: a load that never finished goes first
                    result = work(tx)
                    self._mark("committing")
                    try:
                        tx.commit()
                    finally:
                        self._mark("committed")
                    return result
                except transient:
                    if attempt == RETRIES - 1:
                        raise
                    time.sleep(0.2 * (attempt + 1))
                finally:
                    if tx.closed() is False:
                        tx.close()
        raise AssertionError("unreachable")

    def _recover_abandoned(self, wait: bool = False) -> None:
        """Remove what a load that never finished wrote, if its writer is gone (if the
        writers' lock can be had within :data:`PROBE_SECONDS`, or at all if ``wait``)."""
        if wait or self._guard(lambda: neo4j_load.abandoned(self, PROBE_SECONDS)):
            self._write(lambda tx: None)  # every write recovers abandoned loads first

    def _mark(self, counter: str) -> None:
        """Count a commit begun (``committing``) or finished (``committed``)."""
        with self._session() as session:
            session.run(_MARKS[counter]).consume()

    def _guard(self, action: Callable) -> object:
        try:
            return action()
        except (self._errors.ServiceUnavailable, self._errors.SessionExpired) as exc:
            raise StoreError(f"lost Neo4j at {self.url} ({exc}); nothing of the unfinished "
                             "transaction was written") from exc
        except self._errors.ConstraintError as exc:
            raise StoreError(f"the import breaks the database's integrity ({exc.message}); "
                             "nothing was written") from exc
        except self._errors.Neo4jError as exc:
            hint = ("; set GRAPHSVC_NEO4J_CHUNK_ROWS lower (an import is written in chunks "
                    "of that many things) or give the server more heap"
                    if "OutOfMemory" in (exc.code or "") else "")
            raise StoreError(f"Neo4j at {self.url} refused the transaction ({exc.code}: "
                             f"{exc.message}){hint}; nothing was written") from exc

    def _ensure_schema(self) -> None:
        with self._session() as session:
            for label, key in _UNIQUE:
                session.run(f"CREATE CONSTRAINT {label.lower()}_{key} IF NOT EXISTS "  # whitelist
                            f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE").consume()
            for statement in _INDEXES:
                session.run(statement).consume()
            session.run("MERGE (m:Meta {key: 'graphsvc'}) ON CREATE SET m.revision = 0, "
                        "m.schema_version = $version, m.next_review = 0",
                        version=SCHEMA_VERSION).consume()
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"the Neo4j database at {self.url} has graphsvc schema version "
                             f"{version}, newer than this graphsvc understands; upgrade graphsvc")
        if version < SCHEMA_VERSION:
            from graphsvc.store.neo4j_history import to_claims

            self._write(to_claims)
        if self._read("MATCH (l:Loading) RETURN count(l) AS n")[0]["n"]:
            self._recover_abandoned()  # a load that died with its writer

    def schema_version(self) -> int:
        return self._read("MATCH (m:Meta {key: 'graphsvc'}) RETURN m.schema_version AS v")[0]["v"]

    def revision(self) -> int:
        """The revision of the data, once no commit is being applied and no import is being
        loaded (a load whose writer is gone is recovered first; a commit marked begun but never
        finished, for over a minute, is taken as a writer that died)."""
        deadline = time.monotonic() + STALE_COMMIT_SECONDS
        probe = time.monotonic() + PROBE_SECONDS
        while True:
            row = self._read(_REVISION)[0]
            now = time.monotonic()
            if row["loading"]:  # as long as it takes: never half an import
                deadline = now + STALE_COMMIT_SECONDS
                if now > probe:  # then wait in the lock's queue, a second at a time, so
                    self._recover_abandoned()  # a writer gone, or done, is seen at once
            elif row["settled"] or now > deadline:
                return row["v"]
            time.sleep(0.02)

    # -- writing ------------------------------------------------------------------------
    def apply(self, batch: Batch, record: ImportRecord | None = None) -> dict[str, int]:
        """Store the batch's claims, a chunk per transaction, and all of them or nothing."""
        source = record.id if record else f"direct:{uuid.uuid4().hex[:12]}"
        return self._guard(lambda: neo4j_load.load(self, batch, record, source))

    def restore(self, history: History) -> None:
        from graphsvc.store.neo4j_history import restore_history

        counts = self.counts()
        if any(counts[part] for part in ("organisations", "people", "sessions")):
            raise StoreError(f"the Neo4j database at {self.url} already holds data; "
                             "restore only into an empty store")
        self._write(lambda tx: restore_history(tx, history))

    def history(self) -> History:
        from graphsvc.store.neo4j_history import read_history

        return read_history(self._values, self.imports(), self.person_aliases(),
                            self.reviews(None))

    # -- reading (of the facts: graphsvc.store.neo4j_reads) -----------------------------
    def imports(self) -> list[ImportRecord]:
        files: dict[str, list[ImportFile]] = {}
        for row in self._read("MATCH (f:ImportFile) RETURN f.import_id, f.source, f.sha256, "
                              "f.format, f.rows, f.archive, coalesce(f.options, '') "
                              "ORDER BY f.import_id, f.source"):
            import_id, *rest = row.values()
            files.setdefault(import_id, []).append(ImportFile(*rest))
        rows = self._read("MATCH (i:Import) RETURN i.id, i.loaded_at, i.counts, i.undone_at "
                          "ORDER BY i.loaded_at, i.id")
        return [ImportRecord(i, t, tuple(files.get(i, ())), json.loads(c), u)
                for i, t, c, u in (row.values() for row in rows)]

    def find_import(self, sha256: str, options: str = "") -> ImportRecord | None:
        rows = self._read("MATCH (f:ImportFile {sha256: $sha}) MATCH (i:Import {id: f.import_id})"
                          " WHERE i.undone_at IS NULL AND coalesce(f.options, '') IN [$options, '']"
                          " RETURN i.id AS id", sha=sha256, options=options)
        found = rows[0]["id"] if rows else None
        return next((r for r in self.imports() if r.id == found), None) if found else None

    def person_aliases(self) -> dict[str, str]:
        return {r["alias"]: r["person"] for r in self._read(
            "MATCH (a:PersonAlias) RETURN a.alias AS alias, a.person_id AS person")}

    def reviews(self, status: str | None = "pending") -> list[MatchReview]:
        rows = self._read(
            "MATCH (r:MatchReview) WHERE $status IS NULL OR r.status = $status "
            "RETURN r.name, r.new_id, r.candidate_id, r.score, r.id, r.status, r.import_id "
            "ORDER BY r.id", status=status)
        return [MatchReview(*row.values()) for row in rows]

    def session_spans(self) -> dict[str, tuple[int, date, date]]:
        rows = self._values("MATCH (s:Session) UNWIND s.claim_imports AS i "
                            "RETURN i, count(s), min(s.held_on), max(s.held_on)")
        return {i: (n, date.fromisoformat(first), date.fromisoformat(last))
                for i, n, first, last in rows}

    # -- undo, merges, consent, erasure ---------------------------------------------------
    def undo_import(self, import_id: str) -> dict[str, int]:
        self._require_undoable(import_id)
        return self._write(lambda tx: changes.undo(tx, import_id))

    def undo_preview(self, import_id: str) -> dict[str, int]:
        self._require_undoable(import_id)
        with self._session() as session:
            return self._guard(lambda: session.execute_read(
                lambda tx: changes.only_claimed(tx, import_id)))

    def undo_refusal(self, import_id: str) -> str | None:
        self._require_undoable(import_id)

        def trial() -> str | None:
            with self._session() as session:
                tx = session.begin_transaction()
                try:
                    changes.undo(tx, import_id)
                except StoreError as exc:
                    return str(exc)
                finally:
                    tx.close()  # rolled back: nothing of the trial is kept
            return None

        return self._guard(trial)

    def _require_undoable(self, import_id: str) -> None:
        if not self._read("MATCH (i:Import {id: $id}) WHERE i.undone_at IS NULL RETURN i.id",
                          id=import_id):
            raise NotFound(f"no import {import_id!r} to undo (see graphsvc imports)")

    def merge_people(self, keep: str, other: str) -> None:
        self._write(lambda tx: changes.merge_people(tx, keep, other))

    def merge_organisations(self, keep: str, other: str) -> None:
        self._write(lambda tx: changes.merge_organisations(tx, keep, other))

    def set_consent(self, person_id: str, consent: str) -> None:
        self._write(lambda tx: changes.set_consent(tx, person_id, consent))

    def forgotten(self) -> set[str]:
        return {r[0] for r in self._values("MATCH (f:Forgotten) RETURN f.id")}

    def forget_person(self, person_id: str) -> dict:
        return self._write(lambda tx: changes.forget_person(tx, person_id))

    def remember_erased(self, person_id: str) -> None:
        self._write(lambda tx: changes.remember_erased(tx, person_id))

    def wipe_free_space(self) -> None:
        """Nothing a client can do: Neo4j reuses the space of deleted records as it writes
        and offers no online compaction (README, Erasure, says how to compact offline)."""

    def redact_name(self, name: str) -> int:
        return self._write(lambda tx: changes.redact_name(tx, name))

    def decide_review(self, review_id: int, confirm: bool) -> MatchReview:
        review = next((r for r in self.reviews(None) if r.id == review_id), None)
        if review is None or review.status != "pending":
            raise NotFound(f"no pending review {review_id} (see graphsvc review)")
        self._write(lambda tx: changes.decide_review(tx, review, confirm))
        return next(r for r in self.reviews(None) if r.id == review_id)

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> "Neo4jStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

