"""The Neo4j store beyond the contract: the same answers as SQLite on the demo, clear errors
when the server cannot be used, and nothing partial when the server dies mid-import."""

from __future__ import annotations

import json
import threading
import time
from datetime import date

import pytest

from graphsvc.errors import StoreError
from graphsvc.model import Attendance, Batch, Community, Person, Session
from graphsvc.service import Graphsvc
from graphsvc.store import ImportFile, ImportRecord, open_store
from loaders.reference import read_reference
from tests.conftest import ADMIN, demo_files
from tests.neo4j_server import PASSWORD, Neo4jTestServer


def test_the_demo_gives_identical_answers_on_both_stores(neo4j_url, demo_database, tmp_path):
    on_sqlite = Graphsvc(demo_database)
    on_neo4j = Graphsvc(open_store(neo4j_url), archive=tmp_path / "archive")
    on_neo4j.imports.load(ADMIN, demo_files())
    for read in ("places", "sectors", "organisations", "people", "employments", "communities",
                 "sessions", "declared_ties", "person_aliases"):
        assert getattr(on_neo4j.store, read)() == getattr(on_sqlite.store, read)(), read
    assert list(on_neo4j.store.attendance()) == list(on_sqlite.store.attendance())
    assert on_neo4j.store.counts() == on_sqlite.store.counts()
    for name, options in (("strength", {}), ("brokers", {"partition": "sector"}),
                          ("gaps", {}), ("brokers", {"network": "people"})):
        ours = on_neo4j.analyses.compute(name, **options)
        theirs = on_sqlite.analyses.compute(name, **options)
        assert json.dumps(ours, sort_keys=True, default=str) == \
            json.dumps(theirs, sort_keys=True, default=str), name
    on_neo4j.close()
    on_sqlite.close()


@pytest.mark.neo4j
def test_an_unreachable_server_is_one_clear_line():
    with pytest.raises(StoreError) as error:
        open_store("bolt://127.0.0.1:9")  # the discard port: nothing listens
    message = str(error.value)
    assert "cannot reach Neo4j at bolt://127.0.0.1:9" in message and "\n" not in message


def test_wrong_credentials_are_one_clear_line(neo4j_server):
    url = neo4j_server.url.replace("bolt://", "bolt://neo4j:not-the-password@")
    with pytest.raises(StoreError) as error:
        open_store(url)
    message = str(error.value)
    assert "refused the credentials of user 'neo4j'" in message and "\n" not in message
    assert "not-the-password" not in message


def test_opening_drops_the_visits_organisation_index_no_query_used(neo4j_server, neo4j_url):
    """Every visit written paid for an entry in it (bench/bench_neo4j.py); a database made
    by an earlier version loses it when the store opens."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(neo4j_server.url, auth=("neo4j", PASSWORD)) as driver:
        driver.execute_query("CREATE INDEX attended_organisation IF NOT EXISTS "
                             "FOR ()-[a:ATTENDED]-() ON (a.organisation_id)")
        open_store(neo4j_url).close()
        records, _, _ = driver.execute_query(
            "SHOW INDEXES YIELD name, type, entityType WHERE entityType = 'RELATIONSHIP' "
            "AND type <> 'LOOKUP' "
            "RETURN collect(name) AS names")
    assert records[0]["names"] == []


def big_batch(people: int, sessions: int) -> Batch:
    community = Community("community:big", "Big network")
    return Batch(
        communities=[community],
        people=[Person(f"person:{i:06d}", f"Person {i}") for i in range(people)],
        sessions=[Session(f"session:{s:05d}", community.id, f"Session {s}",
                          date(2020, 1, 1 + s % 28)) for s in range(sessions)],
        attendance=[Attendance(f"session:{s:05d}", f"person:{(s * 37 + k) % people:06d}")
                    for s in range(sessions) for k in range(40)],
    )


def _partly_loaded(url: str) -> bool:
    """Whether some of an import's visits are committed (an import is written in chunks)."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(url, auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query(
            "MATCH ()-[r:ATTENDED]->() RETURN count(r) > 0 AS some")
        return records[0]["some"]


@pytest.mark.neo4j
def test_killing_the_server_mid_import_leaves_no_partial_import(tmp_path):
    server = Neo4jTestServer(tmp_path / "data")
    from tests.neo4j_server import missing_tools

    if missing_tools():
        pytest.skip(missing_tools())
    url = server.start()
    try:
        store = open_store(url.replace("bolt://", f"bolt://neo4j:{PASSWORD}@"))
        store.apply(read_reference())
        before = (store.counts(), store.people(), store.sessions(), store.revision())
        outcome: list = []
        record = ImportRecord("doomed", "2026-11-25T00:00:00+00:00",
                              (ImportFile("big.csv", "ef" * 32, "attendance-log", 200_000),))

        def load():
            try:
                outcome.append(store.apply(big_batch(20_000, 5_000), record))
            except Exception as exc:  # noqa: BLE001 - the test inspects what came back
                outcome.append(exc)

        loader = threading.Thread(target=load)
        loader.start()
        deadline = time.monotonic() + 120
        while not _partly_loaded(url):  # the kill comes between chunks already written
            assert time.monotonic() < deadline and not outcome, "the import never got going"
            time.sleep(0.05)
        server.kill()
        loader.join(timeout=120)
        assert outcome and isinstance(outcome[0], StoreError), outcome
        store.close()

        url = server.start()  # the next start removes what the chunks wrote
        reopened = open_store(url.replace("bolt://", f"bolt://neo4j:{PASSWORD}@"))
        assert (reopened.counts(), reopened.people(), reopened.sessions()) == before[:3]
        assert reopened.revision() >= before[3]  # moved on, if anything was seen and removed
        assert reopened.imports() == [] and reopened.find_import("ef" * 32) is None
        reopened.close()
    finally:
        server.stop()
