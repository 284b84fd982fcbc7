"""Loading an import into Neo4j a chunk at a time, applied whole or not at all.

One transaction per import holds the whole import in the server's heap until it commits: at
Greater Manchester scale (600,000 visits) that took minutes to commit and more than the test
server's 3 GiB of heap (bench/bench_neo4j.py). So its claims are written in chunks of
``chunk_rows`` things (``GRAPHSVC_NEO4J_CHUNK_ROWS``), each chunk its own transaction, and the
import is still one: applied whole or not at all, and undone like any other.

- **The lease.** Before the first chunk, a transaction takes the writers' lock (it bumps the
  revision on the ``Meta`` node, as every write does first) and stays open until the import is
  done. No other write runs meanwhile, and the lease ends with its writer: the server rolls it
  back when the writer's connection goes, or when the server itself stops.
- **The Loading node.** ``(:Loading {id})``, committed before the first chunk, says an import
  is under way: :meth:`Neo4jStore.revision` waits while one exists, so no reader keeps a result
  read during a load. Each chunk touches it (the progress a reader sees) and writes nothing if
  it has gone.
- **Done.** The lease writes the import's record and reviews, deletes the Loading node and
  commits: the import and the new revision appear at once.
- **Not done.** If anything fails, the lease is given up and the claims the chunks wrote are
  removed by the removal undo uses (:func:`neo4j_changes.recover`). If the writer or the server
  died, the Loading node outlives its lease; whoever next holds the writers' lock (the next
  write, the next start, or a reader that finds the lock free) removes them first.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Iterable, Iterator

from graphsvc import rules
from graphsvc.errors import StoreError
from graphsvc.model import Batch
from graphsvc.store import neo4j_changes as changes
from graphsvc.store import neo4j_claims as claims
from graphsvc.store.base import ImportRecord

BUMP = "MATCH (m:Meta {key: 'graphsvc'}) SET m.revision = m.revision + 1"
_LOCK_HELD = ("Neo.ClientError.Transaction.LockClientStopped",
              "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")
_TOUCH = "MATCH (l:Loading {id: $id}) SET l.progress = timestamp() RETURN count(l) AS n"

Chunk = list[tuple[str, list[dict]]]  # (part, claims) in the order of claims.ORDER


def load(store, batch: Batch, record: ImportRecord | None, source: str) -> dict[str, int]:
    """Write ``batch`` as the claims of ``source`` (and ``record``, if given), a chunk per
    transaction; things claimed, per part."""
    made = {part: claims.as_claims(part, rows, source)
            for part, rows in rules.claims(batch, skip=("attendance",)).items()}
    if isinstance(batch.attendance, list):  # else a spool, streamed a chunk at a time
        made["attendance"] = [_visit(v, source) for v in batch.attendance]
    lease = Lease(store)
    try:
        _in_transaction(store, lambda tx: _begin(tx, batch, made, source))
    except BaseException:
        lease.give_up()  # nothing was written
        raise
    try:
        written = write_chunks(store, batch, made, source)
        lease.finish(batch, record, source, written)
        return written
    except BaseException:
        lease.give_up()
        _clean_up(store)
        raise


def _begin(tx, batch: Batch, made: dict[str, list[dict]], source: str) -> None:
    """Refuse a batch that names what does not exist, before anything is written; then say
    that a load is under way."""
    ids = {part: {c["id"] for c in made.get(part, ())} for part in claims.NODES}
    visits = batch.attendance

    def named(part: str, column: str, folded: bool = False) -> set:
        if part == "attendance" and not isinstance(visits, list):
            return visits.named(column, folded=folded)
        return claims.named_in(made.get(part, ()), column)

    try:
        claims.check_references(tx, ids, named)
    except StoreError:
        if isinstance(visits, list):
            raise
        # the rows' organisations are quick to list, the visits' are exact: ask again
        claims.check_references(tx, ids, lambda part, column: named(part, column, True))
    tx.run("CREATE (:Loading {id: $id, started: timestamp(), progress: timestamp()})",
           id=source).consume()


def write_chunks(store, batch: Batch, made: dict[str, list[dict]], source: str) -> dict:
    """Every claim of the batch, in chunks of ``store.chunk_rows`` things, each chunk in a
    transaction of its own; things claimed, per part.

    While the server writes one chunk, a second thread reads what the store holds about the
    next and folds it (Python's work and the server's overlap). That read may run beside a
    chunk's write: the two never share a thing, and no other writer runs during a load."""
    written: dict[str, int] = {}
    chunks = packed(_things(batch, made, source), store.chunk_rows)
    with ThreadPoolExecutor(1, thread_name_prefix="graphsvc-load") as ahead:
        following = ahead.submit(_prepare, store, chunks)
        while (prepared := following.result()) is not None:
            following = ahead.submit(_prepare, store, chunks)
            counts = _in_transaction(store, lambda tx: _write_chunk(tx, source, prepared))
            for part, count in counts.items():
                written[part] = written.get(part, 0) + count
    return written


def _prepare(store, chunks: Iterator[Chunk]) -> list | None:
    """The next chunk as rows to write, or None when there are no more."""
    chunk = next(chunks, None)
    if chunk is None:
        return None
    with store._session() as session:  # the writer's routing: it sees every commit so far
        return session.execute_write(
            lambda tx: [(part, claims.plan(tx, part, held)) for part, held in chunk])


def _in_transaction(store, work):
    """``work(tx)`` in a write transaction of its own (retried by the driver if transient)."""
    with store._session() as session:
        return session.execute_write(work)


def _write_chunk(tx, source: str, prepared: list) -> dict[str, int]:
    if tx.run(_TOUCH, id=source).single()["n"] != 1:
        raise StoreError(f"the load of {source} lost its lease (another writer recovered it); "
                         "nothing of it is kept")
    counts = {}
    for part, (rows, count) in prepared:
        claims.write_rows(tx, part, rows)
        counts[part] = count
    return counts


def _things(batch: Batch, made: dict[str, list[dict]], source: str):
    """(part, the claims about each thing in turn), part by part in claims.ORDER. A part given
    as a list is grouped by key first (one import's claims about one thing are written
    together); the visits of a spool are one per thing already, and stream."""
    for part in claims.ORDER:
        if part == "attendance" and part not in made:
            yield part, ([_visit(v, source)] for v in batch.attendance)
            continue
        grouped: dict[tuple, list[dict]] = {}
        key_of = rules.FACTS[part].key_of
        for claim in made.get(part, ()):
            grouped.setdefault(key_of(claim), []).append(claim)
        if grouped:
            yield part, iter(grouped.values())


def _visit(visit, source: str) -> dict:
    claim = rules.ATTENDANCE.claim(visit)
    claim["import_id"] = source
    return claim


def packed(parts: Iterable[tuple[str, Iterator[list[dict]]]], size: int) -> Iterator[Chunk]:
    """Chunks of at most ``size`` things, filled part after part (a small import is one).

    >>> [[(p, len(c)) for p, c in chunk] for chunk in packed(
    ...     [("people", iter([[{}], [{}], [{}]])), ("sessions", iter([[{}, {}]]))], 2)]
    [[('people', 2)], [('people', 1), ('sessions', 2)]]
    """
    chunk: Chunk = []
    room = size
    for part, things in parts:
        while True:
            taken = list(islice(things, room))
            if not taken:
                break
            chunk.append((part, [c for thing in taken for c in thing]))
            room -= len(taken)
            if room == 0:
                yield chunk
                chunk, room = [], size
    if chunk:
        yield chunk


class Lease:
    """The writers' lock, held by an open transaction from before the first chunk until the
    import is done (or given up)."""

    def __init__(self, store):
        self.store = store
        while True:
            self.session = store._session()
            self.tx = self.session.begin_transaction(metadata={"graphsvc": "import lease"})
            self.tx.run(BUMP).consume()
            if not self.tx.run("MATCH (l:Loading) RETURN count(l) AS n").single()["n"]:
                return
            # a load whose writer died: recovered by a write of its own, since this lease's
            # transaction must not lock what the chunks will write
            self.give_up()
            store._recover_abandoned()

    def finish(self, batch: Batch, record: ImportRecord | None, source: str,
               written: dict[str, int]) -> None:
        """The import's record and reviews, and the Loading node gone, in one commit."""
        tx = self.tx
        skipped = changes.drop_forgotten(tx)
        if skipped:
            written["erased_people_skipped"] = skipped
        changes.write_reviews(tx, batch.reviews, record.id if record else None)
        if record is not None:
            write_import(tx, record, written)
        if tx.run("MATCH (l:Loading {id: $id}) DELETE l RETURN count(*) AS n",
                  id=source).single()["n"] != 1:
            raise StoreError(f"the load of {source} lost its lease; nothing of it is kept")
        self.store._mark("committing")
        try:
            tx.commit()
        finally:
            self.store._mark("committed")
        self.session.close()

    def give_up(self) -> None:
        """Roll the lease back (if the server is still there to hear it)."""
        try:
            if not self.tx.closed():
                self.tx.rollback()
            self.session.close()
        except Exception:  # noqa: BLE001 - a lost server has rolled it back already
            pass


def _clean_up(store) -> None:
    """Remove what a failed load wrote now, or leave it to the next writer or start if the
    server cannot be reached."""
    try:
        store._recover_abandoned(wait=True)
    except Exception:  # noqa: BLE001 - the Loading node stays, and says what to recover
        pass


def abandoned(store, seconds: float) -> bool:
    """Whether a load was abandoned: a Loading node is there while the writers' lock is free
    (tried for ``seconds``; taken, looked under, and let go)."""
    with store._session() as session:
        try:
            tx = session.begin_transaction(timeout=seconds)
            tx.run(BUMP).consume()
            found = tx.run("MATCH (l:Loading) RETURN count(l) AS n").single()["n"]
            tx.rollback()
            return found > 0  # none: the load finished while the lock was awaited
        except store._errors.ClientError as exc:
            if exc.code in _LOCK_HELD:
                return False  # a load's lease, or a write, holds it
            raise


def write_import(tx, record: ImportRecord, written: dict) -> None:
    tx.run("CREATE (:Import {id: $id, source: $source, format: $format, loaded_at: $at, "
           "counts: $counts})", id=record.id, source=record.source,
           format=",".join(sorted({f.format for f in record.files})), at=record.loaded_at,
           counts=json.dumps({**record.counts, **written})).consume()
    tx.run("UNWIND $files AS f MERGE (n:ImportFile {import_id: $id, sha256: f.sha256, "
           "options: f.options}) "
           "ON CREATE SET n.source = f.source, n.format = f.format, n.rows = f.rows, "
           "n.archive = f.archive",
           id=record.id, files=[{"source": f.source, "sha256": f.sha256, "format": f.format,
                                 "rows": f.rows, "archive": f.archive, "options": f.options}
                                for f in record.files]).consume()
