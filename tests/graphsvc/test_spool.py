"""The visit spool folds an import's rows exactly as the rules, written out plainly, say."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.model import Attendance
from graphsvc.spool import VisitSpool

SENIORITY = ["attendee", "presenter", "facilitator", "organiser"]
VISIT = st.tuples(st.sampled_from(["s1", "s2", "s3"]), st.sampled_from(["p1", "p2"]),
                  st.sampled_from([None, "o1", "o2"]), st.one_of(st.none(), st.integers(0, 300)),
                  st.sampled_from(SENIORITY))


def folded_by_hand(files: list[list[tuple]]) -> tuple[list[Attendance], list[int]]:
    """In one file a repeat is a rejoin (minutes add up); the same visit in another file is the
    same stay exported again (the longest counts). The senior role counts, and where files name
    different organisations, the first in sort order (so file order cannot matter)."""
    per_file: list[dict] = []
    repeats = []
    for rows in files:
        visits: dict[tuple, list] = {}
        for session, person, org, minutes, role in rows:
            visits.setdefault((session, person), []).append((org, minutes, role))
        per_file.append({key: (min((o for o, _, _ in rows if o), default=None),
                               None if all(m is None for _, m, _ in rows)
                               else sum(m for _, m, _ in rows if m is not None),
                               max((r for _, _, r in rows), key=SENIORITY.index))
                         for key, rows in visits.items()})
        repeats.append(len(rows) - len(visits))
    out = []
    for key in sorted({k for visits in per_file for k in visits}):
        seen = [visits[key] for visits in per_file if key in visits]
        orgs = [o for o, _, _ in seen if o]
        minutes = [m for _, m, _ in seen if m is not None]
        out.append(Attendance(*key, min(orgs) if orgs else None, max(minutes) if minutes else None,
                              max((r for _, _, r in seen), key=SENIORITY.index)))
    return out, repeats


def spooled(files) -> tuple[list[Attendance], list[int], int]:
    spool = VisitSpool()
    spool.FLUSH = 3  # flush often, so files cross the buffer's edge
    try:
        for number, rows in enumerate(files):
            for row in rows:
                spool.add(*row, file=number)
        return list(spool), [spool.repeats(n) for n in range(len(files))], len(spool)
    finally:
        spool.close()


@settings(max_examples=200, deadline=None)
@given(files=st.lists(st.lists(VISIT, max_size=12), min_size=1, max_size=4))
def test_the_spool_folds_like_the_rule_says(files):
    visits, repeats, count = spooled(files)
    expected, expected_repeats = folded_by_hand(files)
    assert visits == expected
    assert count == len(expected)
    assert repeats == expected_repeats


@settings(max_examples=100, deadline=None)
@given(files=st.lists(st.lists(VISIT, max_size=8), min_size=2, max_size=4), data=st.data())
def test_the_order_of_the_files_does_not_matter(files, data):
    shuffled = data.draw(st.permutations(files))
    assert spooled(shuffled)[0] == spooled(files)[0]


def test_a_closed_spool_leaves_no_file_behind():
    spool = VisitSpool()
    spool.add("s1", "p1", None, None, "attendee", file=0)
    path = spool.path
    assert path.exists()
    spool.close()
    assert not path.parent.exists()
