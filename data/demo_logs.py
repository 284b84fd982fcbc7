"""The demo's sessions as attendance-log rows (the format every scale can be written in): who
came, from where, in what role and for how long, and the files they go in."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

from graphsvc.data.demo_formats import ATTENDANCE_HEADER
from graphsvc.data.generate_demo import GM_PLACES

TOPICS = ["Sharing practice", "Learning from lived experience", "Measuring what matters",
          "Co-production workshop", "Quarterly network meeting", "Action learning set",
          "Spotlight on carers", "Building the evidence", "Local conversations"]


def session_rows(rng, session, index, people, orgs):
    """The attendance-log rows of one session."""
    attendees = session["attendees"]
    local_orgs = [orgs[people[i]["org"]]["borough"] for i in attendees]
    if session["scope"] == "place" or rng.random() < 0.4:
        # held where most of its people come from, so local ownership can be measured
        boroughs = [b for b in local_orgs if b] or ["Manchester"]
        place = Counter(sorted(boroughs)).most_common(1)[0][0] if rng.random() < 0.7 else \
            boroughs[rng.integers(len(boroughs))]
    else:
        place = "Online"
    if place not in GM_PLACES:
        place = ""  # held in a synthetic area, which the loaders cannot place
    title = ("Annual conference" if session["large"] else TOPICS[rng.integers(len(TOPICS))])
    facilitators = set(rng.choice(len(attendees), min(2, len(attendees)), replace=False).tolist())
    length = 180 if session["large"] else int(rng.choice([60, 90, 120]))
    for j, i in enumerate(attendees):
        person, org = people[i], orgs[people[i]["org"]]
        minutes = length if rng.random() < 0.8 else int(rng.integers(15, length))
        yield [session["date"].isoformat(), f"{title} ({index})", session["community"], place,
               person["name"], person["email"],
               org["name"] if person["gives_org"] else "",
               person["title"], org["postcode"] if person["attending_as"] == "Professional" else "",
               person["attending_as"], person["consent"],
               "Facilitator" if j in facilitators and person["attending_as"] == "Professional"
               else "Attendee", minutes]


def _conferences(day: date, by_quarter: bool) -> str:
    """The file of a conference's rows: one for GM; for England, one a quarter (as one file,
    its 4 million rows would be over four times the largest upload the service accepts)."""
    return f"conferences {day.year} q{(day.month - 1) // 3 + 1}" if by_quarter else "conferences"


def write_logs(folder: Path, rng, sessions, people, orgs, by_quarter: bool = False) -> int:
    """Every session's rows into attendance logs, a file per community (conferences apart);
    the number of rows written."""
    handles, writers, rows = {}, {}, 0
    try:
        for index, session in enumerate(sessions, start=1):
            key = (_conferences(session["date"], by_quarter) if session["large"]
                   else session["community"])
            if key not in writers:
                stem = "".join(ch if ch.isalnum() else "-" for ch in key.lower()).strip("-")
                handles[key] = open(folder / f"{stem}.csv", "w", newline="", encoding="utf-8")
                writers[key] = csv.writer(handles[key], lineterminator="\n")
                writers[key].writerow(ATTENDANCE_HEADER)
            for row in session_rows(rng, session, index, people, orgs):
                writers[key].writerow(row)
                rows += 1
    finally:
        for handle in handles.values():
            handle.close()
    return rows
