"""Tie projection, checked against networkx's bipartite projections and brute force."""

from datetime import date, timedelta
from itertools import combinations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite

from graphsvc.errors import InputError
from graphsvc.model import Attendance, Session
from graphsvc.ties import AttendanceTable, ProjectionRule, project

START = date(2016, 1, 1)
NO_LIMITS = ProjectionRule(large_session_size=10_000, max_session_size=None)


def random_attendance(seed: int, sessions: int = 40, people: int = 60, orgs: int = 15):
    rng = np.random.default_rng(seed)
    out_sessions, rows = [], []
    employer = rng.integers(0, orgs, people)
    for s in range(sessions):
        out_sessions.append(Session(f"s{s}", "c", f"t{s}", START + timedelta(days=int(rng.integers(0, 1400)))))
        size = int(rng.integers(1, 25))
        for p in rng.choice(people, size, replace=False):
            rows.append(Attendance(f"s{s}", f"p{p}", f"o{employer[p]}"))
    return out_sessions, rows


def bipartite_graph(sessions, rows, node=lambda a: a.person_id):
    graph = nx.Graph()
    graph.add_nodes_from((s.id for s in sessions), bipartite=0)
    for a in rows:
        graph.add_node(node(a), bipartite=1)
        graph.add_edge(a.session_id, node(a))
    return graph, {node(a) for a in rows}


def as_dict(ties):
    return {frozenset((u, v)): d for u, v, d in ties.edges()}


@pytest.mark.parametrize("seed", range(8))
def test_weights_equal_networkx_weighted_projection(seed):
    sessions, rows = random_attendance(seed)
    ties = project(AttendanceTable.from_records(sessions, rows), rule=NO_LIMITS)
    graph, people = bipartite_graph(sessions, rows)
    expected = bipartite.weighted_projected_graph(graph, people)
    got = as_dict(ties)
    assert set(got) == {frozenset(e) for e in expected.edges()}
    for u, v, d in expected.edges(data=True):
        assert got[frozenset((u, v))]["weight"] == d["weight"]
        assert got[frozenset((u, v))]["sessions"] == d["weight"]


@pytest.mark.parametrize("seed", range(4))
def test_organisation_ties_count_sessions_shared_by_organisations(seed):
    sessions, rows = random_attendance(seed)
    ties = project(AttendanceTable.from_records(sessions, rows), "organisations", rule=NO_LIMITS)
    graph, orgs = bipartite_graph(sessions, rows, node=lambda a: a.organisation_id)
    expected = bipartite.weighted_projected_graph(graph, orgs)
    assert {frozenset((u, v)): d["weight"] for u, v, d in ties.edges()} == {
        frozenset((u, v)): d["weight"] for u, v, d in expected.edges(data=True)}


@pytest.mark.parametrize("seed", range(4))
def test_newman_weighting_equals_networkx_collaboration_projection(seed):
    sessions, rows = random_attendance(seed)
    rule = ProjectionRule(large_session_size=2, large_sessions="newman", max_session_size=None)
    ties = project(AttendanceTable.from_records(sessions, rows), rule=rule)
    graph, people = bipartite_graph(sessions, rows)
    expected = bipartite.collaboration_weighted_projected_graph(graph, people)
    got = as_dict(ties)
    assert set(got) == {frozenset(e) for e in expected.edges()}
    for u, v, d in expected.edges(data=True):
        assert got[frozenset((u, v))]["weight"] == pytest.approx(d["weight"], rel=1e-12)


def brute_force(sessions, rows, rule, window=(None, None), half_life=None, as_of=None):
    """Pairs, by a plain loop over each session's attendees."""
    by_session = {}
    for a in rows:
        by_session.setdefault(a.session_id, set()).add(a.person_id)
    when = {s.id: s.held_on for s in sessions}
    as_of = as_of or max(when.values())
    out, worth = {}, {}
    for sid, people in by_session.items():
        n = len(people)
        if rule.max_session_size is not None and n > rule.max_session_size:
            continue
        if window[0] and when[sid] < window[0] or window[1] and when[sid] > window[1]:
            continue
        if n > rule.large_session_size:
            if rule.large_sessions == "exclude":
                continue
            w = 1 / (n - 1)
        else:
            w = 1.0
        if half_life:
            w *= 0.5 ** (max((as_of - when[sid]).days, 0) / half_life)
        worth[sid] = w
        for pair in combinations(sorted(people), 2):
            tie = out.setdefault(frozenset(pair), {"weight": 0.0, "sessions": []})
            tie["weight"] += w
            tie["sessions"].append(sid)
    for tie in out.values():
        tie["sessions"].sort(key=lambda s: (when[s], s))
    return out, when, worth


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    large=st.integers(2, 12),
    exclude=st.booleans(),
    limit=st.one_of(st.none(), st.integers(12, 20)),
    window=st.tuples(st.integers(0, 800), st.integers(0, 800)),
    half_life=st.one_of(st.none(), st.floats(30, 720)),
)
def test_every_tie_matches_brute_force(seed, large, exclude, limit, window, half_life):
    sessions, rows = random_attendance(seed, sessions=25, people=30)
    rule = ProjectionRule(large, "exclude" if exclude else "newman", limit)
    start, end = sorted(START + timedelta(days=d) for d in window)
    end += timedelta(days=600)
    expected, when, _ = brute_force(sessions, rows, rule, (start, end), half_life)
    ties = project(AttendanceTable.from_records(sessions, rows), rule=rule,
                   window=(start, end), half_life_days=half_life)
    assert len(ties) == len(expected)
    for k, (u, v, d) in enumerate(ties.edges()):
        tie = expected[frozenset((u, v))]
        assert d["weight"] == pytest.approx(tie["weight"], rel=1e-9)
        assert d["sessions"] == len(tie["sessions"])
        assert ties.sessions_behind(k) == tie["sessions"]
        assert d["first_seen"] == when[tie["sessions"][0]].isoformat()
        assert d["last_seen"] == when[tie["sessions"][-1]].isoformat()
        assert ties.explain(v, u) == tie["sessions"]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), large=st.integers(2, 8))
def test_weights_are_summed_oldest_session_first_to_the_last_bit(seed, large):
    # floats: another order of the same sum may differ in the last bit, and the networks'
    # weights must not change with the way they are computed
    sessions, rows = random_attendance(seed, sessions=30, people=30)
    rule = ProjectionRule(large, "newman", None)
    expected, _, worth = brute_force(sessions, rows, rule)
    ties = project(AttendanceTable.from_records(sessions, rows), rule=rule)
    for u, v, d in ties.edges():
        total = 0.0
        for sid in expected[frozenset((u, v))]["sessions"]:
            total += worth[sid]
        assert d["weight"] == total


def test_sessions_over_the_limit_add_no_ties_and_the_rule_is_stated():
    sessions = [Session("big", "c", "Conference", START)]
    rows = [Attendance("big", f"p{i}") for i in range(250)]
    table = AttendanceTable.from_records(sessions, rows)
    assert len(project(table)) == 0
    assert len(project(table, rule=ProjectionRule(max_session_size=None))) == 250 * 249 // 2
    rule = ProjectionRule()
    assert "1/(n-1)" in rule.describe() and "200" in rule.describe()
    assert project(table).describe()["rule"] == rule.describe()


def test_bad_rules_and_networks_are_refused():
    with pytest.raises(InputError, match="large-session rule"):
        ProjectionRule(large_sessions="ignore")
    with pytest.raises(InputError, match="network"):
        project(AttendanceTable.from_records([], []), "sectors")


def test_an_empty_table_projects_to_no_ties():
    ties = project(AttendanceTable.from_records([], []))
    assert len(ties) == 0 and list(ties.edges()) == []
