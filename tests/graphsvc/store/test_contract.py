"""The Store contract, run against every real backend (the ``store`` fixture)."""

from datetime import date

import pytest

from graphsvc.errors import StoreError
from graphsvc.model import (
    Attendance,
    Batch,
    Community,
    DeclaredTie,
    Employment,
    Organisation,
    Person,
    Place,
    Sector,
    Session,
)
from graphsvc.store import ImportRecord, Store
from loaders.reference import read_reference

BOLTON = "place:E08000001"


def small_batch() -> Batch:
    return Batch(
        organisations=[
            Organisation("org:a", "Alpha Trust", ("sector:charity",), BOLTON, "local", "vcse",
                         ("Alpha",)),
            Organisation("org:b", "Beta NHS Trust", ("sector:nhs-trust",), None, "regional",
                         "statutory"),
        ],
        people=[Person("person:1", "Ann Lee", "ann@a.example", expertise=("peer support",)),
                Person("person:2", "Bob Khan", None, "carer", "aggregate", (), BOLTON)],
        employments=[Employment("person:1", "org:a", "Chief Executive", "senior")],
        communities=[Community("community:c", "Peer support", "peer support", "national",
                               None, date(2016, 1, 1))],
        sessions=[Session("session:1", "community:c", "Kick-off", date(2016, 2, 3), BOLTON),
                  Session("session:2", "community:c", "Online catch-up", date(2016, 3, 3),
                          None, True)],
        attendance=[Attendance("session:1", "person:1", "org:a", 60, "facilitator"),
                    Attendance("session:1", "person:2", None, None, "attendee"),
                    Attendance("session:2", "person:1", "org:a", 30, "attendee")],
        declared_ties=[DeclaredTie("org:a", "org:b", 2.0, date(2017, 1, 1), "survey")],
    )


@pytest.fixture
def loaded(store):
    store.apply(read_reference())
    store.apply(small_batch(), (ImportRecord("imp1", "x.csv", "ab" * 32, "sign-in",
                                             "2026-01-01T00:00:00+00:00", {"rows": 3}),))
    return store


def test_store_keeps_the_protocol(store):
    assert isinstance(store, Store)
    assert store.schema_version() >= 1


def test_everything_written_reads_back_equal(loaded):
    batch = small_batch()
    assert loaded.organisations() == sorted(batch.organisations, key=lambda o: o.id)
    assert loaded.people() == batch.people
    assert loaded.employments() == batch.employments
    assert loaded.communities() == batch.communities
    assert loaded.sessions() == batch.sessions
    assert sorted(loaded.attendance(), key=lambda a: (a.session_id, a.person_id)) == sorted(
        batch.attendance, key=lambda a: (a.session_id, a.person_id))
    assert loaded.declared_ties() == batch.declared_ties
    assert {p.code for p in loaded.places() if p.kind == "borough"} == {
        f"E0800000{i}" for i in range(1, 10)} | {"E08000010"}
    assert Sector("sector:housing", "Housing", "statutory") in loaded.sectors()


def test_counts_and_imports(loaded):
    counts = loaded.counts()
    assert (counts["organisations"], counts["people"], counts["sessions"],
            counts["attendance"], counts["places"]) == (2, 2, 2, 3, 11)
    [record] = loaded.imports()
    assert record.source == "x.csv" and record.counts == {"rows": 3}
    assert loaded.find_import("ab" * 32) == record
    assert loaded.find_import("cd" * 32) is None


def test_every_write_bumps_the_revision(store):
    first = store.revision()
    store.apply(read_reference())
    second = store.revision()
    store.apply(read_reference())
    assert first < second < store.revision()


def test_a_later_import_fills_in_but_never_blanks(loaded):
    loaded.apply(Batch(
        organisations=[Organisation("org:b", "Beta NHS Trust", (), BOLTON)],
        people=[Person("person:2", "Bob Khan", "bob@b.example")],  # says nothing of caring
    ))
    org_b = next(o for o in loaded.organisations() if o.id == "org:b")
    assert (org_b.place_id, org_b.scope, org_b.type) == (BOLTON, "regional", "statutory")
    bob = next(p for p in loaded.people() if p.id == "person:2")
    assert (bob.email, bob.lived_experience, bob.place_id) == ("bob@b.example", "carer", BOLTON)


def test_a_broken_batch_changes_nothing(loaded):
    before = (loaded.counts(), loaded.revision(), loaded.people())
    broken = Batch(
        people=[Person("person:3", "Cat Ng")],
        attendance=[Attendance("session:missing", "person:3")],  # no such session
    )
    with pytest.raises(StoreError):
        loaded.apply(broken)
    assert (loaded.counts(), loaded.revision(), loaded.people()) == before
