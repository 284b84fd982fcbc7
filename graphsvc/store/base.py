"""The one contract every store keeps.

A store holds the facts (places, sectors, organisations, people, communities, sessions,
attendance, declared ties) and nothing derived: tie networks are projected from attendance
by :mod:`graphsvc.ties`. Each write is applied whole or not at all (one transaction; an import
into Neo4j is written in chunks that stay one import: :mod:`graphsvc.store.neo4j_load`) and
bumps :meth:`Store.revision`, so anything derived can be cached by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Collection, Iterable, Iterator, Protocol, runtime_checkable

import numpy as np

from graphsvc.errors import InputError
from graphsvc.model import (
    Attendance,
    Batch,
    Community,
    DeclaredTie,
    Employment,
    MatchReview,
    Organisation,
    Person,
    Place,
    Sector,
    Session,
)
from graphsvc.text_codes import code_values

AttendanceColumns = tuple[list[str], list[str], list, list[str]]

COUNTED = (
    "places",
    "sectors",
    "organisations",
    "people",
    "communities",
    "sessions",
    "attendance",
    "declared_ties",
)

# things an import writes to Neo4j per transaction (GRAPHSVC_NEO4J_CHUNK_ROWS): 10,000 rather
# than 20,000, so a chunk's transaction state dies young in the server's heap (GC CPU of the GM
# load 4.6 s against 10.7 s; bench/bench_neo4j.py prints it)
DEFAULT_CHUNK_ROWS = 10_000


@dataclass(frozen=True)
class ImportFile:
    """One file of an import: its name, content hash, format, rows, archived copy, and the
    options that defined its sessions (canonical JSON; '' for files loaded before they were
    kept)."""

    source: str
    sha256: str
    format: str
    rows: int = 0
    archive: str | None = None
    options: str = ""


@dataclass(frozen=True)
class ImportRecord:
    """One import: the files loaded together, in one transaction, and what they wrote."""

    id: str
    loaded_at: str
    files: tuple[ImportFile, ...] = ()
    counts: dict = field(default_factory=dict)
    undone_at: str | None = None

    @property
    def source(self) -> str:
        return ", ".join(f.source for f in self.files)


@dataclass
class History:
    """A whole database (``graphsvc migrate``): every claim (:mod:`graphsvc.rules`; part ->
    claims, each naming its ``import_id``), the imports, sticky person merges, the review list,
    and who was erased."""

    imports: list[ImportRecord] = field(default_factory=list)
    claims: dict[str, list[dict]] = field(default_factory=dict)
    person_aliases: dict[str, str] = field(default_factory=dict)
    reviews: list[MatchReview] = field(default_factory=list)
    forgotten: dict[str, str] = field(default_factory=dict)  # erased person id -> when


def attendance_columns(visits: Iterable[Attendance]) -> AttendanceColumns:
    """Visits as the four lists of :meth:`Store.attendance_columns`."""
    rows = [(v.session_id, v.person_id, v.organisation_id, v.role) for v in visits]
    return tuple(list(map(itemgetter(i), rows)) for i in range(4))


@dataclass
class CodedVisits:
    """The visits of :meth:`Store.attendance_columns` with people, organisations and roles
    coded by their place among the distinct values, sorted (the shape the projection numbers
    nodes in), and the sessions as runs: ``counts[k]`` visits of ``session_ids[k]``."""

    session_ids: list[str]
    counts: np.ndarray  # int64, one per run of a session's visits
    person_ids: list[str]
    person: np.ndarray  # int32, one per visit
    organisation_ids: list[str]
    organisation: np.ndarray  # int32, -1 where the organisation is unknown
    role_names: list[str]
    role: np.ndarray  # int32

    def __eq__(self, other) -> bool:
        return isinstance(other, CodedVisits) and all(
            np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
            for a, b in zip(vars(self).values(), vars(other).values()))


def coded_visits(columns: AttendanceColumns) -> CodedVisits:
    """:class:`CodedVisits` of the four lists of :meth:`Store.attendance_columns` (the plain
    route, which the SQLite store's compiled one must equal)."""
    sessions, people, organisations, roles = columns
    starts = [k for k in range(len(sessions)) if k == 0 or sessions[k] != sessions[k - 1]]
    person, person_ids = code_values(people)
    named = [k for k, o in enumerate(organisations) if o is not None]
    organisation = np.full(len(organisations), -1, dtype=np.int32)
    organisation[named], organisation_ids = code_values([organisations[k] for k in named])
    role, role_names = code_values(roles)
    return CodedVisits([sessions[k] for k in starts], np.diff([*starts, len(sessions)]),
                       person_ids, person, organisation_ids, organisation, role_names, role)


def kept_codes(codes: np.ndarray, ids: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes renumbered among the ids they use (-1, unknown, stays -1), and those ids."""
    known = codes >= 0
    used = np.bincount(codes[known], minlength=len(ids)) > 0
    if used.all():
        return codes, ids
    renumber = np.cumsum(used, dtype=np.int32) - 1
    return (np.where(known, renumber[codes], -1).astype(np.int32),
            [ids[i] for i in np.flatnonzero(used).tolist()])


def check_consent(consent: str) -> None:
    """The consent a store may be told to record by hand (withdrawal is erasure)."""
    if consent not in ("named", "aggregate"):
        raise InputError("consent is named or aggregate (to withdraw it, erase the person: "
                         "graphsvc forget)", column="consent", value=consent)


@runtime_checkable
class Store(Protocol):
    """The contract. :class:`graphsvc.store.sqlite.SQLiteStore` is the embedded default."""

    url: str

    def schema_version(self) -> int: ...

    def revision(self) -> int: ...

    def apply(self, batch: Batch, record: ImportRecord | None = None) -> dict[str, int]:
        """Store the batch as claims (:mod:`graphsvc.rules`), whole or not at all; return things
        claimed per part. With a record, the claims are the import's, so it can be undone;
        without one they are permanent (reference data)."""
        ...

    def counts(self) -> dict[str, int]: ...

    def places(self) -> list[Place]: ...

    def sectors(self) -> list[Sector]: ...

    def organisations(self) -> list[Organisation]: ...

    def people(self) -> list[Person]: ...

    def employments(self) -> list[Employment]: ...

    def communities(self) -> list[Community]: ...

    def sessions(self) -> list[Session]: ...

    def attendance(self, session_ids: Collection[str] | None = None) -> Iterator[Attendance]:
        """Every visit, or only those of these sessions, in (session, person) order."""
        ...

    def attendance_columns(self) -> AttendanceColumns:
        """The visits of :meth:`attendance`, in its order, as four lists: session ids,
        person ids, organisation ids (None when unknown) and roles (what the analyses read,
        a hundred thousand at a time)."""
        ...

    def attendance_coded(self) -> CodedVisits:
        """:meth:`attendance_columns` coded (what the projection reads: :class:`CodedVisits`,
        equal to ``coded_visits(self.attendance_columns())``)."""
        ...

    def declared_ties(self) -> list[DeclaredTie]: ...

    def things(self, part: str, firsts: Collection[str]) -> list:
        """The things of a part (``people``, ``employments``, ...: those of
        :data:`graphsvc.rules.FACTS` but attendance) whose key's first field is one of
        ``firsts``, as the part's own read gives them, in its order (to read again only what
        an import claimed)."""
        ...

    def imports(self) -> list[ImportRecord]: ...

    def find_import(self, sha256: str, options: str = "") -> ImportRecord | None:
        """The import (not undone) that loaded a file with this content hash and these
        options (a file loaded before options were kept matches any)."""
        ...

    def session_spans(self) -> dict[str, tuple[int, date, date]]:
        """Per import (by id, undone ones left out): how many sessions it claims, and the
        first and last day they were held on; an import that claims none is not listed (nor
        is an undone one: its claims have gone)."""
        ...

    def undo_import(self, import_id: str) -> dict[str, int]:
        """Remove an import's claims, as if it had never been loaded; return what no longer
        exists, per part. Refused (:class:`StoreError`) while a later import relies on
        something only this one added."""
        ...

    def undo_preview(self, import_id: str) -> dict[str, int]:
        """What :meth:`undo_import` would remove, per part (the things only this import
        claims); nothing changes. :class:`NotFound` if there is no such import to undo."""
        ...

    def undo_refusal(self, import_id: str) -> str | None:
        """Why :meth:`undo_import` would be refused now (its :class:`StoreError`'s words), or
        None if it would not; tried in a transaction that is rolled back, so nothing
        changes."""
        ...

    def person_aliases(self) -> dict[str, str]:
        """Merged-away person ids -> the person they are now."""
        ...

    def merge_people(self, keep: str, other: str) -> None:
        """Make ``other`` part of ``keep``: attendance and jobs move, and later imports that
        resolve to ``other`` resolve to ``keep``."""
        ...

    def set_consent(self, person_id: str, consent: str) -> None:
        """Record a person's consent (``named`` or ``aggregate``; withdrawal is
        :meth:`forget_person`). A later file that says nothing of consent keeps it."""
        ...

    def forgotten(self) -> set[str]:
        """Ids of people erased at their request: imports never write them again."""
        ...

    def forget_person(self, person_id: str) -> dict:
        """Erase a person and what names them (attendance, employment, declared ties,
        aliases), in one transaction; sessions stay. Returns their name and email (for
        scrubbing the archive) and the counts removed."""
        ...

    def remember_erased(self, person_id: str) -> None:
        """Keep an id as erased (a person no longer held, erased from the files only), so no
        later import brings them back."""
        ...

    def redact_name(self, name: str) -> int:
        """Take an erased person's name out of session titles and import file names; how
        many were changed."""
        ...

    def wipe_free_space(self) -> None:
        """Overwrite what the store's files still hold of deleted content (an undone import,
        an earlier edit), so that an erasure leaves no bytes behind."""
        ...

    def merge_organisations(self, keep: str, other: str) -> None:
        """Make ``other`` part of ``keep``; its name becomes an alias of ``keep``."""
        ...

    def reviews(self, status: str | None = "pending") -> list[MatchReview]: ...

    def decide_review(self, review_id: int, confirm: bool) -> MatchReview:
        """Confirm (merge, alias sticks) or reject (kept apart, not asked again) a match."""
        ...

    def history(self) -> History:
        """Everything but the facts; see :class:`History`."""
        ...

    def restore(self, history: History) -> None:
        """Fill an empty store with a whole database, in one transaction (refused if the
        store already holds people, organisations or sessions)."""
        ...

    def close(self) -> None: ...
