"""One import: files parsed, people and organisations resolved, previewed, applied whole.

Several files given together are one import: registers first (so attendance can match their
organisations), then attendance; all of them applied whole. A file already loaded (the
same content, with the same options that define its sessions: format, community, date, place,
title, column map) is reported and skipped, so loading it again changes nothing; the same sheet
given for another date is another session.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from graphsvc.errors import ImportProblems, InputError
from graphsvc.model import Batch
from graphsvc.service.bulk import bulk_allocation
from graphsvc.store import ImportFile, ImportRecord, Store
from loaders import SessionDefaults, detect_format, parse_rows
from loaders.boundaries import ParsedPlaces, is_geojson, read_wards
from loaders.declared import ParsedDeclared
from loaders.files import RowStream, stream_rows
from loaders.formats import FORMATS, THIN
from loaders.meetings import defaults_from_name
from loaders.registers import ParsedRegister
from loaders.resolve import Resolver


@dataclass
class FileReport:
    """The preview of one file: what it is and what it would change."""

    source: str
    format: str
    sha256: str
    already_loaded: bool = False
    path: Path | None = field(default=None, repr=False)
    rows: int = 0
    sessions: int = 0
    people: int = 0
    new_people: int = 0
    organisations: int = 0
    new_organisations: int = 0
    communities: int = 0
    merged_rows: int = 0
    still_present: int = 0
    matched_fuzzily: list[dict] = field(default_factory=list)
    uncertain: list[dict] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    declared_ties: int = 0
    problems: list[InputError] = field(default_factory=list)
    invalid_rows: list[InputError] = field(default_factory=list)  # left out (skip_invalid)

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "path"}
        data["problems"] = [p.as_dict() for p in self.problems]
        data["invalid_rows"] = [p.as_dict() for p in self.invalid_rows]
        return data


@dataclass
class ImportPlan:
    """What an import will write, and the preview of each file. ``record`` is None when every
    file was loaded before (nothing to do)."""

    reports: list[FileReport]
    batch: Batch
    record: ImportRecord | None
    parsed: list = field(default_factory=list, repr=False)

    @property
    def uncertain(self) -> list:
        return self.batch.reviews

    def close(self) -> None:
        """Remove the spooled visits (done by :func:`apply_import`; a preview that is not
        applied should be closed too, though its spool is removed when it is collected)."""
        close = getattr(self.batch.attendance, "close", None)
        if close is not None:
            close()


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()




def plan_import(
    store: Store,
    paths: Sequence[str | Path],
    *,
    format: str | None = None,
    defaults: SessionDefaults = SessionDefaults(),
    mapping: dict[str, str] | None = None,
    count: str = "attended",
    skip_invalid: bool = False,
    max_bytes: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportPlan:
    """Parse and resolve the files; raise :class:`ImportProblems` if any row is wrong (with
    ``skip_invalid``, if the file as a whole is: rows with problems are then left out, and
    listed), or if a file would load nothing. ``count="registered"`` counts everyone booked
    in a registration list (role ``registered``), not only those who attended."""
    with bulk_allocation():
        return _plan(store, paths, format, defaults, mapping, max_bytes, progress,
                     count, skip_invalid)


def _plan(store, paths, format, defaults, mapping, max_bytes, progress, count,
          skip_invalid) -> ImportPlan:
    sector_names = tuple(s.name for s in store.sectors())
    read: list[tuple[Path, str, list, str]] = []
    boroughs = {p.code: p.id for p in store.places() if p.kind == "borough"}
    places = []
    for path in map(Path, paths):
        digest = _digest(path) if path.is_file() else ""
        if format in (None, "places") and path.is_file() and is_geojson(_head(path)):
            parsed_places = read_wards(path, boroughs)
            if parsed_places.problems:
                raise ImportProblems(path.name, parsed_places.problems)
            places.append((path, digest, parsed_places))
            continue
        rows = stream_rows(path, max_bytes) if max_bytes else stream_rows(path)
        fmt = format or detect_format(_first_row(rows[:RowStream.HEAD]), rows[:RowStream.HEAD])
        read.append((path, digest, rows, fmt))
    # registers first, so that attendance can match their organisations and communities;
    # then the files that say most about people, so the thinner exports can lean on them
    read.sort(key=lambda item: FORMATS[item[3]].order if item[3] in FORMATS else THIN)
    communities = {c.name for c in store.communities()}
    parsed = [(path, digest, "", result) for path, digest, result in places]
    people: dict = {}  # the people the files read, shared: each person's cells read once
    for path, digest, rows, fmt in read:
        own = defaults
        if fmt in FORMATS and FORMATS[fmt].session_in_name:
            own = defaults_from_name(path.name, defaults, tuple(sorted(communities)))
        result = parse_rows(rows, source=path.name, format=fmt, defaults=own,
                            mapping=mapping, sector_names=sector_names,
                            communities=tuple(sorted(communities)), stream=True, count=count,
                            people=people)
        if result.problems and not (skip_invalid and all(p.of_a_row for p in result.problems)):
            raise ImportProblems(path.name, result.problems)
        if isinstance(result, ParsedRegister):
            communities |= {c.name for c in result.communities}
        parsed.append((path, digest, load_options(result.format, own, mapping, count), result))
        if progress:
            progress(path.name)
    return _resolve_all(store, parsed, skip_invalid)


def load_options(fmt: str, defaults: SessionDefaults, mapping: dict | None,
                 count: str = "attended") -> str:
    """The options that define a file's sessions, as canonical JSON: with its content, what
    makes a load a repeat.

    >>> from datetime import date
    >>> load_options("sign-in", SessionDefaults("Peer support", date(2020, 1, 2)), None)
    '{"community":"Peer support","date":"2020-01-02","format":"sign-in"}'
    """
    options = {"format": fmt, "community": defaults.community,
               "date": defaults.held_on.isoformat() if defaults.held_on else None,
               "place": defaults.place, "title": defaults.title,
               "mapping": dict(sorted(mapping.items())) if mapping else None,
               "count": count if count != "attended" else None}
    return json.dumps({k: v for k, v in options.items() if v is not None}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(4096)


def _first_row(rows: list[list[str]]) -> list[str]:
    return next((r for r in rows if any(c.strip() for c in r)), [])


def _resolve_all(store, parsed, skip_invalid: bool = False) -> ImportPlan:
    register_orgs = [o for *_, r in parsed if isinstance(r, ParsedRegister)
                     for o in r.organisations]
    wards = [p for p in store.places() if p.kind == "ward"] + [
        p for *_, r in parsed if isinstance(r, ParsedPlaces) for p in r.places]
    register_communities = [c for *_, r in parsed if isinstance(r, ParsedRegister)
                            for c in r.communities]
    resolver = Resolver(store.organisations() + register_orgs,
                        store.communities() + register_communities,
                        known_people={p.id for p in store.people()},
                        person_aliases=store.person_aliases(),
                        rejected={(r.new_id, r.candidate_id) for r in store.reviews(None)},
                        employments=store.employments(), people=store.people(), wards=wards)
    import_id = uuid.uuid4().hex[:12]
    reports, files, seen = [], [], set()
    for path, digest, options, result in parsed:
        report = FileReport(path.name, result.format, digest, path=path)
        reports.append(report)
        if store.find_import(digest, options) is not None or (digest, options) in seen:
            report.already_loaded = True
            continue
        seen.add((digest, options))
        _file_batch(result, resolver, report)
        if skip_invalid:
            report.invalid_rows = [p for p in report.problems if p.of_a_row]
            report.problems = [p for p in report.problems if not p.of_a_row]
        if not report.problems:
            report.problems = _nothing_loaded(result, report)
        files.append(ImportFile(path.name, digest, result.format, report.rows,
                                options=options))
    problems = [p for r in reports for p in r.problems]
    if problems:
        resolver.close()
        raise ImportProblems(problems[0].file or "", problems)
    _warn_without_sectors(store, register_orgs, reports)
    batch = resolver.batch(", ".join(r.source for r in reports))
    record = None
    if files:
        invalid = [p for r in reports for p in r.invalid_rows]
        counts = {"invalid_rows_skipped": len(invalid), "invalid_rows": [
            {"file": p.file, "row": p.row, "column": p.column, "reason": p.reason}
            for p in invalid]} if invalid else {}  # never the values: they may be personal
        record = ImportRecord(import_id, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                              tuple(files), counts)
    return ImportPlan(reports, batch, record, [p for *_, p in parsed])


def _warn_without_sectors(store, register_orgs, reports: list[FileReport]) -> None:
    """Attendance with no organisations register, loaded now or before: say that sectors, and
    so the gaps between them, stay empty until one is."""
    attendance = [r for r in reports if r.sessions and not r.already_loaded]
    if attendance and not any(o.sector_ids for o in [*register_orgs, *store.organisations()]):
        attendance[0].notes.insert(0, "no organisations register has been loaded: "
                                      "organisations have no sector yet, so the gaps between "
                                      "sectors and the sector colours stay empty until one is")


def _nothing_loaded(result, report: FileReport) -> list[InputError]:
    """A file that would load nothing is refused, with why and what to do: recorded, it would
    only stand in the way of the right load as "already loaded"."""
    if isinstance(result, ParsedPlaces | ParsedRegister):
        loaded = report.rows
    elif isinstance(result, ParsedDeclared):
        loaded = report.declared_ties
    else:
        loaded = report.sessions
    if loaded:
        return []
    why = getattr(result, "nothing_because", None)
    if why is None and report.invalid_rows:
        why = f"every row has a problem ({len(report.invalid_rows)} left out)"
    if why is None and report.skipped:
        why = "every row was left out: " + "; ".join(
            f"{n} with {reason}" for reason, n in report.skipped.items())
    why = why or "the file has no rows of data"
    return [InputError(f"nothing to load: {why}", file=report.source,
                       option=getattr(result, "nothing_option", None))]


def _file_batch(result, resolver: Resolver, report: FileReport) -> None:
    """Resolve one file into the import and fill in its report."""
    if isinstance(result, ParsedPlaces):
        report.rows = len(result.places)
        resolver.claim_register(result.places)
        return
    if isinstance(result, ParsedRegister):
        report.rows = len(result.organisations) + len(result.communities)
        report.organisations = len(result.organisations)
        report.communities = len(result.communities)
        resolver.claim_register([*result.organisations, *result.communities])
        return
    if isinstance(result, ParsedDeclared):
        report.rows = len(result.records)
        resolution = resolver.resolve_declared(result)
        report.declared_ties = len(resolution.batch.declared_ties)
        report.new_organisations = resolution.new_organisations
        report.problems = resolution.problems
        return
    resolution = resolver.resolve(result)  # reads a streamed file's rows, once
    batch = resolution.batch
    report.rows = getattr(result, "rows_read", 0) or resolution.rows  # input rows
    report.sessions = len(batch.sessions)
    report.people = len(batch.people)
    report.new_people = resolution.new_people
    report.organisations = resolution.organisations
    report.new_organisations = resolution.new_organisations
    report.communities = len({s.community_id for s in batch.sessions})
    report.merged_rows = resolution.merged_rows + result.merged_rows
    report.skipped = result.skipped
    report.matched_fuzzily = resolution.matched_fuzzily
    report.uncertain = resolution.uncertain
    report.notes = list(getattr(result, "notes", [])) + resolution.notes
    report.still_present = getattr(result, "still_present", 0)
    report.problems = result.problems + resolution.problems


def apply_import(store: Store, plan: ImportPlan, archive: Path | None = None) -> dict[str, int]:
    """Apply a plan whole or not at all, keeping each file's original in the archive folder.
    Nothing is written if every file was loaded before."""
    if plan.record is None:
        plan.close()
        return {}
    record = plan.record
    forgotten = store.forgotten()
    erased = [p for p in plan.batch.claims.get("people", ()) if p["id"] in forgotten]
    try:
        if archive is not None:
            record = _archive(plan, archive)
        with bulk_allocation():  # a million claims encoded, none of them in a cycle
            written = store.apply(plan.batch, record)
    finally:
        plan.close()
    if erased and archive is not None:  # their rows leave the kept originals too
        from graphsvc.archive import scrub

        for f in record.files:
            for person in erased:
                scrub(Path(f.archive), person["name"], person["email"])
    return written


def _archive(plan: ImportPlan, folder: Path) -> ImportRecord:
    """Copy each file's bytes to ``folder/<sha256>`` (a name never taken from the upload)."""
    folder.mkdir(parents=True, exist_ok=True)
    by_hash = {r.sha256: r for r in plan.reports}
    files = []
    for f in plan.record.files:
        target = folder / f.sha256
        source = by_hash[f.sha256].path
        if source is not None and not target.exists():
            shutil.copyfile(source, target)
        files.append(ImportFile(f.source, f.sha256, f.format, f.rows, str(target), f.options))
    return ImportRecord(plan.record.id, plan.record.loaded_at, tuple(files), plan.record.counts)
