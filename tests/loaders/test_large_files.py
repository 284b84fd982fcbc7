"""A big file is read as a stream: memory grows with the people and sessions it names, not
with its rows."""

from __future__ import annotations

import csv
import tracemalloc

from graphsvc.spool import VisitSpool
from tests.conftest import ADMIN

SESSIONS, PEOPLE = 40, 250


def write_log(path, copies: int) -> None:
    """Every person at every session, each visit written ``copies`` times (rejoins)."""
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Date", "Session", "Community", "Place", "Name", "Email", "Organisation",
                      "Minutes"])
        for s in range(SESSIONS):
            for _ in range(copies):
                for p in range(PEOPLE):
                    out.writerow([f"2020-01-{1 + s % 28:02d}", f"Session {s}", "Peer support",
                                  "Online", f"Person {p}", f"p{p}@org{p % 9}.example",
                                  f"Org {p % 9}", 10])


def planning_peak(service, path) -> tuple[int, object]:
    tracemalloc.start()
    try:
        plan = service.imports.preview(ADMIN, [path])
        return tracemalloc.get_traced_memory()[1], plan
    finally:
        tracemalloc.stop()


def test_four_times_the_rows_plan_in_the_same_memory(service, tmp_path, monkeypatch):
    monkeypatch.setattr(VisitSpool, "FLUSH", 1000)  # the visits held before they go to disk
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_log(small, 1)
    write_log(large, 4)
    service.imports.preview(ADMIN, [small]).close()  # modules imported on first use are not the file's cost
    small_peak, small_plan = planning_peak(service, small)
    small_plan.close()
    large_peak, plan = planning_peak(service, large)
    extra_rows = SESSIONS * PEOPLE * 3
    # held in memory, the extra rows would cost well over 100 bytes each
    assert large_peak - small_peak < extra_rows * 10, (small_peak, large_peak)
    [report] = plan.reports
    assert report.rows == SESSIONS * PEOPLE * 4 and report.merged_rows == extra_rows
    service.imports.confirm(ADMIN, plan)
    visits = list(service.store.attendance())
    assert len(visits) == SESSIONS * PEOPLE and {v.minutes for v in visits} == {40}
