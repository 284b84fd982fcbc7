"""The one contract every store keeps.

A store holds the facts (places, sectors, organisations, people, communities, sessions,
attendance, declared ties) and nothing derived: tie networks are projected from attendance
by :mod:`graphsvc.ties`. Each write is one transaction and bumps :meth:`Store.revision`,
so anything derived can be cached by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol, runtime_checkable

from graphsvc.model import (
    Attendance,
    Batch,
    Community,
    DeclaredTie,
    Employment,
    Organisation,
    Person,
    Place,
    Sector,
    Session,
)

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


@dataclass(frozen=True)
class ImportRecord:
    """What one applied import was: its source file, content hash and detected format."""

    id: str
    source: str
    sha256: str
    format: str
    loaded_at: str
    counts: dict = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """The contract. :class:`graphsvc.store.sqlite.SQLiteStore` is the embedded default."""

    url: str

    def schema_version(self) -> int: ...

    def revision(self) -> int: ...

    def apply(self, batch: Batch, records: tuple[ImportRecord, ...] = ()) -> dict[str, int]:
        """Apply the whole batch in one transaction; return rows written per part."""
        ...

    def counts(self) -> dict[str, int]: ...

    def places(self) -> list[Place]: ...

    def sectors(self) -> list[Sector]: ...

    def organisations(self) -> list[Organisation]: ...

    def people(self) -> list[Person]: ...

    def employments(self) -> list[Employment]: ...

    def communities(self) -> list[Community]: ...

    def sessions(self) -> list[Session]: ...

    def attendance(self) -> Iterator[Attendance]: ...

    def declared_ties(self) -> list[DeclaredTie]: ...

    def imports(self) -> list[ImportRecord]: ...

    def find_import(self, sha256: str) -> ImportRecord | None: ...

    def close(self) -> None: ...
