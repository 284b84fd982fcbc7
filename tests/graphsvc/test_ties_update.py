"""A projection carried forward over imports of new sessions is the full projection of the
same attendance, array for array (weights to the last bit)."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.model import Attendance, Session
from graphsvc.ties import AttendanceTable, ProjectionRule, project
from graphsvc.ties_update import NotAdditive, as_it_stood, extend_table, extend_ties

START = date(2020, 1, 1)
TABLE_FIELDS = ("session_ids", "person_ids", "organisation_ids")
TABLE_ARRAYS = ("session_dates", "session", "person", "organisation", "role")
TIE_ARRAYS = ("source", "target", "weight", "shared_sessions", "first_seen", "last_seen",
              "node_first_seen", "_behind_indptr", "_behind")


@st.composite
def stores(draw):
    """Sessions (ids that sort apart from their dates: community first), each with people
    (some of unknown organisation), in the order a store reads them: session id, person."""
    n_sessions = draw(st.integers(2, 14))
    sessions, rows = [], []
    for s in range(n_sessions):
        community = draw(st.sampled_from("abc"))
        day = START + timedelta(days=draw(st.integers(0, 60)))
        sessions.append(Session(f"session:{community}:{day}:{s:02d}", community, "t", day))
        people = draw(st.sets(st.integers(0, 25), max_size=9))
        for p in sorted(people, key=lambda p: f"p{p:02d}"):
            org = draw(st.one_of(st.none(), st.integers(0, 6)))
            rows.append(Attendance(sessions[-1].id, f"p{p:02d}",
                                   None if org is None else f"o{org}",
                                   role=draw(st.sampled_from(("attendee", "speaker")))))
    rows.sort(key=lambda r: (r.session_id, r.person_id))
    return sessions, rows


def assert_same_table(got, want):
    for name in TABLE_FIELDS:
        assert getattr(got, name) == getattr(want, name), name
    for name in TABLE_ARRAYS:
        assert np.array_equal(getattr(got, name), getattr(want, name)), name


def assert_same_ties(got, want):
    assert got.node_ids == want.node_ids
    assert got.session_ids == want.session_ids
    assert (got.window, got.as_of, got.rule) == (want.window, want.as_of, want.rule)
    for name in TIE_ARRAYS:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name  # exact, not close


def full(sessions, rows, network, rule):
    table = AttendanceTable.from_records(sessions, rows)
    latest = table.session_dates.max().astype(object)
    return table, project(table, network, rule=rule, window=(None, latest))


@settings(max_examples=80, deadline=None)
@given(store=stores(), cuts=st.lists(st.integers(1, 13), max_size=3),
       network=st.sampled_from(("people", "organisations")),
       rule=st.sampled_from((ProjectionRule(large_session_size=3, max_session_size=6),
                             ProjectionRule(large_session_size=4, large_sessions="exclude"),
                             ProjectionRule())))
def test_imports_of_new_sessions_carried_forward_equal_a_full_projection(store, cuts, network,
                                                                          rule):
    sessions, rows = store
    cuts = sorted({c for c in cuts if c < len(sessions)}) + [len(sessions)]
    held = sessions[:cuts[0]]
    table, ties = full(held, [r for r in rows if r.session_id in {s.id for s in held}],
                       network, rule)
    for cut in cuts[1:]:
        added = {s.id for s in sessions[len(held):cut]}
        held = sessions[:cut]
        old, table = table, extend_table(table, held, [r for r in rows if r.session_id in added])
        ties = extend_ties(ties, old, table, rule)
        want_table, want_ties = full(held, [r for r in rows if r.session_id in
                                            {s.id for s in held}], network, rule)
        assert_same_table(table, want_table)
        assert_same_ties(ties, want_ties)


@settings(max_examples=80, deadline=None)
@given(store=stores(), days=st.integers(-1, 61),
       network=st.sampled_from(("people", "organisations")),
       rule=st.sampled_from((ProjectionRule(large_session_size=3, max_session_size=6),
                             ProjectionRule(large_session_size=2, large_sessions="newman"),
                             ProjectionRule())))
def test_the_network_as_it_stood_cut_back_from_the_whole_history_equals_its_projection(
        store, days, network, rule):
    table, ties = full(*store, network, rule)
    day = START + timedelta(days=days)
    assert_same_ties(as_it_stood(ties, table, day, rule),
                     project(table, network, rule=rule, window=(None, day)))


def test_only_a_whole_history_projection_is_cut_back():
    sessions = [Session(f"s{i}", "c", "t", START + timedelta(days=i)) for i in range(3)]
    rows = [Attendance(s.id, p) for s in sessions for p in ("ann", "bob")]
    table = AttendanceTable.from_records(sessions, rows)
    for faded in (project(table, "people", half_life_days=30),
                  project(table, "people", window=(START + timedelta(days=1), None))):
        with pytest.raises(NotAdditive):
            as_it_stood(faded, table, START, ProjectionRule())

def test_attendance_at_a_session_held_before_is_not_carried_forward():
    sessions = [Session("s1", "c", "t", START), Session("s2", "c", "t", START)]
    rows = [Attendance("s1", "ann"), Attendance("s1", "bob")]
    table = AttendanceTable.from_records(sessions[:1], rows)
    with pytest.raises(NotAdditive):
        extend_table(table, sessions, [Attendance("s1", "cat")])


def test_a_session_moved_to_another_day_is_not_carried_forward():
    table = AttendanceTable.from_records([Session("s1", "c", "t", START)],
                                         [Attendance("s1", "ann")])
    moved = [Session("s1", "c", "t", START + timedelta(days=1)), Session("s2", "c", "t", START)]
    with pytest.raises(NotAdditive):
        extend_table(table, moved, [Attendance("s2", "ann")])


NEWMAN = ProjectionRule(large_session_size=2, max_session_size=None)


def sessions_of_many_sizes() -> tuple[list[Session], list[Attendance]]:
    """Sessions on ten days whose Newman weights (1/(n-1)) add up differently in different
    orders."""
    sessions, rows = [], []
    for s, size in enumerate((4, 11, 7, 14, 6, 10, 3, 13, 8, 12)):
        sessions.append(Session(f"s{s}", "c", "t", START + timedelta(days=s)))
        rows += [Attendance(f"s{s}", f"p{p:02d}") for p in range(size)]
    return sessions, rows


def test_weights_cut_back_are_summed_in_the_projections_order():
    table, ties = full(*sessions_of_many_sizes(), "people", NEWMAN)
    for days in range(10):
        day = START + timedelta(days=days)
        assert_same_ties(as_it_stood(ties, table, day, NEWMAN),
                         project(table, rule=NEWMAN, window=(None, day)))


def test_weights_are_summed_in_the_full_projections_order():
    """A session inserted among older ones must give the very sum the full projection
    gives."""
    rule = NEWMAN
    sessions, rows = sessions_of_many_sizes()
    middle = sessions[5].id
    old_rows = [r for r in rows if r.session_id != middle]
    table = AttendanceTable.from_records([s for s in sessions if s.id != middle], old_rows)
    ties = project(table, rule=rule, window=(None, sessions[-1].held_on))
    extended = extend_table(table, sessions, [r for r in rows if r.session_id == middle])
    _, want = full(sessions, rows, "people", rule)
    assert_same_ties(extend_ties(ties, table, extended, rule), want)
