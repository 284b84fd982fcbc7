"""Writing one demo session in each of the real export formats the loaders read.

Every writer takes the session's rows in the attendance-log layout of
:data:`ATTENDANCE_HEADER` and writes a file laid out as that
tool writes its export (the same quirks the loaders' tests cover).
"""

from __future__ import annotations

import codecs
import csv
from datetime import date, datetime, timedelta
from pathlib import Path

# the columns of an attendance log, the form every demo session is first written in
ATTENDANCE_HEADER = ["Date", "Session", "Community", "Place", "Name", "Email", "Organisation",
                     "Job title", "Postcode", "Attending as", "Consent to be named",
                     "Session role", "Minutes"]

DATE, TITLE, COMMUNITY, PLACE, NAME, EMAIL, ORG, JOB, POSTCODE, AS, CONSENT, ROLE, MINUTES = range(13)


def _start(rows) -> datetime:
    return datetime.combine(date.fromisoformat(rows[0][DATE]), datetime.min.time()) + timedelta(hours=10)


def _us(moment: datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M:%S %p")


def _stem(rows) -> str:
    title = "".join(c if c.isalnum() else "-" for c in rows[0][TITLE].lower()).strip("-")
    return f"{rows[0][DATE]}-{title}"


def zoom(folder: Path, rows, rng, flat: bool = False) -> Path:
    """A Zoom participants report; one in five people leaves and rejoins."""
    start = _start(rows)
    length = max(int(r[MINUTES]) for r in rows)
    host = next((r for r in rows if r[ROLE] == "Facilitator" and r[EMAIL]), rows[0])
    meeting = [f"8{rng.integers(10**8, 10**9)}", f"{rows[0][COMMUNITY]}: {rows[0][TITLE]}",
               _us(start), _us(start + timedelta(minutes=length)), host[EMAIL], str(length),
               str(len(rows))]
    visits = []
    for r in rows:
        minutes, joined = int(r[MINUTES]), start + timedelta(minutes=int(rng.integers(0, 5)))
        parts = [minutes] if minutes < 20 or rng.random() > 0.2 else [minutes // 2, minutes - minutes // 2]
        for part in parts:
            visits.append([r[NAME], r[EMAIL], _us(joined), _us(joined + timedelta(minutes=part)),
                           str(part), "No" if r[EMAIL] else "Yes"])
            joined += timedelta(minutes=part + 3)
    path = folder / f"zoom-{_stem(rows)}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        head = ["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)",
                "Participants"]
        people = ["Name (Original Name)", "User Email", "Join Time", "Leave Time",
                  "Duration (Minutes)", "Guest"]
        if flat:
            out.writerow(head + people)
            out.writerows(meeting + v for v in visits)
        else:
            out.writerows([head, meeting, [], people + ["Recording Consent", "In Waiting Room"]])
            out.writerows(v + ["Y", "No"] for v in visits)
    return path


def _teams_time(moment: datetime, us: bool) -> str:
    if us:
        return f"{moment.month}/{moment.day}/{moment:%y}, {moment.hour % 12 or 12}:{moment:%M:%S} {moment:%p}"
    return moment.strftime("%d/%m/%y, %H:%M:%S")


def _hms(minutes: int) -> str:
    return f"{minutes // 60}h {minutes % 60}m 0s" if minutes >= 60 else f"{minutes}m 0s"


def teams(folder: Path, rows, rng, us: bool = False) -> Path:
    """A Teams attendance report: UTF-16 with a BOM, tab-separated, in three sections."""
    start = _start(rows)
    lines = ["1. Summary", f"Meeting title\t{rows[0][COMMUNITY]}: {rows[0][TITLE]}",
             f"Attended participants\t{len(rows)}", f"Start time\t{_teams_time(start, us)}",
             f"End time\t{_teams_time(start + timedelta(minutes=120), us)}", "",
             "2. Participants",
             ("Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole"
              if us else "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\t"
                         "Participant ID (UPN)\tRole")]
    for r in rows:
        first, last = r[NAME].split(" ", 1) if " " in r[NAME] else (r[NAME], "")
        name = f"{last}, {first}" if last and rng.random() < 0.5 else r[NAME]
        role = ("Organizer" if us else "Organiser") if r[ROLE] == "Facilitator" else "Attendee"
        left = start + timedelta(minutes=int(r[MINUTES]))
        lines.append("\t".join([name, _teams_time(start, us), _teams_time(left, us),
                                _hms(int(r[MINUTES])), r[EMAIL], r[EMAIL], role]))
    lines += ["", "3. In-Meeting activities", "Name\tJoin time\tLeave time\tDuration\tEmail\tRole"]
    path = folder / f"teams-{_stem(rows)}.csv"
    bom, codec = (codecs.BOM_UTF16_BE, "utf-16-be") if us else (codecs.BOM_UTF16_LE, "utf-16-le")
    path.write_bytes(bom + "\r\n".join(lines).encode(codec))
    return path


def meet(folder: Path, rows, rng) -> Path:
    """A Google Meet attendance sheet; the file is named after the community and date."""
    path = folder / f"meet-{rows[0][COMMUNITY]} - {rows[0][DATE]} - online - {rows[0][TITLE]}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["First name", "Last name", "Email", "Duration", "Time joined", "Time exited"])
        for r in rows:
            first, _, last = r[NAME].partition(" ")
            minutes = int(r[MINUTES])
            duration = f"{minutes // 60} hr {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
            out.writerow([first, last, r[EMAIL], duration, "10:00 AM", "11:30 AM"])
    return path


def eventbrite(folder: Path, rows, rng, uk: bool = False) -> Path:
    """An Eventbrite attendee report; a few booked but did not come (and do not count)."""
    path = folder / f"eventbrite-{_stem(rows)}.csv"
    header = (["Order no.", "Order date", "First name", "Surname", "Email", "Quantity",
               "Ticket type", "Attendee no.", "Home Postcode", "Job title", "Company",
               "Attendee status", "Event name", "Event start date"] if uk else
              ["Order #", "Order Date", "First Name", "Last Name", "Email", "Quantity",
               "Ticket Type", "Attendee #", "Home Postcode", "Job Title", "Company",
               "Attendee Status", "Event Name", "Event Start Date"])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for k, r in enumerate(rows):
            first, _, last = r[NAME].partition(" ")
            out.writerow([f"{rng.integers(10**9, 10**10)}", rows[0][DATE], first, last, r[EMAIL],
                          "1", "General admission", str(k + 1), r[POSTCODE], r[JOB], r[ORG],
                          "Checked In" if k % 9 else "Attended",
                          f"{r[COMMUNITY]}: {r[TITLE]}", rows[0][DATE]])
        for k in range(int(rng.integers(2, 6))):
            out.writerow([f"{rng.integers(10**9, 10**10)}", rows[0][DATE], "Booked", f"Only{k}",
                          f"booked.only{k}.{rows[0][DATE]}@mail.example", "1", "General admission",
                          str(len(rows) + k + 1), "", "", "", "Attending",
                          f"{rows[0][COMMUNITY]}: {rows[0][TITLE]}", rows[0][DATE]])
    return path


SIGN_IN_HEADER = ["Name", "Email", "Organisation", "Job title", "Postcode", "Attending as",
                  "Consent to be named", "Session role", "Minutes"]


def sign_in(folder: Path, rows, rng, xlsx: bool = False) -> Path:
    """A typed-up sign-in sheet; the session is in the file's name (community, date, place)."""
    stem = f"sign-in-{rows[0][COMMUNITY]} - {rows[0][DATE]} - {rows[0][PLACE]} - {rows[0][TITLE]}"
    body = [[r[NAME], r[EMAIL], r[ORG], r[JOB], r[POSTCODE], r[AS], r[CONSENT], r[ROLE],
             r[MINUTES]] for r in rows]
    if xlsx:
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(SIGN_IN_HEADER)
        for line in body:
            book.active.append([int(x) if isinstance(x, int) else x for x in line])
        path = folder / f"{stem}.xlsx"
        book.save(path)
        _fix_xlsx_time(path)
        return path
    path = folder / f"{stem}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([SIGN_IN_HEADER, *body])
    return path


def _fix_xlsx_time(path: Path) -> None:
    """Workbooks record when they were made; pin it so the demo rebuilds byte for byte."""
    import zipfile

    moment = "2019-01-01T00:00:00Z"
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                text = data.decode()
                for tag in ("dcterms:created", "dcterms:modified"):
                    start = text.find(f"<{tag}")
                    if start >= 0:
                        begin = text.index(">", start) + 1
                        text = text[:begin] + moment + text[text.index(f"</{tag}>", begin):]
                data = text.encode()
            fixed = zipfile.ZipInfo(info.filename, date_time=(2019, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)
