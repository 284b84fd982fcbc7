"""The service under concurrent use, with real threads, on both real stores: readers during an
import see the data as it was or as it is after, never a mix and never an error; a write waits
for another instead of failing; a failing import leaves no trace in any answer; and once an
erasure has returned, no answer names the person."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import date

import pytest

from graphsvc.errors import StoreError
from graphsvc.model import Attendance, Batch, Community, Person, Session
from graphsvc.service import Graphsvc
from graphsvc.store import open_store
from tests.conftest import ADMIN, demo_files


@pytest.fixture(params=["sqlite", "neo4j"])
def fresh(request, tmp_path):
    """An empty service over each real store."""
    if request.param == "neo4j":
        store = open_store(request.getfixturevalue("neo4j_url"))
    else:
        store = open_store(tmp_path / "concurrency.db")
    service = Graphsvc(store, archive=tmp_path / "archive")
    yield service
    service.close()


def both_halves():
    files = demo_files()
    registers = [f for f in files if f.parent.name != "attendance"]
    attendance = [f for f in files if f.parent.name == "attendance"]
    return registers + attendance[::2], attendance[1::2]


def snapshot(service) -> tuple:
    """Reads that must agree with each other (a mix of two states would not), a moment
    apart, so that a write can land between them."""
    def read():
        people = len(service.store.people())
        time.sleep(0.02)
        return people, sum(1 for _ in service.store.attendance()), \
            service.store.counts()["sessions"]

    return service.data.cached(("snapshot", next(ASKED)), read)  # each asked afresh


ASKED = itertools.count()


class Readers:
    """Threads asking the same question over and over until stopped; what they saw."""

    def __init__(self, ask, count: int = 3):
        self.ask, self.seen, self.errors = ask, [], []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def _run(self):
        while not self._stop.is_set():
            try:
                self.seen.append(self.ask())
            except Exception as exc:  # noqa: BLE001 - the test reports every one
                self.errors.append(repr(exc))

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


def test_readers_during_an_import_see_before_or_after_never_a_mix(fresh):
    first, second = both_halves()
    fresh.imports.load(ADMIN, first)
    before = snapshot(fresh)
    with Readers(lambda: snapshot(fresh)) as readers:
        fresh.imports.load(ADMIN, second)
        time.sleep(0.2)
    after = snapshot(fresh)
    assert readers.errors == []
    assert before != after and len(readers.seen) > 3
    assert set(readers.seen) <= {before, after}, set(readers.seen) - {before, after}


def big_broken_batch() -> Batch:
    """Thousands of visits, then one to a session that does not exist: the store writes the
    lot and only then finds it must roll back."""
    community = Community("community:big", "Big network")
    sessions = [Session(f"session:big:{i}", community.id, f"S{i}", date(2020, 1, 1 + i % 28))
                for i in range(40)]
    people = [Person(f"person:big{i}", f"Person {i}") for i in range(2_000)]
    visits = [Attendance(s.id, p.id) for i, p in enumerate(people) for s in sessions[i % 40:][:3]]
    visits.append(Attendance("session:missing", people[0].id))
    return Batch(communities=[community], sessions=sessions, people=people, attendance=visits)


def test_a_failing_import_leaves_no_trace_in_any_answer(fresh):
    fresh.imports.load(ADMIN, both_halves()[0])
    before = snapshot(fresh)
    with Readers(lambda: snapshot(fresh)) as readers:
        with pytest.raises(StoreError):
            fresh.store.apply(big_broken_batch())
    assert readers.errors == [] and set(readers.seen) == {before}
    assert snapshot(fresh) == before and fresh.views.stats(ADMIN)["counts"]["people"] == before[0]


def test_a_write_during_an_import_waits_its_turn(fresh):
    first, second = both_halves()
    fresh.imports.load(ADMIN, first)
    person = next(p for p in fresh.store.people() if p.consent == "named")
    failures = []

    def load_the_rest():
        try:
            fresh.imports.load(ADMIN, second)
        except Exception as exc:  # noqa: BLE001
            failures.append(repr(exc))

    loading = threading.Thread(target=load_the_rest)
    loading.start()
    for _ in range(20):  # consent changes while the import is under way
        fresh.records.consent(ADMIN, person.id, "aggregate")
        fresh.records.consent(ADMIN, person.id, "named")
    loading.join(timeout=300)
    assert failures == []
    assert len(fresh.store.imports()) == 2


def test_no_answer_after_an_erasure_names_the_person(fresh):
    fresh.imports.load(ADMIN, both_halves()[0])
    person = next(p for p in fresh.store.people() if p.consent == "named")
    started, erased = threading.Event(), threading.Event()

    def slow_names():  # read the names, then wait for the erasure to land before answering
        names = {p.id: p.name for p in fresh.store.people()}
        started.set()
        erased.wait(timeout=60)
        return names

    answers = []
    asker = threading.Thread(target=lambda: answers.append(
        fresh.data.cached(("names",), slow_names)))
    asker.start()
    started.wait(timeout=60)
    fresh.records.forget(ADMIN, person.id)
    erased.set()
    asker.join(timeout=60)
    assert person.id not in fresh.data.cached(("names",), lambda: {"stale": "no"} | {
        p.id: p.name for p in fresh.store.people()})
    assert person.id not in answers[0]  # even the answer under way was worked out again
    result = fresh.analyses.compute("brokers", network="people", window_months=None)
    assert person.id not in {n["id"] for n in result["nodes"]}
