"""One import: files parsed, people and organisations resolved, previewed, applied whole.

Several files given together are one import: registers first (so attendance can match their
organisations), then attendance; one transaction for all of them. A file already loaded (same
content hash) is reported and skipped, so loading it again changes nothing.
"""

from __future__ import annotations

import gc
import hashlib
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from graphsvc.errors import ImportProblems, InputError
from graphsvc.model import Batch, Community, Organisation
from graphsvc.store import ImportRecord, Store
from loaders import SessionDefaults, parse_file
from loaders.attendance import ParsedAttendance
from loaders.registers import ParsedRegister
from loaders.resolve import Resolver


@dataclass
class FileReport:
    """The preview of one file: what it is and what it would change."""

    source: str
    format: str
    sha256: str
    already_loaded: bool = False
    rows: int = 0
    sessions: int = 0
    people: int = 0
    new_people: int = 0
    organisations: int = 0
    new_organisations: int = 0
    communities: int = 0
    merged_rows: int = 0
    problems: list[InputError] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = dict(self.__dict__)
        data["problems"] = [p.as_dict() for p in self.problems]
        return data


@dataclass
class ImportPlan:
    reports: list[FileReport]
    batch: Batch
    records: tuple[ImportRecord, ...]


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


@contextmanager
def _bulk_allocation():
    """Pause the cyclic garbage collector: parsing allocates millions of small objects and
    none of them form cycles, so collections would only cost time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan_import(
    store: Store,
    paths: Sequence[str | Path],
    *,
    format: str | None = None,
    defaults: SessionDefaults = SessionDefaults(),
    mapping: dict[str, str] | None = None,
    max_bytes: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportPlan:
    """Parse and resolve the files; raise :class:`ImportProblems` if any row is wrong."""
    with _bulk_allocation():
        return _plan(store, paths, format, defaults, mapping, max_bytes, progress)


def _plan(store, paths, format, defaults, mapping, max_bytes, progress) -> ImportPlan:
    sector_names = tuple(s.name for s in store.sectors())
    parsed: list[tuple[Path, str, ParsedAttendance | ParsedRegister]] = []
    reports: list[FileReport] = []
    for path in map(Path, paths):
        digest = _digest(path) if path.is_file() else ""
        result = parse_file(path, format=format, defaults=defaults, mapping=mapping,
                            sector_names=sector_names, max_bytes=max_bytes)
        if result.problems:
            raise ImportProblems(path.name, result.problems)
        parsed.append((path, digest, result))
        if progress:
            progress(path.name)
    parsed.sort(key=lambda item: isinstance(item[2], ParsedAttendance))  # registers first

    records = []
    register_orgs = [o for _, _, r in parsed if isinstance(r, ParsedRegister)
                     for o in r.organisations]
    register_communities = [c for _, _, r in parsed if isinstance(r, ParsedRegister)
                            for c in r.communities]
    resolver = Resolver(store.organisations() + register_orgs,
                        store.communities() + register_communities,
                        known_people={p.id for p in store.people()})
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    registers: list = []
    for path, digest, result in parsed:
        report = FileReport(path.name, result.format, digest)
        reports.append(report)
        if store.find_import(digest) is not None or digest in {r.sha256 for r in records}:
            report.already_loaded = True
            continue
        registers.extend(_file_batch(result, resolver, report))
        records.append(ImportRecord(uuid.uuid4().hex[:12], path.name, digest, result.format,
                                    now, {"rows": report.rows}))
    problems = [p for r in reports for p in r.problems]
    if problems:
        raise ImportProblems(problems[0].file or "", problems)
    batch = resolver.batch(", ".join(r.source for r in reports))
    batch.organisations = [o for o in registers if isinstance(o, Organisation)] + batch.organisations
    batch.communities = [c for c in registers if isinstance(c, Community)] + batch.communities
    return ImportPlan(reports, batch, tuple(records))


def _file_batch(result, resolver: Resolver, report: FileReport) -> list:
    """Resolve one file into the import and fill in its report; registers' rows come back."""
    if isinstance(result, ParsedRegister):
        report.rows = len(result.organisations) + len(result.communities)
        report.organisations = len(result.organisations)
        report.communities = len(result.communities)
        return [*result.organisations, *result.communities]
    resolution = resolver.resolve(result)
    batch = resolution.batch
    report.rows = len(result.records)
    report.sessions = len(batch.sessions)
    report.people = len(batch.people)
    report.new_people = resolution.new_people
    report.organisations = len({a.organisation_id for a in batch.attendance} - {None})
    report.new_organisations = resolution.new_organisations
    report.communities = len({s.community_id for s in batch.sessions})
    report.merged_rows = resolution.merged_rows
    report.problems = resolution.problems
    return []


def apply_import(store: Store, plan: ImportPlan) -> dict[str, int]:
    """Apply a plan in one transaction. Nothing is written if every file was loaded before."""
    if not plan.records:
        return {}
    return store.apply(plan.batch, plan.records)
