"""The visit spool merges repeats exactly as a plain in-memory merge would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.model import Attendance
from graphsvc.spool import RANK, VisitSpool

VISIT = st.tuples(st.sampled_from(["s1", "s2", "s3"]), st.sampled_from(["p1", "p2"]),
                  st.sampled_from([None, "o1", "o2"]), st.one_of(st.none(), st.integers(0, 300)),
                  st.sampled_from(sorted(RANK)))


def merged_by_hand(files: list[list[tuple]]) -> tuple[list[Attendance], list[int]]:
    """The rule written out plainly: in one file a repeat is a rejoin (minutes add up), in a
    later file the same session exported again (the longer stay counts); the senior role and
    the first known organisation stay."""
    visits: dict[tuple, list] = {}
    repeats = []
    for number, rows in enumerate(files):
        seen_here: set[tuple] = set()
        rejoins = 0
        for session, person, org, minutes, role in rows:
            key = (session, person)
            if key not in visits:
                visits[key] = [org, minutes, role]
            else:
                old_org, old_minutes, old_role = visits[key]
                if old_minutes is None and minutes is None:
                    total = None
                elif key in seen_here:
                    total = (old_minutes or 0) + (minutes or 0)
                else:
                    total = max(old_minutes or 0, minutes or 0)
                rejoins += key in seen_here
                visits[key] = [old_org or org, total,
                               role if RANK[role] > RANK[old_role] else old_role]
            seen_here.add(key)
        repeats.append(rejoins)
    return [Attendance(s, p, *visits[(s, p)]) for s, p in sorted(visits)], repeats


@settings(max_examples=200, deadline=None)
@given(files=st.lists(st.lists(VISIT, max_size=12), min_size=1, max_size=4))
def test_the_spool_merges_like_the_rule_says(files):
    spool = VisitSpool()
    spool.FLUSH = 3  # flush often, so merges cross the buffer's edge
    try:
        for number, rows in enumerate(files):
            for row in rows:
                spool.add(*row, file=number)
        expected, repeats = merged_by_hand(files)
        assert list(spool) == expected
        assert len(spool) == len(expected)
        assert [spool.repeats(n) for n in range(len(files))] == repeats
    finally:
        spool.close()


def test_a_closed_spool_leaves_no_file_behind():
    spool = VisitSpool()
    spool.add("s1", "p1", None, None, "attendee", file=0)
    path = spool.path
    assert path.exists()
    spool.close()
    assert not path.parent.exists()
