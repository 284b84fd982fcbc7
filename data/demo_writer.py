"""Writing the demo's sessions in every format the loaders read, one format per community.

Online exports say little about people (no organisation, no "attending as", no consent), so
every person with lived experience or a caring role also appears in a richer file: the GM
supported self-management attendance log gains them at its last session if they would
otherwise be seen only in exports (the loaders would otherwise name them by default).
"""

from __future__ import annotations

import csv
from pathlib import Path

from graphsvc.data import demo_formats as fmt

ROUTES = {  # community -> how its sessions are written
    "Peer support": "zoom",
    "Supporting self-management": "zoom-flat",
    "Care and support planning": "teams",
    "Person-centred information and helplines": "teams-us",
    "Engaging people in shaping health and care": "meet",
    "GM peer support": "sign-in",
    "GM supported self-management": "log",
}
RICH = {"sign-in", "log"}  # the formats that say how someone took part


def write_formats(out: Path, rng, sessions, people, orgs, session_rows) -> int:
    folder = out / "attendance"
    folder.mkdir(parents=True, exist_ok=True)
    log_rows: list[list] = []
    seen_rich: set[str] = set()
    written = 0
    conferences = 0
    for index, session in enumerate(sessions, start=1):
        rows = [[str(x) for x in row] for row in session_rows(rng, session, index, people, orgs)]
        route = "eventbrite" if session["large"] else ROUTES[session["community"]]
        if route in RICH:
            seen_rich.update(r[fmt.NAME] for r in rows)
        written += len(rows)
        if route == "log":
            log_rows.extend(rows)
        elif route == "eventbrite":
            fmt.eventbrite(folder, rows, rng, uk=conferences % 2 == 1)
            conferences += 1
        elif route == "sign-in":
            fmt.sign_in(folder, rows, rng, xlsx=index % 3 == 0)
        elif route == "meet":
            fmt.meet(folder, rows, rng)
        elif route.startswith("zoom"):
            fmt.zoom(folder, rows, rng, flat=route == "zoom-flat")
        else:
            fmt.teams(folder, rows, rng, us=route == "teams-us")
    written += _include_everyone_once(log_rows, people, orgs, seen_rich)

    with open(folder / "gm-supported-self-management.csv", "w", newline="",
              encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([fmt.ATTENDANCE_HEADER, *log_rows])
    _declared_ties(out, rng, orgs)
    return written


def _include_everyone_once(log_rows, people, orgs, seen_rich) -> int:
    last = log_rows[-1]
    added = 0
    for person in people:
        if person["attending_as"] == "Professional" or person["name"] in seen_rich:
            continue
        org = orgs[person["org"]]
        log_rows.append(last[:4] + [person["name"], person["email"],
                                    org["name"] if person["gives_org"] else "", person["title"],
                                    "", person["attending_as"], person["consent"], "Attendee",
                                    last[12]])
        added += 1
    return added


def _declared_ties(out: Path, rng, orgs) -> None:
    """A partnership survey: some organisations name others they work with."""
    with open(out / "declared-ties-survey-2019.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Organisation A", "Organisation B", "Strength", "Since", "Note"])
        for _ in range(40):
            a, b = rng.choice(len(orgs), 2, replace=False)
            if {orgs[a]["sector"], orgs[b]["sector"]} == {"Faith group", "Housing"}:
                continue  # the two sectors that never meet do not claim to
            writer.writerow([orgs[a]["name"], orgs[b]["name"], int(rng.integers(1, 4)),
                             f"{2016 + int(rng.integers(0, 4))}-0{int(rng.integers(1, 10))}-01",
                             "named in the 2019 partnership survey"])
