"""Each community's health by quarter against a count written from the definitions, person by
person and session by session, on small random partnerships."""

from datetime import date, timedelta
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.analyses.communities import community_health
from graphsvc.analyses.facts import Facts, quarter_ends, quarter_of
from graphsvc.model import Attendance, Session
from graphsvc.ties import AttendanceTable, project

START = date(2018, 1, 1)
PEOPLE = [f"person:p{i}" for i in range(9)]


@st.composite
def partnerships(draw):
    sessions, rows = [], []
    for s in range(draw(st.integers(1, 12))):
        day = START + timedelta(days=draw(st.integers(0, 700)))
        sessions.append(Session(f"s{s:02d}", draw(st.sampled_from("abc")), "t", day))
        for person in sorted(draw(st.sets(st.sampled_from(PEOPLE), max_size=5))):
            rows.append(Attendance(sessions[-1].id, person))
    people = {p: {"lived_experience": draw(st.sampled_from(("none", "lived"))),
                  "senior": draw(st.booleans())} for p in PEOPLE}
    as_of = START + timedelta(days=draw(st.integers(0, 760)))
    return sessions, rows, people, as_of


def facts_of(sessions, rows, people) -> Facts:
    index = {s.id: i for i, s in enumerate(sessions)}
    return Facts([s.id for s in sessions], np.array([s.held_on for s in sessions],
                                                     dtype="datetime64[D]"),
                 [s.community_id for s in sessions], [""] * len(sessions),
                 np.array([index[r.session_id] for r in rows], dtype=np.int64),
                 [r.person_id for r in rows], [""] * len(rows), ["attendee"] * len(rows),
                 people, {})


def by_hand(sessions, rows, people, as_of) -> dict:
    """Per community, quarter by quarter, counted from the definitions."""
    day = {s.id: s.held_on for s in sessions}
    community = {s.id: s.community_id for s in sessions}
    first_met = {}  # each pair's first shared session, by (date, id)
    for s in sorted(sessions, key=lambda s: (s.held_on, s.id)):
        there = sorted(r.person_id for r in rows if r.session_id == s.id)
        for pair in combinations(there, 2):
            first_met.setdefault(pair, s)
    quarters = [quarter_of(q) for q in quarter_ends(min(day.values()), as_of)]
    out = {}
    for name in sorted(set(community.values())):
        previous, cells = set(), []
        for q in quarters:
            mine = [r for r in rows if community[r.session_id] == name
                    and quarter_of(day[r.session_id]) == q]
            here = {r.person_id for r in mine}
            lived = sum(people[p]["lived_experience"] != "none" for p in here)
            cells.append({
                "sessions": len({r.session_id for r in mine}), "attendance": len(mine),
                "people": len(here), "retained_people": len(here & previous),
                "new_people": len(here - previous),
                "lapsed_people": len(previous - here) if mine else None,
                "retention": round(len(here & previous) / len(previous), 6)
                if previous and mine else None,  # none in a quarter with no session
                "new_person_ties": sum(s.community_id == name and quarter_of(s.held_on) == q
                                for s in first_met.values()),
                "lived_experience_people": lived,
                "senior_people": sum(people[p]["senior"] for p in here)})
            previous = here or previous
        out[name] = cells
    return out


@settings(max_examples=150, deadline=None)
@given(partnerships())
def test_quarter_by_quarter_health_is_the_count_by_hand(partnership):
    sessions, rows, people, as_of = partnership
    ties = project(AttendanceTable.from_records(sessions, rows), "people")
    found = community_health(facts_of(sessions, rows, people), ties, as_of=as_of)
    want = by_hand(sessions, rows, people, as_of)
    assert [c["community"] for c in found["communities"]] == sorted(want)
    for community in found["communities"]:
        got = [{key: cells[key] for key in want[community["community"]][0]}
               for cells in community["quarters"]]
        assert got == want[community["community"]], community["community"]
        held = [s.held_on for s in sessions
                if s.community_id == community["community"] and s.held_on <= as_of]
        assert community["last_met"] == (max(held).isoformat() if held else None)
        assert community["waning_why"] == waning_by_hand(want[community["community"]])
        assert community["waning"] == (community["waning_why"] is not None)


def waning_by_hand(cells: list[dict]) -> str | None:
    """Stopped: met in at least three quarters, none of the last two held a session. Falling:
    attendance and new ties each lower than the quarter before, twice running."""
    if sum(1 for c in cells if c["attendance"] or c["new_person_ties"]) < 3:
        return None
    a, b, c = cells[-3:]
    if b["sessions"] == 0 and c["sessions"] == 0:
        return "stopped"
    made = [cell["new_person_ties"] for cell in (a, b, c)]
    if (b["attendance"] < a["attendance"] and c["attendance"] < b["attendance"]
            and made[1] < made[0] and made[2] < made[1]):
        return "falling"
    return None
