"""An import written to Neo4j in chunks is still one import: a failure between chunks, or a
writer that dies between them, leaves nothing of it that a reader can see, and what the chunks
wrote is removed (at once, by the next write, by a reader that finds the writer gone, or at
the next start). See graphsvc.store.neo4j_load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from graphsvc.errors import StoreError
from graphsvc.model import Attendance, Batch, Community, Organisation, Person, Sector, Session
from graphsvc.store import ImportFile, ImportRecord, neo4j_load, open_store
from graphsvc.store.neo4j import PROBE_SECONDS
from tests.graphsvc.store.test_neo4j import big_batch
from tests.graphsvc.store.test_rules_on_stores import facts
from tests.neo4j_server import PASSWORD

ROOT = Path(__file__).resolve().parents[3]


def record(name: str) -> ImportRecord:
    return ImportRecord(name, "2026-11-30T00:00:00+00:00",
                        (ImportFile(f"{name}.csv", name * 8, "attendance-log", 1),))


def first_batch() -> Batch:
    community = Community("community:c", "Carers network")
    return Batch(communities=[community],
                 people=[Person(f"person:{i}", f"Person {i}") for i in range(6)],
                 sessions=[Session("session:1", community.id, "Kick-off", date(2020, 1, 6))],
                 attendance=[Attendance("session:1", f"person:{i}", minutes=30)
                             for i in range(6)])


def second_batch() -> Batch:
    """New claims about what the first holds, and things of its own: several chunks."""
    return Batch(people=[Person(f"person:{i}", f"Person {i}", f"p{i}@mail.example")
                         for i in range(12)],
                 sessions=[Session("session:2", "community:c", "Follow-up", date(2020, 2, 3))],
                 attendance=[Attendance(s, f"person:{i}", minutes=60, role="facilitator")
                             for s in ("session:1", "session:2") for i in range(12)])


def loading(url: str) -> int:
    """How many loads are under way (or were abandoned), read straight from the server."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(_bare(url), auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query("MATCH (l:Loading) RETURN count(l) AS n")
        return records[0]["n"]


def _bare(url: str) -> str:
    return url.replace(f"neo4j:{PASSWORD}@", "")


def test_a_failure_between_chunks_leaves_nothing_of_the_import(neo4j_url, monkeypatch):
    store = open_store(neo4j_url, neo4j_chunk_rows=5)
    store.apply(first_batch(), record("a"))
    before = (facts(store), store.imports(), store.revision())
    written = []
    real = neo4j_load._write_chunk

    def fails_third_time(tx, source, prepared):
        if len(written) == 2:
            raise RuntimeError("the writer failed between chunks")
        written.append(source)
        return real(tx, source, prepared)

    monkeypatch.setattr(neo4j_load, "_write_chunk", fails_third_time)
    with pytest.raises(RuntimeError):
        store.apply(second_batch(), record("b"))
    assert len(written) == 2  # two chunks were committed before the failure
    # what the two chunks wrote is gone, read straight from the graph (no revision asked)
    assert (facts(store), store.imports()) == before[:2]
    assert loading(neo4j_url) == 0
    assert store.revision() > before[2]  # a reader may have seen the chunks: it must not keep

    monkeypatch.setattr(neo4j_load, "_write_chunk", real)
    store.apply(second_batch(), record("b"))  # the same import, whole this time
    assert [r.id for r in store.imports()] == ["a", "b"]
    assert store.counts()["attendance"] == 24
    store.close()


def test_a_reader_waits_out_a_load_and_adds_nothing_to_it(neo4j_url, monkeypatch):
    """A reader asking for the revision while chunks are being written gets the revision
    after the import (never the one before, whose data it would be reading half-changed),
    and its looks at the writers' lock while it waits write nothing."""
    store, reader = open_store(neo4j_url, neo4j_chunk_rows=5), open_store(neo4j_url)
    store.apply(first_batch(), record("a"))
    before = store.revision()
    real, written, paused, go_on = neo4j_load._write_chunk, [], threading.Event(), \
        threading.Event()

    def pauses_after_one_chunk(tx, source, prepared):
        if len(written) == 1:
            paused.set()
            go_on.wait(60)
        written.append(source)
        return real(tx, source, prepared)

    monkeypatch.setattr(neo4j_load, "_write_chunk", pauses_after_one_chunk)
    loader = threading.Thread(target=store.apply, args=(second_batch(), record("b")))
    loader.start()
    assert paused.wait(60)
    seen: list[int] = []
    asking = threading.Thread(target=lambda: seen.append(reader.revision()))
    asking.start()
    time.sleep(3 * PROBE_SECONDS)  # long enough for the reader to try the lock a few times
    assert not seen  # still waiting (the assertion that matters is the next one)
    go_on.set()
    loader.join(120)
    asking.join(120)
    assert seen == [before + 1] == [store.revision()]
    store.close()
    reader.close()


def test_a_load_whose_lease_ends_writes_nothing_more(neo4j_url, monkeypatch):
    """If the lease ends while its writer lives on (an operator terminates it), another
    writer may recover the load: the writer's next chunk must then write nothing."""
    from neo4j import GraphDatabase

    store, other = open_store(neo4j_url, neo4j_chunk_rows=5), open_store(neo4j_url)
    store.apply(first_batch(), record("a"))
    before = (facts(store), store.imports())
    real, written = neo4j_load._write_chunk, []

    def lease_ends_after_one_chunk(tx, source, prepared):
        if len(written) == 1:
            with GraphDatabase.driver(_bare(neo4j_url), auth=("neo4j", PASSWORD)) as driver:
                leases, _, _ = driver.execute_query(
                    "SHOW TRANSACTIONS YIELD transactionId AS id, metaData "
                    "WHERE metaData.graphsvc = 'import lease' RETURN id")
                assert len(leases) == 1
                driver.execute_query("TERMINATE TRANSACTIONS $ids",
                                     ids=[lease["id"] for lease in leases])
            other.set_consent("person:0", "aggregate")  # a write: it recovers the load
        written.append(source)
        return real(tx, source, prepared)

    monkeypatch.setattr(neo4j_load, "_write_chunk", lease_ends_after_one_chunk)
    with pytest.raises(StoreError, match="lost its lease"):
        store.apply(second_batch(), record("b"))
    assert len(written) == 2
    other.set_consent("person:0", "named")
    assert (facts(store), store.imports()) == before
    store.close()
    other.close()


CHILD = """
import sys
from graphsvc.store import ImportFile, ImportRecord, open_store
from tests.graphsvc.store.test_neo4j import big_batch

store = open_store(sys.argv[1], neo4j_chunk_rows=100)
store.apply(big_batch(2_000, 200), ImportRecord(
    "doomed", "2026-11-30T00:00:00+00:00", (ImportFile("big.csv", "ab" * 32, "attendance-log", 1),)))
print("the load finished before it could be stopped", flush=True)
"""


def _visits(url: str) -> int:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(_bare(url), auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query("MATCH ()-[r:ATTENDED]->() RETURN count(r) AS n")
        return records[0]["n"]


def _transactions(url: str) -> int:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(_bare(url), auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query("SHOW TRANSACTIONS YIELD transactionId "
                                             "RETURN count(*) AS n")
        return records[0]["n"] - 1  # this one


def kill_a_writer_between_chunks(url: str, base: int) -> None:
    """Start a load of many chunks in another process and kill it (SIGKILL, as a crash
    would) once some of its visits are committed; wait until the server has let go of it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, url], env=env, cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while _visits(url) <= base:
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the load never got going"
            time.sleep(0.02)
    finally:
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
    assert b"finished" not in out
    deadline = time.monotonic() + 60
    while _transactions(url) > 0:  # the server notices the dead connection and rolls back
        assert time.monotonic() < deadline, "the server kept the dead writer's transactions"
        time.sleep(0.05)


@pytest.mark.parametrize("who", ["a reader", "the next start"])
def test_a_writer_killed_between_chunks_leaves_nothing_a_reader_keeps(neo4j_url, who):
    store = open_store(neo4j_url)
    store.apply(big_batch(50, 5), record("base"))  # the dead load adds to these too
    before = (facts(store), store.imports())
    revision = store.revision()

    kill_a_writer_between_chunks(neo4j_url, store.counts()["attendance"])
    assert loading(neo4j_url) == 1 and store.counts()["attendance"] > 200  # half an import

    if who == "a reader":
        assert store.revision() > revision  # waits for the load: its writer is gone, so it
        assert (facts(store), store.imports()) == before  # removes what the chunks wrote
    else:
        reopened = open_store(neo4j_url)
        assert (facts(reopened), reopened.imports()) == before
        assert reopened.revision() > revision
        reopened.close()
    assert loading(neo4j_url) == 0
    store.close()


def links(url: str) -> tuple[set, set]:
    """(organisation, sector) and (session, community) pairs joined in the graph."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(_bare(url), auth=("neo4j", PASSWORD)) as driver:
        sectors, _, _ = driver.execute_query(
            "MATCH (o:Organisation)-[:IN_SECTOR]->(s:Sector) RETURN o.id AS a, s.id AS b")
        communities, _, _ = driver.execute_query(
            "MATCH (s:Session)-[:OF]->(c:Community) RETURN s.id AS a, c.id AS b")
    return ({(r["a"], r["b"]) for r in sectors}, {(r["a"], r["b"]) for r in communities})


def test_the_graph_links_what_a_load_makes_and_changes(neo4j_url):
    """New organisations are linked to their sectors and new sessions to their community as
    they are made; an organisation given another sector by a later import gains that link."""
    store = open_store(neo4j_url, neo4j_chunk_rows=2)
    sectors = [Sector(f"sector:{i}", f"Sector {i}", "vcse") for i in range(3)]
    first = first_batch()
    first.sectors = sectors
    first.organisations = [Organisation(f"org:{i}", f"Org {i}", (f"sector:{i}",))
                           for i in range(3)]
    store.apply(first, record("a"))
    said = {(o.id, s) for o in store.organisations() for s in o.sector_ids}
    assert links(neo4j_url) == (said, {("session:1", "community:c")}) and len(said) == 3

    store.apply(Batch(organisations=[Organisation("org:0", "Org 0", ("sector:2",))]),
                record("b"))
    said = {(o.id, s) for o in store.organisations() for s in o.sector_ids}
    assert ("org:0", "sector:2") in said and links(neo4j_url)[0] == said
    store.close()
