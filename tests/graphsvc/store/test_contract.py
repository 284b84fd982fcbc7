"""The Store contract, run against every real backend (the ``store`` fixture)."""

from datetime import date

import pytest

from graphsvc.errors import InputError, NotFound, StoreError
from graphsvc.model import (
    Attendance,
    Batch,
    Community,
    DeclaredTie,
    Employment,
    Organisation,
    Person,
    Sector,
    Session,
)
from graphsvc.store import ImportFile, ImportRecord, Store
from graphsvc.store.base import attendance_columns, coded_visits
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
    store.apply(small_batch(), RECORD)
    return store


RECORD = ImportRecord("imp1", "2026-01-01T00:00:00+00:00",
                      (ImportFile("x.csv", "ab" * 32, "sign-in", 3),))


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
    assert record.source == "x.csv" and record.files == RECORD.files
    assert record.counts["attendance"] == 3
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


def test_consent_is_set_by_hand(loaded):
    before = loaded.revision()
    loaded.set_consent("person:2", "aggregate")
    assert loaded.revision() > before
    assert next(p for p in loaded.people() if p.id == "person:2").consent == "aggregate"
    with pytest.raises(NotFound):
        loaded.set_consent("person:nobody", "named")
    with pytest.raises(InputError):
        loaded.set_consent("person:2", "withdrawn")
    revision = loaded.revision()
    loaded.set_consent("person:2", "named")
    assert next(p for p in loaded.people() if p.id == "person:2").consent == "named"
    assert loaded.revision() > revision


def test_a_broken_batch_changes_nothing(loaded):
    before = (loaded.counts(), loaded.revision(), loaded.people())
    broken = Batch(
        people=[Person("person:3", "Cat Ng")],
        attendance=[Attendance("session:missing", "person:3")],  # no such session
    )
    with pytest.raises(StoreError):
        loaded.apply(broken)
    assert (loaded.counts(), loaded.revision(), loaded.people()) == before


def test_undo_removes_what_the_import_added_and_nothing_else(loaded):
    before = loaded.counts()
    second = Batch(
        people=[Person("person:1", "Ann Lee", "ann@a.example"), Person("person:9", "Zed Able")],
        sessions=[Session("session:9", "community:c", "Later", date(2016, 5, 1))],
        attendance=[Attendance("session:9", "person:1", "org:a", 30),
                    Attendance("session:9", "person:9", None, 30),
                    Attendance("session:1", "person:1", "org:a", 60, "facilitator")],  # already there
    )
    loaded.apply(second, ImportRecord("imp2", "2026-01-02T00:00:00+00:00",
                                      (ImportFile("y.csv", "cd" * 32, "sign-in", 3),)))
    assert loaded.counts()["attendance"] == before["attendance"] + 2
    revision = loaded.revision()
    foreseen = loaded.undo_preview("imp2")
    assert loaded.counts()["attendance"] == before["attendance"] + 2  # a preview changes nothing
    removed = loaded.undo_import("imp2")
    assert removed["attendance"] == 2 and removed["sessions"] == 1 and removed["people"] == 1
    assert foreseen == removed
    assert loaded.counts() == before
    assert loaded.revision() > revision
    assert loaded.find_import("cd" * 32) is None  # the file can be loaded again
    with pytest.raises(StoreError):
        loaded.undo_import("imp2")
    with pytest.raises(StoreError):
        loaded.undo_preview("imp2")


def test_each_import_says_how_many_sessions_it_holds_and_when(loaded):
    assert loaded.session_spans() == {"imp1": (2, date(2016, 2, 3), date(2016, 3, 3))}
    later = Batch(sessions=[Session("session:9", "community:c", "Later", date(2016, 5, 1)),
                            Session("session:2", "community:c", "Online catch-up",
                                    date(2016, 3, 3), None, True)])  # held already
    loaded.apply(later, ImportRecord("imp2", "2026-01-02T00:00:00+00:00",
                                     (ImportFile("y.csv", "cd" * 32, "sign-in", 2),)))
    assert loaded.session_spans() == {"imp1": (2, date(2016, 2, 3), date(2016, 3, 3)),
                                      "imp2": (2, date(2016, 3, 3), date(2016, 5, 1))}
    loaded.undo_import("imp2")
    assert loaded.session_spans() == {"imp1": (2, date(2016, 2, 3), date(2016, 3, 3))}


def test_an_undo_that_would_be_refused_says_why_before_it_is_tried(loaded):
    """A later import that relies on something only an earlier one added blocks its undo: the
    store says so beforehand, in the refusal's own words, and the trial changes nothing."""
    assert loaded.undo_refusal("imp1") is None  # nothing relies on it yet
    later = Batch(attendance=[Attendance("session:2", "person:2", None, 15)])  # imp1's person
    loaded.apply(later, ImportRecord("imp2", "2026-01-02T00:00:00+00:00",
                                     (ImportFile("y.csv", "cd" * 32, "sign-in", 1),)))
    before = (loaded.counts(), loaded.revision(), loaded.people(), list(loaded.attendance()))
    refusal = loaded.undo_refusal("imp1")
    assert (loaded.counts(), loaded.revision(), loaded.people(),
            list(loaded.attendance())) == before
    with pytest.raises(StoreError) as refused:
        loaded.undo_import("imp1")
    assert refusal == str(refused.value) and "imp2" in refusal
    assert (loaded.counts(), loaded.revision()) == before[:2]
    assert loaded.undo_refusal("imp2") is None
    loaded.undo_import("imp2")
    assert loaded.undo_refusal("imp1") is None  # what relied on it has gone
    with pytest.raises(NotFound):
        loaded.undo_refusal("imp2")


def test_attendance_columns_are_the_visits_as_folded(loaded):
    """Read in bulk, every visit is there once, in attendance()'s order, its claims folded
    by the same rules (two imports here disagree on two visits and add a third)."""
    second = Batch(
        people=[Person("person:3", "Cy Dee")],
        attendance=[Attendance("session:1", "person:2", "org:b", 90, "organiser"),
                    Attendance("session:2", "person:1", "org:b", 10, "registered"),
                    Attendance("session:2", "person:3", None, None, "registered")])
    loaded.apply(second, ImportRecord("imp2", "2026-01-02T00:00:00+00:00",
                                      (ImportFile("y.csv", "cd" * 32, "sign-in", 3),)))
    visits = list(loaded.attendance())
    assert len(visits) == 4
    assert loaded.attendance_columns() == attendance_columns(visits)
    assert loaded.attendance_coded() == coded_visits(attendance_columns(visits))
    assert loaded.attendance_columns()[3] == ["facilitator", "organiser", "attendee",
                                              "registered"]


def test_merging_people_moves_attendance_and_sticks(loaded):
    loaded.merge_people("person:1", "person:2")
    people = {p.id for p in loaded.people()}
    assert "person:2" not in people
    visits = [a for a in loaded.attendance() if a.person_id == "person:1"]
    assert {a.session_id for a in visits} == {"session:1", "session:2"}
    assert loaded.person_aliases() == {"person:2": "person:1"}


def test_merging_organisations_keeps_the_name_as_an_alias(loaded):
    loaded.merge_organisations("org:a", "org:b")
    [org] = loaded.organisations()
    assert "Beta NHS Trust" in org.aliases
    assert set(org.sector_ids) == {"sector:charity", "sector:nhs-trust"}
    assert [t.source_id for t in loaded.declared_ties()] == []  # a tie to itself is dropped


def test_reviews_wait_for_a_decision(loaded):
    from graphsvc.model import MatchReview

    loaded.apply(Batch(organisations=[Organisation("org:alfa", "Alfa Trust")],
                       reviews=[MatchReview("Alfa Trust", "org:alfa", "org:a", 86.0)]))
    [review] = loaded.reviews()
    assert (review.name, review.candidate_id, review.status) == ("Alfa Trust", "org:a", "pending")
    decided = loaded.decide_review(review.id, confirm=True)
    assert decided.status == "confirmed" and loaded.reviews() == []
    org_a = next(o for o in loaded.organisations() if o.id == "org:a")
    assert "Alfa Trust" in org_a.aliases
    assert "org:alfa" not in {o.id for o in loaded.organisations()}


@pytest.mark.parametrize("chosen", [{"session:2"}, {"session:1", "session:2"},
                                    {"session:1", "session:none"}, set()])
def test_the_visits_of_chosen_sessions_are_those_of_every_visit(loaded, chosen):
    every = list(loaded.attendance())
    assert list(loaded.attendance(chosen)) == [a for a in every if a.session_id in chosen]


@pytest.mark.parametrize("part, chosen", [
    ("people", {"person:2", "person:none"}), ("organisations", {"org:a", "org:b"}),
    ("employments", {"person:1"}), ("sessions", {"session:2"}), ("places", {BOLTON}),
    ("declared_ties", {"org:a"}), ("communities", set())])
def test_the_things_of_chosen_keys_are_those_of_the_whole_read(loaded, part, chosen):
    loaded.apply(Batch(people=[Person("person:2", "Bob Khan", "bob@b.example")]),
                 ImportRecord("imp2", "2026-01-02T00:00:00+00:00",
                              (ImportFile("y.csv", "cd" * 32, "sign-in", 1),)))
    first = {"employments": "person_id", "declared_ties": "source_id"}.get(part, "id")
    every = getattr(loaded, part)()
    assert loaded.things(part, chosen) == [t for t in every if getattr(t, first) in chosen]
    with pytest.raises(StoreError):
        loaded.things("attendance", chosen)
